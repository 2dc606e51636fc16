"""Builders and fixtures for applications, assessment, certificates and the dashboard.

`ready` makes a trainee meet every requirement but the statement, quickly and directly (the
whole-path test walks the same ground through the services instead).
"""

import datetime

from django.utils import timezone

from accreditation.models import (
    AccreditationApplication,
    AssessmentCriterion,
    ReviewStage,
    SupervisedReview,
    SupervisionAttendance,
    SupervisionSession,
    SupervisorRecommendation,
)
from accreditation.services import applications as application_services
from courses.models import Enrolment, ModuleProgress
from learning_platform.accounts.roles import Role
from tests.courses.factories import CohortFactory, EnrolmentFactory, build_course
from tests.factories import UserFactory, give_totp

# Long enough for the default scheme's minimum of 300 words.
STATEMENT = " ".join(
    ["Working as a lead reviewer taught me to look for the system behind the episode."] * 22
)
assert len(STATEMENT.split()) >= 300


def make_assessor(full_name: str, email: str, *, also_supervisor: bool = False):
    roles = [Role.ASSESSOR, Role.SUPERVISOR] if also_supervisor else [Role.ASSESSOR]
    user = UserFactory(full_name=full_name, email=email, roles=roles)
    give_totp(user)
    return user


def enrol(trainee, *, cohort=None, supervisor=None, modules: int = 2) -> Enrolment:
    if cohort is None:
        cohort = CohortFactory(course=build_course(modules=modules))
    return EnrolmentFactory(user=trainee, cohort=cohort, supervisor=supervisor)


def complete_modules(enrolment: Enrolment) -> None:
    for module in enrolment.cohort.course.modules():
        ModuleProgress.objects.update_or_create(
            enrolment=enrolment, module=module, defaults={"completed_at": timezone.now()}
        )


def approve_all_stages(review: SupervisedReview) -> None:
    ReviewStage.objects.filter(review=review).update(status=ReviewStage.Status.APPROVED)


def log_supervision(trainee, supervisor, *, group: int = 4, individual: int = 1) -> None:
    today = timezone.localdate()
    for number in range(group + individual):
        is_group = number < group
        session = SupervisionSession.objects.create(
            supervisor=supervisor,
            kind=SupervisionSession.Kind.GROUP if is_group else SupervisionSession.Kind.INDIVIDUAL,
            date=today - datetime.timedelta(days=30 - number),
            duration_minutes=90,
            during_report_writing=not is_group,
        )
        SupervisionAttendance.objects.create(
            session=session, trainee=trainee, confirmed_at=timezone.now()
        )


def make_ready(trainee, review: SupervisedReview, *, cohort=None) -> Enrolment:
    """Everything but the reflective statement is done."""
    enrolment = enrol(trainee, cohort=cohort, supervisor=review.supervisor)
    complete_modules(enrolment)
    approve_all_stages(review)
    log_supervision(trainee, review.supervisor)
    recommend(trainee, review)
    return enrolment


def recommend(trainee, review: SupervisedReview, *, ready: bool = True, statement: str = ""):
    """The supervisor's recommendation, recorded directly (no notification)."""
    return SupervisorRecommendation.objects.create(
        review=review,
        trainee=trainee,
        supervisor=review.supervisor,
        ready=ready,
        statement=statement or ("Ready: a careful review." if ready else "Not yet."),
    )


def submit(trainee, statement: str = STATEMENT) -> AccreditationApplication:
    application = application_services.application_save_draft(
        trainee=trainee, reflective_statement=statement
    )
    return application_services.application_submit(application=application, trainee=trainee)


def criteria_of(application) -> list[AssessmentCriterion]:
    return list(
        AssessmentCriterion.objects.filter(
            scheme_id=application.scheme_id, purpose=AssessmentCriterion.Purpose.ACCREDITATION
        ).order_by("sort_order", "pk")
    )


def all_met(application, comment: str = "Shown clearly in the portfolio.") -> dict:
    """Answers judging every accreditation criterion of the application's scheme met."""
    return {criterion.pk: (True, comment) for criterion in criteria_of(application)}


def first_not_met(application, comment: str = "Show how the findings rest on the KPEs.") -> dict:
    """Answers judging the first criterion not yet met (with what to do) and the rest met."""
    answers = all_met(application)
    first = criteria_of(application)[0]
    answers[first.pk] = (False, comment)
    return answers


def approve(application, assessor, reasons: str = "A thorough, well-supervised review."):
    return application_services.application_approve(
        application=application, assessor=assessor, reasons=reasons, answers=all_met(application)
    )


def refer(application, assessor, reasons: str = "Nearly there.", required_actions: str = ""):
    return application_services.application_refer(
        application=application,
        assessor=assessor,
        reasons=reasons,
        answers=first_not_met(application),
        required_actions=required_actions,
    )


def decline(application, assessor, reasons: str = "Not enough evidence."):
    return application_services.application_decline(
        application=application,
        assessor=assessor,
        reasons=reasons,
        answers=first_not_met(application),
    )


def add_plenty(trainee, review: SupervisedReview, *, notes: int = 10, sessions: int = 20) -> None:
    """Many more rows of what the application and assessment pages show, so a query pin taken
    before and after can show that the page's cost does not grow with them."""
    from accreditation.models import Evidence

    for review_stage in review.stages.all():
        Evidence.objects.bulk_create(
            Evidence(
                stage=review_stage, kind="note", title=f"Note {n}", note="x", uploaded_by=trainee
            )
            for n in range(notes)
        )
    log_supervision(
        trainee, review.supervisor, group=sessions - sessions // 4, individual=sessions // 4
    )


def criteria_form(application, *, not_met: int = 0, comment: str = "Judged.") -> dict:
    """The decision form's criteria fields: the first `not_met` criteria not yet met (each with
    the comment), the rest met."""
    data = {}
    for index, criterion in enumerate(criteria_of(application)):
        data[f"criterion_{criterion.pk}"] = "not_met" if index < not_met else "met"
        data[f"criterion_{criterion.pk}_comment"] = comment
    return data
