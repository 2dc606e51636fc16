"""What the benchmarks sign in as and ask for, read from a world ``manage.py seed_scale`` made.

Needs Django set up (``django.setup()``) with the database to read.
"""

from dataclasses import dataclass

from django.db.models import Q

from accreditation.models import Certificate
from content.models import NewsIndexPage, PublicationIndexPage, PublicationPage
from content.scale import scale_handles
from courses.models import CoursePage, Enrolment
from learning_platform.accounts.models import User


@dataclass(frozen=True)
class World:
    personas: dict[str, User]
    code: str
    review: int
    stage: int
    application: int
    cohort: int
    largest_cohort: int
    supervised_enrolment: int
    course_page: int
    course_url: str
    module_url: str
    publications_url: str
    publication_url: str
    news_url: str


def _url(page) -> str:
    return page.get_url() if page is not None else "/"


def bench_world() -> World:
    h = scale_handles()
    by_email = {
        user.email: user
        for user in User.objects.filter(
            email__in=[
                h.trainee_email,
                h.supervisor_email,
                h.assessor_email,
                h.administrator_email,
            ]
        )
    }
    holder = Certificate.objects.get(verification_code=h.valid_certificate_code).holder
    supervisor = by_email[h.supervisor_email]
    supervised = (
        Enrolment.objects.filter(Q(supervisor=supervisor) | Q(cohort__supervisors=supervisor))
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .order_by("pk")
        .first()
    )
    course = CoursePage.objects.live().order_by("path").first()
    return World(
        personas={
            "trainee": by_email[h.trainee_email],
            "holder": holder,
            "supervisor": supervisor,
            "assessor": by_email[h.assessor_email],
            "admin": by_email[h.administrator_email],
        },
        code=h.valid_certificate_code,
        review=h.trainee_review_pk,
        stage=h.trainee_stage_pk,
        application=h.application_pk,
        cohort=Enrolment.objects.get(pk=h.trainee_enrolment_pk).cohort_id,
        largest_cohort=h.largest_cohort_pk,
        supervised_enrolment=supervised.pk,
        course_page=course.pk,
        course_url=h.course_url,
        module_url=h.module_url,
        publications_url=_url(PublicationIndexPage.objects.live().first()),
        publication_url=_url(PublicationPage.objects.live().order_by("path").first()),
        news_url=_url(NewsIndexPage.objects.live().first()),
    )
