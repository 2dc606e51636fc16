"""Every page that shows a certificate says where it stands now: valid, expired, suspended or
revoked, with the date and the assessor's reason for a suspension or revocation. The holder can
share it, and download its PDF, only while that is honest."""

import datetime

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

import pytest

from accreditation.models import Certificate
from accreditation.services import certificates as services

from .award_builders import approve, make_ready, submit
from .factories import PDF_BYTES

APPLICATION = reverse("accreditation:application")
MINE = reverse("accreditation:my_certificates")
# One more than before renewal: the open renewals of the holder's certificates, in one query.
MINE_QUERIES = 11
SHARE = "Share this link so anyone can check your certificate is genuine and valid."
REASON = "A finding of misconduct was upheld by the employer."


@pytest.fixture
def certificate(tess, review, ali):
    make_ready(tess, review)
    certificate = approve(submit(tess), ali)
    certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(PDF_BYTES))
    return certificate


def _pages(client, certificate, tess, ali):
    client.force_login(tess)
    holder = {
        "application": client.get(APPLICATION).content.decode(),
        "certificates": client.get(MINE).content.decode(),
        "pdf": client.get(reverse("accreditation:certificate_pdf", args=[certificate.pk])),
    }
    client.force_login(ali)
    assessor = {
        "manage": client.get(
            reverse("accreditation:certificate_manage", args=[certificate.pk])
        ).content.decode(),
        "portfolio": client.get(
            reverse("accreditation:assessment_portfolio", args=[certificate.application_id])
        ).content.decode(),
        "pdf": client.get(reverse("accreditation:certificate_pdf", args=[certificate.pk])),
    }
    client.logout()
    public = client.get(
        reverse("certificate_verify_code", args=[certificate.verification_code])
    ).content.decode()
    return holder, assessor, public


def test_it_shows_a_valid_certificate_as_valid_and_shareable(client, certificate, tess, ali):
    holder, assessor, public = _pages(client, certificate, tess, ali)

    valid_until = f"Valid until {certificate.valid_until:%-d %B %Y}."
    assert "You are accredited" in holder["application"]
    assert SHARE in holder["certificates"]
    assert valid_until in holder["certificates"]
    assert holder["pdf"].status_code == 200
    assert valid_until in assessor["manage"] and valid_until in assessor["portfolio"]
    assert valid_until in public


def test_it_tells_everyone_a_revoked_certificate_is_revoked(client, certificate, tess, ali):
    services.certificate_revoke(certificate=certificate, by=ali, reason=REASON)
    today = f"{timezone.localdate():%-d %B %Y}"

    holder, assessor, public = _pages(client, certificate, tess, ali)

    revoked = f"Revoked on {today}. Revocation is final."
    # The holder's application page no longer says they are accredited.
    assert "You are accredited" not in holder["application"]
    assert "Your accreditation has been revoked" in holder["application"]
    assert revoked in holder["application"] and REASON in holder["application"]
    # The certificates page says so, with the reason, and neither shares nor offers the PDF.
    assert revoked in holder["certificates"] and REASON in holder["certificates"]
    assert SHARE not in holder["certificates"]
    assert "Download the certificate (PDF)" not in holder["certificates"]
    assert "The PDF of a revoked certificate can no longer be downloaded" in holder["certificates"]
    assert "the record anyone checking your accreditation should rely on" in holder["certificates"]
    assert holder["pdf"].status_code == 404
    # Assessors see the status, the date and the reason, and keep the PDF for the record.
    assert revoked in assessor["manage"] and REASON in assessor["manage"]
    assert revoked in assessor["portfolio"] and REASON in assessor["portfolio"]
    assert assessor["pdf"].status_code == 200
    # The public page gives the date; the reason stays with the holder and the programme.
    assert "This certificate has been revoked" in public
    assert revoked in public
    assert REASON not in public


def test_it_withholds_a_suspended_certificate_until_it_is_reinstated(
    client, certificate, tess, ali
):
    services.certificate_suspend(certificate=certificate, by=ali, reason="Complaint received.")
    today = f"{timezone.localdate():%-d %B %Y}"

    holder, assessor, public = _pages(client, certificate, tess, ali)

    suspended = f"Suspended on {today}. It is not valid while suspended."
    assert "Your accreditation is suspended" in holder["application"]
    assert "You are accredited" not in holder["application"]
    assert suspended in holder["certificates"]
    assert "Complaint received." in holder["certificates"]
    assert SHARE not in holder["certificates"]
    withheld = "You cannot download the PDF while this certificate is suspended"
    assert withheld in holder["certificates"]
    assert holder["pdf"].status_code == 404
    assert suspended in assessor["manage"] and "Complaint received." in assessor["manage"]
    assert suspended in public and "Complaint received." not in public

    services.certificate_reinstate(certificate=certificate, by=ali, reason="Cleared.")
    holder, _, _ = _pages(client, certificate, tess, ali)
    assert "You are accredited" in holder["application"]
    assert SHARE in holder["certificates"]
    assert holder["pdf"].status_code == 200


def test_it_shows_an_expired_certificate_as_expired(client, certificate, tess, ali):
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    certificate.refresh_from_db()

    holder, assessor, public = _pages(client, certificate, tess, ali)

    expired = f"Expired: it was valid until {certificate.valid_until:%-d %B %Y}."
    assert "Your accreditation has expired" in holder["application"]
    assert expired in holder["certificates"]
    assert SHARE not in holder["certificates"]
    # The PDF prints its own end date, so the holder keeps it as a record.
    assert holder["pdf"].status_code == 200
    assert "not proof that you are accredited now" in holder["certificates"]
    assert expired in assessor["manage"]
    assert "This certificate has expired" in public and expired in public


def test_it_shows_each_certificates_status_in_a_fixed_number_of_queries(
    client, certificate, tess, ali, django_assert_num_queries
):
    services.certificate_suspend(certificate=certificate, by=ali, reason="Complaint received.")
    client.force_login(tess)
    client.get(MINE)

    with django_assert_num_queries(MINE_QUERIES):
        response = client.get(MINE)
    assert "Complaint received." in response.content.decode()

    # A long history of status changes costs no more queries.
    for n in range(15):
        services.certificate_reinstate(certificate=certificate, by=ali, reason=f"Cleared {n}.")
        services.certificate_suspend(certificate=certificate, by=ali, reason=f"Complaint {n}.")
    with django_assert_num_queries(MINE_QUERIES):
        response = client.get(MINE)
    assert "Complaint 14." in response.content.decode()
