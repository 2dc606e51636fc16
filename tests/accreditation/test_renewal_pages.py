"""Renewal's pages: the holder's form (inside and outside the window), their renewal's page, the
certificates page's Renew link, the assessor's queue section, renewal portfolio, decision and the
CPD evidence it rests on; reminders that link to the form; HTML typed by people printed as text."""

import datetime

from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

import pytest

from accreditation.models import Certificate, RenewalApplication
from accreditation.services import renewal as services
from accreditation.services.reminders import certificate_expiry_warnings_send
from courses.models import Enrolment
from notifications.models import Notification

from .award_builders import make_assessor
from .renewal_builders import (
    accredited,
    apply,
    log_cpd,
    outside_review,
    place,
    published_review,
    ready_to_renew,
    renewal_answers,
)

Status = RenewalApplication.Status
SCRIPT = "<script>alert('x')</script>"

# Pinned query counts: each page costs the same however many CPD entries, reviews or
# decisions it shows.
FORM_QUERIES = 14
STATUS_QUERIES = 13
PORTFOLIO_QUERIES = 17


@pytest.fixture
def certificate(tess, review, ali):
    return ready_to_renew(tess, review, ali)


def _form_data(**overrides):
    return {
        "practice_statement": "I led the review of Family N and kept up my CPD.",
        "outside_title": "Family N",
        "outside_role": "led",
        "outside_completed_on": (timezone.localdate() - datetime.timedelta(days=90)).isoformat(),
        "outside_url": "https://example.org/reports/family-n",
        "declaration": "on",
        **overrides,
    }


def _criteria_data(scheme, *, met=True):
    return {f"criterion_{pk}": "met" if met else "not_met" for pk in renewal_answers(scheme)} | {
        f"criterion_{pk}_comment": "Seen." for pk in renewal_answers(scheme)
    }


# The holder ----------------------------------------------------------------------------------


def test_it_shows_renew_and_the_days_left_on_the_certificates_page(client, certificate, tess):
    client.force_login(tess)
    html = client.get(reverse("accreditation:my_certificates")).content.decode()
    form_url = reverse("accreditation:renewal", args=[certificate.pk])
    assert f'href="{form_url}"' in html
    window_days = (certificate.valid_until - timezone.localdate()).days + 30 + 1
    assert f"Renewal is open: {window_days} days left to renew" in html


def test_it_says_the_certificate_is_in_its_grace_period(client, tess, review, ali):
    certificate = ready_to_renew(tess, review, ali, days_to_expiry=-3)
    client.force_login(tess)
    html = client.get(reverse("accreditation:my_certificates")).content.decode()
    closes = certificate.valid_until + datetime.timedelta(days=30)
    assert f"in its renewal grace period until {closes:%-d %B %Y}" in html
    assert "Expired" in html


def test_it_says_how_to_re_accredit_after_the_grace_period(client, tess, review, ali):
    certificate = ready_to_renew(tess, review, ali, days_to_expiry=-31)
    client.force_login(tess)
    html = client.get(reverse("accreditation:my_certificates")).content.decode()
    assert "can no longer be renewed" in html
    assert "To be accredited again you re-accredit" in html
    assert "Ask the programme team to enrol you on a supervised review" in html
    form = client.get(reverse("accreditation:renewal", args=[certificate.pk])).content.decode()
    assert "The grace period ended on" in form and '<form method="post" novalidate>' not in form


def test_it_explains_when_renewal_opens(client, tess, review, ali):
    certificate = ready_to_renew(tess, review, ali, days_to_expiry=120)
    client.force_login(tess)
    html = client.get(reverse("accreditation:renewal", args=[certificate.pk])).content.decode()
    opens = certificate.valid_until - datetime.timedelta(days=90)
    assert f"Renewal opens on {opens:%-d %B %Y}" in html
    assert 'name="practice_statement"' not in html


def test_it_applies_through_the_form_and_shows_the_renewal(client, certificate, tess, pat, sam):
    platform = published_review(pat, sam, partner=tess)
    client.force_login(tess)
    url = reverse("accreditation:renewal", args=[certificate.pk])
    html = client.get(url).content.decode()
    assert f'value="{platform.pk}"' in html and "checked" in html

    response = client.post(url, _form_data(platform_reviews=[str(platform.pk)]))

    renewal = RenewalApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("accreditation:renewal_status", args=[renewal.pk])
    assert renewal.reviews.count() == 2
    assert renewal.status == Status.SUBMITTED


