"""Contacting a listed reviewer through the register: the message is kept and relayed by email
without showing the holder's address; honeypot, rate limit, contact off, unlisted holders."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from accreditation.models import Certificate, ContactMessage
from accreditation.periodic import purge_expired_evidence
from accreditation.services.register import contact_messages_purge_expired

from .register_builders import listed_holder

pytestmark = pytest.mark.django_db

MESSAGE = {
    "sender_name": "Bea Board",
    "sender_organisation": "Northshire Safeguarding Partnership",
    "sender_email": "bea@northshire.example",
    "message": "We are commissioning a review and would like to talk.",
}


def _url(certificate):
    return reverse("public_register_contact", args=[certificate.number])


def test_it_relays_the_message_by_email_with_reply_to_the_sender_and_hides_the_holder(
    client, django_capture_on_commit_callbacks
):
    certificate = listed_holder("Orla Open")
    page = client.get(_url(certificate)).content.decode()
    assert "Contact Orla Open" in page and 'name="message"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(certificate), MESSAGE)

    assert response.status_code == 302
    assert response["Location"] == _url(certificate) + "?sent=1"
    stored = ContactMessage.objects.get()
    assert (stored.holder, stored.sender_email) == (certificate.holder, "bea@northshire.example")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["orla.open@example.org"]
    assert email.reply_to == ["bea@northshire.example"]
    assert "Bea Board" in email.subject
    assert "We are commissioning a review" in email.body
    assert "Northshire Safeguarding Partnership" in email.alternatives[0][0]
    sent = client.get(response["Location"]).content.decode()
    assert "Message sent" in sent
    for shown in (page, sent):
        assert "orla.open@example.org" not in shown


def test_it_prints_html_typed_into_the_form_as_text(client, django_capture_on_commit_callbacks):
    certificate = listed_holder("Orla Open")
    typed = {
        **MESSAGE,
        "sender_name": "<b>Bold</b> Bea",
        "message": '<script>alert("x")</script> Hello',
    }

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(certificate), typed)
    body_html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in body_html and "&lt;script&gt;" in body_html
    assert "<b>Bold</b>" not in body_html and "&lt;b&gt;Bold&lt;/b&gt; Bea" in body_html
    assert '<script>alert("x")</script> Hello' in mail.outbox[0].body

    # Shown back on a refused form, it is escaped there too.
    refused = client.post(_url(certificate), {**typed, "sender_email": "not an address"})
    assert refused.status_code == 400
    assert "&lt;b&gt;Bold&lt;/b&gt; Bea" in refused.content.decode()
    assert "<b>Bold</b>" not in refused.content.decode()


def test_it_pretends_to_send_when_the_honeypot_is_filled_but_keeps_and_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    certificate = listed_holder("Orla Open")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(certificate), {**MESSAGE, "website": "http://spam.example"})

    assert response.status_code == 302
    assert response["Location"].endswith("?sent=1")
    assert not ContactMessage.objects.exists()
    assert mail.outbox == []


def test_it_limits_messages_per_client_address_keeping_what_was_typed(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "register_contact": "2/h/ip"}
    certificate = listed_holder("Orla Open")
    for _ in range(2):
        assert client.post(_url(certificate), MESSAGE).status_code == 302

    response = client.post(_url(certificate), {**MESSAGE, "message": "A third, kept message."})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Your message has not been sent" in page and "Try again in" in page
    assert "A third, kept message." in page
    assert ContactMessage.objects.count() == 2


def test_it_says_a_holder_who_switched_contact_off_is_not_accepting_messages(client):
    certificate = listed_holder("Cal Closed", contact_enabled=False)

    page = client.get(_url(certificate)).content.decode()
    assert "Cal Closed is not accepting messages" in page
    assert 'name="message"' not in page

    response = client.post(_url(certificate), {**MESSAGE, "message": "Kept for copying."})
    assert response.status_code == 400
    assert "not accepting messages through the register" in response.content.decode()
    assert "Kept for copying." in response.content.decode()
    assert not ContactMessage.objects.exists()


def test_it_refuses_holders_no_longer_listed_or_valid_without_naming_them(client):
    unlisted = listed_holder("Nico Notlisted", listed=False)
    expired = listed_holder("Ed Expired")
    Certificate.objects.filter(pk=expired.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )

    for certificate, name in ((unlisted, "Nico Notlisted"), (expired, "Ed Expired")):
        page = client.get(_url(certificate)).content.decode()
        assert "This reviewer is not accepting messages" in page
        assert name not in page
        assert 'name="message"' not in page
        assert client.post(_url(certificate), MESSAGE).status_code == 400
    assert not ContactMessage.objects.exists()
    assert client.get(reverse("public_register_contact", args=["LT-2026-99999"])).status_code == (
        404
    )


def test_it_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    certificate = listed_holder("Orla Open", regions=("London",))
    with django_assert_num_queries(CONTACT_QUERIES):
        response = client.get(_url(certificate))
    assert response.status_code == 200


# The certificate with its holder and profile and whether it was superseded, and the one the
# site's layout runs on every page.
CONTACT_QUERIES = 2


def test_it_deletes_messages_once_they_are_older_than_the_retention_period(client, settings):
    settings.CONTACT_MESSAGE_RETENTION_DAYS = 90
    certificate = listed_holder("Orla Open")
    old, recent = (
        ContactMessage.objects.create(
            holder=certificate.holder,
            sender_name="Bea",
            sender_email="bea@example.org",
            message=text,
        )
        for text in ("old", "recent")
    )
    now = timezone.now()
    ContactMessage.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=91))
    ContactMessage.objects.filter(pk=recent.pk).update(created_at=now - datetime.timedelta(days=89))

    assert contact_messages_purge_expired(now=now) == 1
    assert list(ContactMessage.objects.values_list("message", flat=True)) == ["recent"]
    # The daily retention task runs it too.
    ContactMessage.objects.filter(pk=recent.pk).update(created_at=now - datetime.timedelta(days=95))
    assert purge_expired_evidence.delay().get() == 1
    assert not ContactMessage.objects.exists()
