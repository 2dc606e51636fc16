import datetime
import re

from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest
import time_machine

from accreditation.exceptions import TransitionError
from accreditation.models import Certificate, CertificateNumberSequence
from accreditation.services import certificates as services

from .award_builders import approve, make_assessor, make_ready, submit
from .factories import SupervisedReviewFactory, make_trainee


def _approved_certificates(count, ali, sam):
    certificates = []
    for number in range(count):
        trainee = make_trainee(f"Trainee {number} Person", f"t{number}@example.org")
        review = SupervisedReviewFactory(trainee=trainee, supervisor=sam)
        make_ready(trainee, review)
        certificates.append(approve(submit(trainee), ali))
    return certificates


def test_it_numbers_certificates_without_gaps(ali, sam):
    certificates = _approved_certificates(4, ali, sam)
    year = timezone.localdate().year

    assert [c.number for c in certificates] == [f"LT-{year}-{n:05d}" for n in range(1, 5)]
    assert CertificateNumberSequence.objects.get(year=year).last_number == 4


def test_it_starts_again_each_year(ali, sam):
    with time_machine.travel(datetime.datetime(2026, 12, 31, 12, tzinfo=datetime.UTC)):
        first = _approved_certificates(1, ali, sam)[0]
    assert first.number == "LT-2026-00001"
    assert services.certificate_next_number(year=2027) == "LT-2027-00001"
    assert services.certificate_next_number(year=2026) == "LT-2026-00002"


def test_it_gives_an_unguessable_url_safe_code_and_the_scheme_validity(tess, review, ali):
    make_ready(tess, review)
    certificate = approve(submit(tess), ali)
    today = timezone.localdate()

    assert re.fullmatch(r"[A-Za-z0-9_-]{20}", certificate.verification_code)
    assert certificate.awarded_at == certificate.issued_at == today
    assert certificate.valid_until == today.replace(year=today.year + review.scheme.validity_years)
    assert certificate.status == Certificate.Status.ISSUED


def test_it_suspends_reinstates_and_revokes_with_history(tess, review, ali):
    make_ready(tess, review)
    certificate = approve(submit(tess), ali)

    services.certificate_suspend(certificate=certificate, by=ali, reason="Complaint under review")
    services.certificate_reinstate(certificate=certificate, by=ali, reason="Complaint closed")
    services.certificate_revoke(certificate=certificate, by=ali, reason="Misconduct found")

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    events = list(certificate.events.values_list("from_status", "to_status", "reason"))
    assert events == [
        ("", "issued", "Approved"),
        ("issued", "suspended", "Complaint under review"),
        ("suspended", "issued", "Complaint closed"),
        ("issued", "revoked", "Misconduct found"),
    ]
    actions = list(
        ModelLogEntry.objects.for_instance(certificate)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "accreditation.certificate.issue",
        "accreditation.certificate.suspend",
        "accreditation.certificate.reinstate",
        "accreditation.certificate.revoke",
    ]


def test_it_keeps_revocation_final(tess, review, ali):
    make_ready(tess, review)
    certificate = approve(submit(tess), ali)
    services.certificate_revoke(certificate=certificate, by=ali, reason="Misconduct")

    for change in (services.certificate_reinstate, services.certificate_suspend):
        with pytest.raises(TransitionError, match="revoked certificate cannot be"):
            change(certificate=certificate, by=ali, reason="Try")
    with pytest.raises(TransitionError):
        services.certificate_revoke(certificate=certificate, by=ali, reason="Again")

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.events.count() == 2


def test_it_needs_a_reason_and_an_assessor(tess, review, ali, sam, ada):
    make_ready(tess, review)
    certificate = approve(submit(tess), ali)

    with pytest.raises(TransitionError, match="Give a reason"):
        services.certificate_suspend(certificate=certificate, by=ali, reason=" ")
    for person in (sam, ada, tess):
        with pytest.raises(TransitionError, match="Only an assessor"):
            services.certificate_revoke(certificate=certificate, by=person, reason="No")
    with pytest.raises(TransitionError, match="Only a submitted application"):
        approve(certificate.application, ali)

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ISSUED
    assert Certificate.objects.count() == 1


def test_it_leaves_a_certificate_to_an_assessor_who_did_not_supervise_the_holder(
    client, tess, pat, ali
):
    sue = make_assessor("Sue Supervisor", "sue@example.org", also_supervisor=True)
    review = SupervisedReviewFactory(trainee=tess, partner=pat, supervisor=sue)
    make_ready(tess, review)
    certificate = approve(submit(tess), ali)
    services.certificate_suspend(certificate=certificate, by=ali, reason="A complaint.")

    with pytest.raises(TransitionError, match="You supervise this holder"):
        services.certificate_reinstate(certificate=certificate, by=sue, reason="I vouch.")

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.SUSPENDED
    assert certificate.events.count() == 2  # issued, suspended
    client.force_login(sue)
    page = client.get(reverse("accreditation:certificate_manage", args=[certificate.pk]))
    content = page.content.decode()
    assert "another assessor must change this certificate's status" in content
    assert "Confirm the change" not in content


def test_it_lets_only_the_holder_choose_the_register(tess, pat, review, ali):
    make_ready(tess, review)
    certificate = approve(submit(tess), ali)

    services.certificate_set_listing(certificate=certificate, holder=tess, listed=True)
    certificate.refresh_from_db()
    assert certificate.listed_on_register

    with pytest.raises(TransitionError, match="Only the holder"):
        services.certificate_set_listing(certificate=certificate, holder=pat, listed=False)
    certificate.refresh_from_db()
    assert certificate.listed_on_register

    review.scheme.public_register_enabled = False
    review.scheme.save()
    services.certificate_set_listing(certificate=certificate, holder=tess, listed=False)
    with pytest.raises(TransitionError, match="no public register"):
        services.certificate_set_listing(certificate=certificate, holder=tess, listed=True)