def test_it_keeps_what_was_typed_when_refused(client, certificate, tess):
    client.force_login(tess)
    url = reverse("accreditation:renewal", args=[certificate.pk])
    response = client.post(url, _form_data(outside_url="", practice_statement="Kept words"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Give a link to the published report" in html
    assert "Kept words" in html
    assert not RenewalApplication.objects.exists()


def test_it_says_what_is_short_on_the_page(client, tess, review, ali):
    certificate = place(accredited(tess, review, ali), days_to_expiry=20)
    log_cpd(tess, hours=7)
    client.force_login(tess)
    url = reverse("accreditation:renewal", args=[certificate.pk])
    response = client.post(url, _form_data())
    assert response.status_code == 400
    assert "7 hours logged of the 30 needed: 23 hours short" in response.content.decode()


def test_it_prints_html_as_text(client, certificate, tess, ali):
    renewal = apply(certificate, tess, statement=SCRIPT)
    client.force_login(tess)
    html = client.get(reverse("accreditation:renewal_status", args=[renewal.pk])).content.decode()
    assert SCRIPT not in html and "&lt;script&gt;" in html
    client.force_login(ali)
    url = reverse("accreditation:renewal_portfolio", args=[renewal.pk])
    html = client.get(url).content.decode()
    assert SCRIPT not in html and "&lt;script&gt;" in html


def test_the_holder_withdraws(client, certificate, tess):
    renewal = apply(certificate, tess)
    client.force_login(tess)
    client.post(reverse("accreditation:renewal_withdraw", args=[renewal.pk]))
    renewal.refresh_from_db()
    assert renewal.status == Status.WITHDRAWN
    response = client.post(reverse("accreditation:renewal_withdraw", args=[renewal.pk]))
    assert response.status_code == 400


# The assessor --------------------------------------------------------------------------------


def test_it_lists_renewals_in_the_queue(client, certificate, tess, ali):
    renewal = apply(certificate, tess)
    client.force_login(ali)
    html = client.get(reverse("accreditation:assessment_queue")).content.decode()
    assert html.count("<h2>Renewals</h2>") == 1
    assert reverse("accreditation:renewal_portfolio", args=[renewal.pk]) in html


def test_the_assessor_approves_and_the_holder_sees_the_new_certificate(
    client, certificate, tess, ali
):
    renewal = apply(certificate, tess)
    client.force_login(ali)
    url = reverse("accreditation:renewal_decide", args=[renewal.pk])
    response = client.post(
        url, {"outcome": "approved", "reasons": "Sound.", **_criteria_data(certificate.scheme)}
    )
    assert response.status_code == 302
    new = Certificate.objects.get(supersedes=certificate)
    client.force_login(tess)
    html = client.get(reverse("accreditation:my_certificates")).content.decode()
    assert new.number in html
    assert f"Superseded on {new.issued_at:%-d %B %Y} by certificate {new.number}" in html
    status = client.get(reverse("accreditation:renewal_status", args=[renewal.pk]))
    assert f"Your new certificate {new.number}" in status.content.decode()


def test_a_judgement_left_out_is_refused_on_the_page(client, certificate, tess, ali):
    renewal = apply(certificate, tess)
    client.force_login(ali)
    data = {"outcome": "approved", "reasons": "Typed reasons", **_criteria_data(certificate.scheme)}
    first = next(key for key in data if key.startswith("criterion_") and "comment" not in key)
    del data[first]
    response = client.post(reverse("accreditation:renewal_decide", args=[renewal.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Judge every criterion" in html and "Typed reasons" in html
    renewal.refresh_from_db()
    assert renewal.status == Status.SUBMITTED


def test_a_supervisor_assessor_reads_but_may_not_decide(client, certificate, tess):
    both = make_assessor("Sue Both", "sue@example.org", also_supervisor=True)
    Enrolment.objects.filter(user=tess).update(supervisor=both)
    renewal = apply(certificate, tess)
    client.force_login(both)
    html = client.get(reverse("accreditation:renewal_portfolio", args=[renewal.pk])).content
    assert "You supervise this holder" in html.decode()
    response = client.post(
        reverse("accreditation:renewal_decide", args=[renewal.pk]),
        {"outcome": "approved", "reasons": "x", **_criteria_data(certificate.scheme)},
    )
    assert response.status_code == 400
    renewal.refresh_from_db()
    assert renewal.status == Status.SUBMITTED


def test_the_assessor_downloads_cpd_evidence_in_the_validity_only(client, certificate, tess, ali):
    inside = log_cpd(tess, hours=1, title="Inside")
    inside.evidence.save("inside.pdf", ContentFile(b"%PDF-1.4 inside"), save=False)
    inside.evidence_filename = "inside.pdf"
    inside.save()
    before = log_cpd(tess, hours=1, on=certificate.issued_at - datetime.timedelta(days=2))
    before.evidence.save("before.pdf", ContentFile(b"%PDF-1.4 before"), save=True)
    apply(certificate, tess)
    client.force_login(ali)
    response = client.get(reverse("accreditation:renewal_cpd_evidence", args=[inside.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 inside"
    assert "no-store" in response["Cache-Control"]
    assert (
        client.get(reverse("accreditation:renewal_cpd_evidence", args=[before.pk])).status_code
        == 404
    )
    client.force_login(tess)
    assert (
        client.get(reverse("accreditation:renewal_cpd_evidence", args=[inside.pk])).status_code
        == 404
    )


# Verification pages --------------------------------------------------------------------------


def test_the_verification_pages_link_old_to_new(client, certificate, tess, ali):
    renewal = apply(certificate, tess)
    new = services.renewal_approve(
        renewal=renewal, assessor=ali, reasons="x", answers=renewal_answers(certificate.scheme)
    )
    old_html = client.get(
        reverse("certificate_verify_code", args=[certificate.verification_code])
    ).content.decode()
    assert "This certificate has been superseded" in old_html
    assert f"It was superseded on {new.issued_at:%-d %B %Y}" in old_html
    assert reverse("certificate_verify_code", args=[new.verification_code]) in old_html
    new_html = client.get(
        reverse("certificate_verify_code", args=[new.verification_code])
    ).content.decode()
    assert "This certificate is valid" in new_html
    assert "Accredited since" in new_html
    assert f"{certificate.awarded_at:%-d %B %Y}" in new_html


# Reminders -----------------------------------------------------------------------------------


def test_the_expiry_warning_links_to_the_renewal_form(
    certificate, tess, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert certificate_expiry_warnings_send() == 1
    form_url = reverse("accreditation:renewal", args=[certificate.pk])
    warning = Notification.objects.get(recipient=tess, event="certificate_expiry_warning")
    assert warning.target_object_id == certificate.pk
    # The email's button opens the notification, which leads to the renewal form.
    assert warning.link == form_url
    (email,) = [m for m in mail.outbox if "expires on" in m.subject]
    assert "Renew your accreditation" in email.body


def test_no_expiry_warning_with_a_renewal_open_or_superseded(certificate, tess, ali):
    renewal = apply(certificate, tess)
    assert certificate_expiry_warnings_send() == 0
    services.renewal_approve(
        renewal=renewal, assessor=ali, reasons="x", answers=renewal_answers(certificate.scheme)
    )
    Certificate.objects.filter(supersedes=certificate).update(
        valid_until=timezone.localdate() + datetime.timedelta(days=400)
    )
    assert certificate_expiry_warnings_send() == 0


# Query counts --------------------------------------------------------------------------------


def _more(tess, sam, certificate, count):
    for n in range(count):
        log_cpd(tess, hours=1, title=f"Entry {n}")
        published_review(tess, sam, case_reference=f"Child Z{n}")


def test_the_renewal_form_costs_the_same_however_much_it_shows(
    client, certificate, tess, sam, django_assert_num_queries
):
    client.force_login(tess)
    url = reverse("accreditation:renewal", args=[certificate.pk])
    client.get(url)
    with django_assert_num_queries(FORM_QUERIES):
        assert client.get(url).status_code == 200
    _more(tess, sam, certificate, 4)
    with django_assert_num_queries(FORM_QUERIES):
        assert client.get(url).status_code == 200


def test_the_renewal_page_costs_the_same_however_much_it_shows(
    client, certificate, tess, ali, django_assert_num_queries
):
    renewal = apply(certificate, tess)
    answers = renewal_answers(certificate.scheme)
    first = next(iter(answers))
    answers[first] = (False, "More.")
    client.force_login(tess)
    url = reverse("accreditation:renewal_status", args=[renewal.pk])
    client.get(url)
    services.renewal_refer(renewal=renewal, assessor=ali, reasons="x", answers=answers)
    with django_assert_num_queries(STATUS_QUERIES):
        assert client.get(url).status_code == 200
    # Resubmitted with more reviews and referred again: more decisions, judgements and reviews.
    services.renewal_resubmit(
        renewal=renewal,
        holder=tess,
        practice_statement="Again",
        declaration=True,
        reviews=[outside_review(), outside_review(title="Child S")],
    )
    services.renewal_refer(renewal=renewal, assessor=ali, reasons="y", answers=answers)
    with django_assert_num_queries(STATUS_QUERIES):
        assert client.get(url).status_code == 200


def test_the_renewal_portfolio_costs_the_same_however_much_it_shows(
    client, certificate, tess, ali, sam, django_assert_num_queries
):
    renewal = apply(certificate, tess)
    client.force_login(ali)
    url = reverse("accreditation:renewal_portfolio", args=[renewal.pk])
    client.get(url)
    with django_assert_num_queries(PORTFOLIO_QUERIES):
        assert client.get(url).status_code == 200
    _more(tess, sam, certificate, 4)
    with django_assert_num_queries(PORTFOLIO_QUERIES):
        assert client.get(url).status_code == 200
