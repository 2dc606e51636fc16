from django.core import mail

from wagtail.contrib.forms.models import FormSubmission

import pytest

from content.models import EnquiryNotification
from content.services import enquiry_send_notification

from .enquiries import VALID


def post(client, page, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(page.url, data)


def test_it_shows_the_enquiry_form_with_labelled_fields(client, contact_page):
    html = client.get(contact_page.url).content.decode()
    assert '<label class="label" for="id_email_address">Email address</label>' in html
    assert 'type="email"' in html
    assert 'autocomplete="email"' in html
    assert "<legend" in html and "What is your enquiry about?" in html
    for choice in ("Commissioning a case review", "Training as a lead reviewer", "Other"):
        assert f'value="{choice}"' in html
    assert "@scie.org.uk" not in html


def test_it_stores_the_enquiry_and_emails_staff(
    client, contact_page, settings, django_capture_on_commit_callbacks
):
    settings.ENQUIRY_RECIPIENTS = ["enquiries@scie.example"]
    response = post(client, contact_page, VALID, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == contact_page.url + "thank-you/"
    submission = FormSubmission.objects.get(page=contact_page)
    assert submission.form_data["email_address"] == VALID["email_address"]
    assert submission.form_data["what_is_your_enquiry_about"] == "Commissioning a case review"

    # The staff e-mail, then the enquirer's acknowledgement (tests/content/
    # test_enquiry_acknowledgement.py).
    assert [message.to for message in mail.outbox] == [
        ["enquiries@scie.example"],
        [VALID["email_address"]],
    ]
    message = mail.outbox[0]
    assert message.reply_to == [VALID["email_address"]]
    assert message.subject == contact_page.subject
    assert "Jo Commissioner" in message.body
    assert "Commissioning a case review" in message.body
    assert f"/admin/forms/submissions/{contact_page.pk}/" in message.body
    html_body, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert (
        '<th scope="row"' in html_body and "Barnet Safeguarding Children Partnership" in html_body
    )
    assert EnquiryNotification.objects.get(submission=submission).sent_at is not None


def test_it_sends_to_the_pages_own_addresses_when_it_has_them(
    client, contact_page, django_capture_on_commit_callbacks
):
    contact_page.to_address = "a@scie.example, b@scie.example"
    contact_page.save_revision().publish()
    post(client, contact_page, VALID, django_capture_on_commit_callbacks)
    assert mail.outbox[0].to == ["a@scie.example", "b@scie.example"]


def test_it_thanks_the_enquirer_on_a_landing_page(client, contact_page):
    response = client.get(contact_page.url + "thank-you/")
    assert response.status_code == 200
    assert "content/enquiry_form_page_landing.html" in [t.name for t in response.templates]
    assert "Thank you for your enquiry" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        (
            {"email_address": "not-an-email"},
            "id_email_address",
            "Enter an email address in the correct format, like name@example.org.",
        ),
        ({"your_name": ""}, "id_your_name", "Enter your name."),
        (
            {"what_is_your_enquiry_about": "Selling things"},
            "id_what_is_your_enquiry_about_0",
            "The answer to “What is your enquiry about?” must be one of the options given.",
        ),
    ],
)
def test_it_shows_an_error_summary_and_keeps_what_was_typed(
    client, contact_page, django_capture_on_commit_callbacks, changes, field_id, message
):
    data = {**VALID, **changes}
    response = post(client, contact_page, data, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Contact us" in html
    assert "There is a problem" in html
    assert f'href="#{field_id}"' in html
    assert message.replace("'", "&#x27;") in html
    assert f'id="{field_id}"' in html
    assert VALID["your_enquiry"] in html
    assert 'value="Barnet Safeguarding Children Partnership"' in html
    for name, value in changes.items():
        if value and name != "what_is_your_enquiry_about":
            assert f'value="{value}"' in html
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


def test_it_marks_the_invalid_input_for_screen_readers(client, contact_page):
    html = client.post(contact_page.url, {**VALID, "email_address": "nope"}).content.decode()
    tag_start = html.index('id="id_email_address"')
    tag = html[html.rindex("<input", 0, tag_start) : html.index(">", tag_start)]
    assert 'aria-invalid="true"' in tag
    assert "id_email_address_helptext id_email_address-error" in tag


def test_it_never_emails_the_same_enquiry_twice(
    client, contact_page, django_capture_on_commit_callbacks
):
    post(client, contact_page, VALID, django_capture_on_commit_callbacks)
    submission = FormSubmission.objects.get()

    assert enquiry_send_notification(submission_id=submission.pk) is False
    assert len(mail.outbox) == 2  # the staff e-mail and the acknowledgement, once each


def test_it_lets_a_retry_send_after_a_failure(contact_page, settings):
    submission = FormSubmission.objects.create(page=contact_page, form_data=VALID)
    settings.EMAIL_BACKEND = "tests.content.failing_backend.EmailBackend"
    with pytest.raises(OSError):
        enquiry_send_notification(submission_id=submission.pk)
    assert EnquiryNotification.objects.get(submission=submission).sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert enquiry_send_notification(submission_id=submission.pk) is True
    assert len(mail.outbox) == 1


def test_it_skips_an_enquiry_deleted_before_the_worker_ran(contact_page):
    submission = FormSubmission.objects.create(page=contact_page, form_data=VALID)
    submission_id = submission.pk
    submission.delete()
    assert enquiry_send_notification(submission_id=submission_id) is False
    assert mail.outbox == []
