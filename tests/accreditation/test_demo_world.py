"""The demo world: `seed_demo` on an empty database leaves one person in each state a newcomer
needs to see (an accredited reviewer on the register, an application waiting for the assessor,
a suspended, a revoked and a renewable certificate), every one of them made through the
services, and a second run changes nothing."""

import datetime
import io

from django.apps import apps
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from accreditation.models import (
    AccreditationApplication,
    Certificate,
    CertificateEvent,
    CpdEntry,
    Decision,
    RenewalApplication,
    ReviewStage,
    SignOff,
    SupervisedReview,
    SupervisionSession,
)
from courses.demo_cohorts import COHORT_NAME
from courses.models import Cohort, Enrolment
from learning_platform.accounts.demo import DEMO_USERS
from learning_platform.accounts.models import User
from notifications.models import Notification


@pytest.fixture
def seed(db, settings, monkeypatch, tmp_path, django_capture_on_commit_callbacks):
    """Run seed_demo as `make run` does (its commit renders the PDFs); return its output."""
    monkeypatch.setattr(
        Certificate._meta.get_field("pdf"), "storage", FileSystemStorage(location=tmp_path)
    )
    settings.CERTIFICATE_EXPIRY_WARNING_DAYS = [90, 30]

    def run() -> str:
        settings.DEBUG = True
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("seed_demo", stdout=out)
        settings.DEBUG = False
        return out.getvalue()

    return run


def person(key: str) -> User:
    return User.objects.get(email=next(d.email for d in DEMO_USERS if d.key == key))


def certificate_of(key: str) -> Certificate:
    return Certificate.objects.get(holder=person(key))


def test_it_seeds_one_person_in_each_state(seed, client, settings):
    output = seed()

    # The register lists the accredited reviewers, with their regions and the review types
    # they led or co-led; nobody whose certificate is suspended or revoked.
    register = client.get(reverse("public_register"))
    rows = {row.name: row for row in register.context["rows"]}
    assert set(rows) == {"Vic Verified", "Rene Renewing"}
    assert rows["Vic Verified"].regions == ["East Midlands", "West Midlands"]
    assert rows["Vic Verified"].review_types == ["Mid-range"]
    assert rows["Vic Verified"].organisation == "Riverside Safeguarding Children Partnership"
    assert rows["Rene Renewing"].review_types == ["Focused", "Full"]
    assert "Vic Verified" in register.content.decode()
    by_region = client.get(reverse("public_register"), {"region": "North West"})
    assert [row.name for row in by_region.context["rows"]] == ["Rene Renewing"]

    # Each certificate's verification address is printed, with its number and the holder's
    # surname, and answers with the certificate's state; the holder reads the reason for a
    # suspension or revocation on their certificates page.
    expected = {
        "vic": ("Verified", "This certificate is valid", ""),
        "rene": ("Renewing", "This certificate is valid", ""),
        "sid": ("Suspended", "This certificate is suspended", "a complaint"),
        "rex": ("Revoked", "This certificate has been revoked", "conduct finding"),
    }
    for key, (surname, status, reason) in expected.items():
        certificate = certificate_of(key)
        path = reverse("certificate_verify_code", args=[certificate.verification_code])
        line = next(line for line in output.splitlines() if certificate.number in line)
        assert surname in line and line.rstrip().endswith(path), line
        assert status in client.get(path).content.decode(), key
        by_number = client.post(
            reverse("certificate_verify"), {"number": certificate.number, "surname": surname}
        )
        assert status in by_number.content.decode(), key
        client.force_login(certificate.holder)
        mine = client.get(reverse("accreditation:my_certificates")).content.decode()
        assert certificate.number in mine and reason in mine, key
        client.logout()
    renewing = certificate_of("rene").number
    assert "renewal open" in next(line for line in output.splitlines() if renewing in line)

    # Ali's queue holds one application: Wren's, referred back once and resubmitted.
    client.force_login(person("ali"))
    queue = client.get(reverse("accreditation:assessment_queue"))
    waiting = AccreditationApplication.objects.filter(status="submitted")
    assert list(waiting.values_list("trainee__email", flat=True)) == ["wren@example.org"]
    assert [a.trainee.email for a in queue.context["queue"]] == ["wren@example.org"]
    assert "Wren Waiting" in queue.content.decode()
    wren = waiting.get()
    portfolio = client.get(reverse("accreditation:assessment_portfolio", args=[wren.pk]))
    assert "prioritised the findings" in portfolio.content.decode()
    assert "Vic Verified (the review’s lead trainee)" in portfolio.content.decode()
    assert list(wren.decisions.values_list("outcome", flat=True)) == ["referred"]

    # Rene's certificate ends inside its renewal window, and her CPD log covers what renewal
    # asks; Tess and Pat's review is still the one in progress.
    rene = certificate_of("rene")
    days_left = (rene.valid_until - timezone.localdate()).days
    assert 0 < days_left <= rene.scheme.renewal_window_days
    hours = sum(entry.hours for entry in CpdEntry.objects.filter(person=person("rene")))
    assert hours >= rene.scheme.renewal_cpd_hours
    child_k = SupervisedReview.objects.get(trainee=person("tess"))
    assert child_k.stages.exclude(status=ReviewStage.Status.APPROVED).exists()

    # The printed login table names each person and what signing in as them shows; so does
    # the README's.
    readme = (settings.BASE_DIR / "README.md").read_text()
    for demo in DEMO_USERS:
        assert demo.email in output and demo.shows in output
        row = next(line for line in readme.splitlines() if line.startswith(f"| {demo.email} |"))
        assert len(row.split(" | ")) == 3, row


