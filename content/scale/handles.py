"""What the benchmarks need from a scale world, read from the database: whom to sign in as, and
which pages to ask for."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from accreditation.models import AccreditationApplication, Certificate, ReviewStage
from accreditation.selectors.register import listed_certificates
from courses.models import Cohort, Enrolment, ModulePage
from learning_platform.accounts.demo import DEMO_PASSWORD
from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role

from .base import PREFIX, in_world


class NoScaleWorld(LookupError):
    pass


@dataclass(frozen=True)
class ScaleHandles:
    password: str
    # A trainee with an active enrolment and a review under way, with the stage they work on.
    trainee_email: str
    trainee_enrolment_pk: int
    trainee_review_pk: int
    trainee_stage_pk: int
    # The supervisor with the most trainees, directly or through a cohort they supervise.
    supervisor_email: str
    supervisor_trainees: int
    # An assessor, and the application waiting longest in the assessment queue.
    assessor_email: str
    application_pk: int
    administrator_email: str
    largest_cohort_pk: int
    largest_cohort_size: int
    valid_certificate_code: str
    listed_certificate_number: str
    listed_certificate_code: str
    course_url: str
    module_url: str


def _busiest_supervisor() -> tuple[int, int]:
    """(user id, trainees) for the supervisor with the most trainees on their home page: their
    own enrolments and those of the cohorts they supervise, without the withdrawn."""
    enrolments = Enrolment.objects.exclude(status=Enrolment.Status.WITHDRAWN)
    trainees: dict[int, set[int]] = defaultdict(set)
    for supervisor_id, enrolment_id in enrolments.filter(in_world("supervisor")).values_list(
        "supervisor_id", "pk"
    ):
        trainees[supervisor_id].add(enrolment_id)
    for supervisor_id, enrolment_id in enrolments.filter(
        in_world("cohort__supervisors")
    ).values_list("cohort__supervisors", "pk"):
        trainees[supervisor_id].add(enrolment_id)
    if not trainees:
        raise NoScaleWorld("The world has no supervisors.")
    busiest = min(trainees, key=lambda pk: (-len(trainees[pk]), pk))
    return busiest, len(trainees[busiest])


def scale_handles() -> ScaleHandles:
    """Raises NoScaleWorld when the database holds no scale world."""
    stage = (
        ReviewStage.objects.filter(
            in_world("review__trainee"),
            status=ReviewStage.Status.IN_PROGRESS,
            review__trainee__enrolments__status=Enrolment.Status.ACTIVE,
        )
        .select_related("review__trainee")
        # The review furthest on shows the most on its pages.
        .order_by("-sort_order", "review_id")
        .first()
    )
    if stage is None:
        raise NoScaleWorld("No scale world here: run manage.py seed_scale first.")
    trainee = stage.review.trainee
    enrolment = Enrolment.objects.filter(user=trainee, status=Enrolment.Status.ACTIVE).first()
    supervisor_id, supervised = _busiest_supervisor()
    assessor = (
        User.objects.filter(in_world(), groups__name=Role.ASSESSOR.value).order_by("pk").first()
    )
    application = (
        AccreditationApplication.objects.filter(
            in_world("trainee"), status=AccreditationApplication.Status.SUBMITTED
        )
        .order_by("submitted_at", "pk")
        .first()
    )
    administrator = (
        User.objects.filter(in_world(), groups__name=Role.PROGRAMME_ADMIN.value)
        .order_by("pk")
        .first()
    )
    cohort = (
        Cohort.objects.filter(name__startswith=PREFIX)
        .annotate(size=Count("enrolments"))
        .select_related("course")
        .order_by("-size", "pk")
        .first()
    )
    valid = (
        Certificate.objects.valid()
        .filter(in_world("holder"), superseded_by__isnull=True)
        .order_by("pk")
        .first()
    )
    listed = listed_certificates().filter(in_world("holder")).order_by("pk").first()
    module = ModulePage.objects.child_of(cohort.course).live().order_by("path").first()
    return ScaleHandles(
        password=DEMO_PASSWORD,
        trainee_email=trainee.email,
        trainee_enrolment_pk=enrolment.pk,
        trainee_review_pk=stage.review_id,
        trainee_stage_pk=stage.pk,
        supervisor_email=User.objects.get(pk=supervisor_id).email,
        supervisor_trainees=supervised,
        assessor_email=assessor.email,
        application_pk=application.pk,
        administrator_email=administrator.email,
        largest_cohort_pk=cohort.pk,
        largest_cohort_size=cohort.size,
        valid_certificate_code=valid.verification_code,
        listed_certificate_number=listed.number,
        listed_certificate_code=listed.verification_code,
        course_url=cohort.course.get_url(),
        module_url=module.get_url(),
    )
