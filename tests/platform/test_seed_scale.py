"""`manage.py seed_scale`: the national-scale world the benchmarks run on, built at scale 0.01
(the same shape, small), and the handles the benchmarks sign in and find pages with."""

import io
from collections import Counter

from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

import pytest

from accreditation.models import (
    AccreditationApplication,
    Certificate,
    KeyPracticeEpisode,
    ReviewStage,
    SignOff,
    StageDefinition,
    SupervisedReview,
    SupervisionSession,
)
from accreditation.selectors.certificates import PublicStatus, certificate_public_status
from accreditation.services.reviews import default_scheme
from content.scale import scale_handles, scale_plan
from content.scale.plan import STANDINGS, SUPERSEDED, VALID
from courses.models import Cohort, Enrolment, ModuleProgress
from learning_platform.accounts.demo import DEMO_PASSWORD
from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role
from notifications.models import EmailStatus, Notification
from tests.production import PRODUCTION_ENV, manage

from ..courses.factories import CohortFactory, EnrolmentFactory

SCALE = 0.01
DOMAIN = "@scale.example.org"


def seed_scale(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_scale", "--scale", str(SCALE), *args, stdout=out)
    return out.getvalue()


def world() -> dict[str, int]:
    """What the database holds of the world, counted here rather than by the code under test."""
    people = User.objects.filter(email__endswith=DOMAIN)
    return {
        "people": people.count(),
        "cohorts": Cohort.objects.filter(name__startswith="Scale ").count(),
        "enrolments": Enrolment.objects.filter(user__in=people).count(),
        "reviews": SupervisedReview.objects.filter(trainee__in=people).count(),
        "sign-offs": SignOff.objects.filter(by__in=people).count(),
        "certificates": Certificate.objects.filter(holder__in=people).count(),
        "notifications": Notification.objects.filter(recipient__in=people).count(),
    }


def in_role(role: Role):
    return User.objects.filter(email__endswith=DOMAIN, groups=Group.objects.get(name=role.value))


# The plan ------------------------------------------------------------------------------------


def test_it_plans_every_count_in_proportion_to_the_scale():
    one, two = scale_plan(1), scale_plan(2)

    assert (one.cohorts, one.trainees, one.supervisors, one.assessors) == (40, 1500, 150, 30)
    assert (one.reviews, one.sign_offs, one.key_practice_episodes) == (740, 9600, 5700)
    assert (one.supervision_sessions, one.applications, one.certificates) == (3000, 600, 500)
    assert one.notifications == 20_000
    for name in ("trainees", "reviews", "sign_offs", "supervision_sessions", "notifications"):
        assert getattr(two, name) == 2 * getattr(one, name)


def test_it_keeps_the_shape_of_the_world_however_small():
    tiny = scale_plan(0.001)

    assert tiny.cohorts >= 2
    assert all(count >= 1 for count in tiny.application_statuses.values())
    assert all(tiny.standings[standing] >= 1 for standing in STANDINGS)
    statuses = {s for s, count in tiny.current_stage.items() if count}
    assert {ReviewStage.Status.IN_PROGRESS, ReviewStage.Status.SUBMITTED} <= statuses
    assert ReviewStage.Status.CHANGES_REQUESTED in statuses
    assert tiny.trainees >= 2 * tiny.reviews


# The world -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_builds_the_planned_world():
    plan = scale_plan(SCALE)

    out = seed_scale()

    people = User.objects.filter(email__endswith=DOMAIN)
    reviews = SupervisedReview.objects.filter(trainee__in=people)
    stages = ReviewStage.objects.filter(review__in=reviews)
    assert Cohort.objects.filter(name__startswith="Scale ").count() == plan.cohorts
    assert in_role(Role.TRAINEE).count() == plan.trainees
    assert in_role(Role.SUPERVISOR).count() == plan.supervisors
    assert in_role(Role.ASSESSOR).count() == plan.assessors
    assert in_role(Role.PROGRAMME_ADMIN).count() == plan.administrators
    assert reviews.count() == plan.reviews
    stage_count = StageDefinition.objects.filter(scheme=default_scheme()).count()
    assert stages.count() == plan.reviews * stage_count
    assert SignOff.objects.filter(stage__in=stages).count() == plan.sign_offs
    assert KeyPracticeEpisode.objects.filter(review__in=reviews).count() == (
        plan.key_practice_episodes
    )
    assert SupervisionSession.objects.filter(supervisor__in=people).count() == (
        plan.supervision_sessions
    )
    assert Notification.objects.filter(recipient__in=people).count() == plan.notifications
    # Reviews at every stage status, the complete ones wholly signed off.
    assert set(stages.values_list("status", flat=True)) == set(ReviewStage.Status.values)
    unfinished = stages.exclude(status=ReviewStage.Status.APPROVED).values("review")
    assert reviews.exclude(pk__in=unfinished).count() == plan.complete_reviews

    applications = AccreditationApplication.objects.filter(trainee__in=people)
    assert Counter(applications.values_list("status", flat=True)) == Counter(
        {str(status): count for status, count in plan.application_statuses.items()}
    )
    certificates = Certificate.objects.filter(holder__in=people).select_related("superseded_by")
    standings = Counter(certificate_public_status(certificate=c) for c in certificates)
    # Each superseded certificate's renewal is valid.
    expected = {**plan.standings, VALID: plan.standings[VALID] + plan.standings[SUPERSEDED]}
    assert standings == Counter({PublicStatus(s): n for s, n in expected.items()})
    assert certificates.count() == plan.certificates
    assert "Seeded in" in out


@pytest.mark.django_db
def test_it_gives_everyone_the_demo_password_and_sends_no_email():
    seed_scale()

    people = User.objects.filter(email__endswith=DOMAIN)
    assert people.values("password").distinct().count() == 1
    assert people.first().check_password(DEMO_PASSWORD)
    assert mail.outbox == []
    notifications = Notification.objects.filter(recipient__in=people)
    assert set(notifications.values_list("email_status", flat=True)) == {EmailStatus.SENT}
    unread = notifications.filter(read_at__isnull=True).count()
    assert 0 < unread < notifications.count() / 2


@pytest.mark.django_db
def test_it_hands_the_benchmarks_people_whose_pages_open(client):
    plan = scale_plan(SCALE)
    seed_scale()

    handles = scale_handles()

    trainee = User.objects.get(email=handles.trainee_email)
    stage = ReviewStage.objects.get(pk=handles.trainee_stage_pk)
    assert stage.review.trainee == trainee and stage.status == ReviewStage.Status.IN_PROGRESS
    assert Enrolment.objects.get(pk=handles.trainee_enrolment_pk).status == "active"
    # The busiest supervisor supervises at least the plan's number of trainees.
    assert handles.supervisor_trainees >= plan.busiest_supervisor_trainees
    application = AccreditationApplication.objects.get(pk=handles.application_pk)
    assert application.status == AccreditationApplication.Status.SUBMITTED
    pages = {
        handles.trainee_email: [
            reverse("courses:my_learning"),
            reverse("accreditation:review_detail", args=[handles.trainee_review_pk]),
            reverse("accreditation:stage_detail", args=[handles.trainee_stage_pk]),
            reverse("notifications:list"),
            handles.module_url,
        ],
        handles.supervisor_email: [
            reverse("courses:supervisor_home"),
            reverse("accreditation:supervisor_queue"),
        ],
        handles.assessor_email: [
            reverse("accreditation:assessment_queue"),
            reverse("accreditation:assessment_portfolio", args=[handles.application_pk]),
        ],
        handles.administrator_email: [
            reverse("courses:cohort_list"),
            reverse("courses:cohort_grid", args=[handles.largest_cohort_pk]),
            reverse("accreditation:dashboard"),
            reverse("wagtailadmin_home"),
        ],
    }
    for email, urls in pages.items():
        client.force_login(User.objects.get(email=email))
        for url in urls:
            assert client.get(url).status_code == 200, (email, url)
    client.logout()

    verify = client.get(reverse("certificate_verify_code", args=[handles.valid_certificate_code]))
    assert verify.status_code == 200
    assert "Valid" in verify.content.decode()
    listed = Certificate.objects.get(number=handles.listed_certificate_number)
    register = client.get(reverse("public_register"))
    assert listed.holder.full_name in register.content.decode()
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_it_refuses_a_second_run_and_a_reset_builds_the_world_again_alone(course, tess, sam):
    # Someone else's cohort named like the world's, with a demo trainee in it.
    theirs = CohortFactory(course=course, name="Scale pilot 2026")
    EnrolmentFactory(user=tess, cohort=theirs, supervisor=sam, status=Enrolment.Status.ACTIVE)
    seed_scale()
    before = world()
    first_trainee = scale_handles().trainee_email
    old_people = set(User.objects.filter(email__endswith=DOMAIN).values_list("pk", flat=True))

    with pytest.raises(CommandError, match="already holds a scale world"):
        seed_scale()
    assert world() == before

    seed_scale("--reset")

    assert world() == before
    assert scale_handles().trainee_email == first_trainee
    new_people = set(User.objects.filter(email__endswith=DOMAIN).values_list("pk", flat=True))
    assert not old_people & new_people
    assert User.objects.filter(pk__in=[tess.pk, sam.pk]).count() == 2
    assert Enrolment.objects.filter(user=tess, cohort=theirs).exists()


@pytest.mark.django_db
def test_it_refuses_to_run_with_the_production_settings(settings):
    settings.SETTINGS_MODULE = "learning_platform.settings.production"

    with pytest.raises(CommandError, match="production"):
        seed_scale()
    with pytest.raises(CommandError, match="production"):
        seed_scale("--reset")
    assert not User.objects.filter(email__endswith=DOMAIN).exists()


def test_it_refuses_to_start_under_the_real_production_settings():
    result = manage("seed_scale", "--scale", str(SCALE), env=PRODUCTION_ENV)

    assert result.returncode != 0
    assert "refuses to run with the production settings" in result.stderr


@pytest.mark.django_db
def test_it_adds_a_huge_cohort_as_the_largest():
    plan = scale_plan(SCALE)

    seed_scale("--huge-cohort", "50")

    handles = scale_handles()
    huge = Cohort.objects.get(pk=handles.largest_cohort_pk)
    assert handles.largest_cohort_size == huge.enrolments.count() == 50
    assert in_role(Role.TRAINEE).count() == plan.trainees + 50
    assert ModuleProgress.objects.filter(enrolment__cohort=huge).exists()
    assert not huge.supervisors.exists()
    assert not huge.enrolments.filter(review_partner__isnull=True).exists()