def test_it_plays_every_history_through_the_services(seed):
    seed()

    def logged(action: str) -> int:
        return ModelLogEntry.objects.filter(action=action).count()

    # Four certificates issued on approval, each with its audit entry, its rendered and signed
    # PDF and its first event; the suspension and the revocation by Ali, with their reasons.
    certificates = Certificate.objects.all()
    assert certificates.count() == 4 == logged("accreditation.certificate.issue")
    assert all(c.pdf and c.pdf_sha256 for c in certificates)
    assert logged("accreditation.application.approve") == 4
    assert Decision.objects.filter(outcome="approved").count() == 4
    for key, status, action in (("sid", "suspended", "suspend"), ("rex", "revoked", "revoke")):
        event = CertificateEvent.objects.get(certificate=certificate_of(key), to_status=status)
        assert event.by == person("ali") and event.reason
        assert logged(f"accreditation.certificate.{action}") == 1
    # Every stage of the three finished reviews was submitted and signed off by Sam.
    finished = SupervisedReview.objects.exclude(trainee=person("tess"))
    assert finished.count() == 3
    for review in finished:
        for stage in review.stages.all():
            assert stage.status == ReviewStage.Status.APPROVED
            approvals = SignOff.objects.filter(stage=stage, decision="approved")
            assert approvals.get().by == person("sam")
    # Applications, recommendations, register profiles, CPD entries and attendance: each left
    # its audit entry.
    assert logged("accreditation.application.submit") == 5
    assert logged("accreditation.application.refer") == 1
    assert logged("accreditation.application.resubmit") == 1
    assert logged("accreditation.recommendation.record") == 5
    assert logged("accreditation.register_profile.update") == 4
    assert logged("accreditation.cpd.add") == CpdEntry.objects.count() == 6
    assert logged("courses.attendance.record") == 12
    assert logged("courses.enrolment.create") == 5
    assert logged("accreditation.review.create") == 4
    # Every sign-off and every supervision session has its audit entry; the finished reviews
    # have fifteen sign-offs of each kind.
    for decision, action in (("submitted", "submit"), ("approved", "approve")):
        sign_offs = SignOff.objects.filter(decision=decision)
        assert logged(f"accreditation.stage.{action}") == sign_offs.count()
        assert sign_offs.filter(stage__review__in=finished).count() == 15
    assert logged("accreditation.supervision.record") == SupervisionSession.objects.count()
    cohorts = Cohort.objects.exclude(name=COHORT_NAME)
    assert cohorts.count() == 3
    for cohort in cohorts:
        assert ModelLogEntry.objects.filter(
            action="wagtail.create", object_id=str(cohort.pk), user=person("ada")
        ).exists()
    # Each finished review was agreed by its board and published.
    assert all(review.published_on and review.published_report_url for review in finished)
    # The history happened at its dates: Rene's application was decided three years ago.
    rene = certificate_of("rene")
    assert rene.issued_at < timezone.localdate() - datetime.timedelta(days=365 * 2)
    decided_at = rene.application.decisions.get().created_at
    assert timezone.localtime(decided_at).date() == rene.issued_at
    # The people were told as real use tells them, Rene of her certificate's coming expiry.
    assert Notification.objects.filter(
        recipient=person("rene"), event="certificate_expiry_warning"
    ).exists()
    for key, event in (("sid", "certificate_suspended"), ("rex", "certificate_revoked")):
        assert Notification.objects.filter(recipient=person(key), event=event).exists(), key


def test_it_changes_nothing_the_second_time(seed):
    seed()
    models = [
        model
        for model in apps.get_models()
        if model._meta.app_label
        in {"accreditation", "courses", "accounts", "notifications", "wagtailcore"}
    ]

    def state() -> dict:
        """Every row's count, and the values that change as people act."""
        return {
            "counts": {model._meta.label: model.objects.count() for model in models},
            "certificates": list(Certificate.objects.values_list("number", "status", "pdf_sha256")),
            "applications": list(AccreditationApplication.objects.values_list("pk", "status")),
            "enrolments": list(Enrolment.objects.order_by("pk").values_list("pk", "status")),
            "read": list(Notification.objects.order_by("pk").values_list("pk", "read_at")),
            "stages": list(ReviewStage.objects.order_by("pk").values_list("pk", "status")),
        }

    before = state()

    output = seed()

    assert state() == before
    for case in ("Child F (demo)", "Family S (demo)", "Adult D (demo)"):
        assert f"Supervised review {case} already exists" in output


def test_it_lets_rene_renew_from_the_demo(seed, client):
    seed()
    rene = certificate_of("rene")
    client.force_login(person("rene"))
    renew = reverse("accreditation:renewal", args=[rene.pk])
    assert (
        f'href="{renew}"' in client.get(reverse("accreditation:my_certificates")).content.decode()
    )
    # The review she co-led with Sid, published since her certificate was issued, is offered
    # (and ticked) as the review led or co-led.
    adult_d = SupervisedReview.objects.get(case_reference="Adult D (demo)")
    form = client.get(renew).content.decode()
    assert "Adult D" in form and f'value="{adult_d.pk}"' in form
    response = client.post(
        renew,
        {
            "practice_statement": "I co-led the review of Adult D and facilitated two events.",
            "platform_reviews": [str(adult_d.pk)],
            "declaration": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    renewal = RenewalApplication.objects.get(certificate=rene)
    assert renewal.status == "submitted"
    assert renewal.cpd_hours >= rene.scheme.renewal_cpd_hours
    assert list(renewal.reviews.values_list("review__case_reference", flat=True)) == [
        "Adult D (demo)"
    ]
