"""Is a trainee ready to apply for accreditation? One row per requirement, each saying what is
missing, so the trainee's task list and the submit service read the same answer."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format

from courses.models import (
    Attendance,
    CoursePage,
    Enrolment,
    ModulePage,
    ModuleProgress,
    TrainingDay,
)
from learning_platform.accounts.models import User

from ..models import (
    AccreditationApplication,
    AccreditationScheme,
    ReviewStage,
    SupervisedReview,
    SupervisorRecommendation,
)
from .conduct import conduct_counts
from .expectations import expectations_from_counts
from .reviews import review_for_trainee, stages_all_approved
from .supervision import supervision_counts_for_trainee


class Requirement:
    COURSE = "course"
    STAGES = "stages"
    SUPERVISION = "supervision"
    STATEMENT = "statement"
    CONDUCT = "conduct"
    ATTENDANCE = "attendance"
    RECOMMENDATION = "recommendation"


# The trainee may write their statement while these are still to come.
NOT_NEEDED_FOR_STATEMENT = (Requirement.STATEMENT, Requirement.RECOMMENDATION)


@dataclass(frozen=True)
class ReadinessItem:
    key: str
    label: str
    met: bool
    detail: str
    # A guidance item is shown, but does not stop the trainee applying.
    required: bool = True


@dataclass
class Readiness:
    scheme: AccreditationScheme | None
    review: SupervisedReview | None
    application: AccreditationApplication | None
    items: list[ReadinessItem] = field(default_factory=list)

    @property
    def all_met(self) -> bool:
        """Every required item is met; guidance items do not count."""
        return bool(self.items) and all(item.met for item in self.items if item.required)

    @property
    def ready_for_statement(self) -> bool:
        """Every requirement but the statement (and the supervisor's recommendation, which may
        follow) is met: the trainee may now write it."""
        return all(
            item.met
            for item in self.items
            if item.required and item.key not in NOT_NEEDED_FOR_STATEMENT
        )

    @property
    def missing(self) -> list[ReadinessItem]:
        """The required items not yet met."""
        return [item for item in self.items if item.required and not item.met]


def default_scheme() -> AccreditationScheme | None:
    return AccreditationScheme.objects.filter(is_active=True).order_by("pk").first()


def accreditation_readiness(
    *, user: User, application: AccreditationApplication | None = None
) -> Readiness:
    """Each requirement of the trainee's scheme as a row: met or not, and what is missing.

    `application` may be passed (for example locked inside the submit service) so the statement
    it carries is the one judged.
    """
    review = review_for_trainee(user=user)
    scheme = review.scheme if review is not None else default_scheme()
    if application is None and review is not None:
        application = (
            AccreditationApplication.objects.filter(trainee=user, review=review)
            .order_by("-pk")
            .first()
        )
    readiness = Readiness(scheme=scheme, review=review, application=application)
    if scheme is None:
        readiness.items.append(
            ReadinessItem(
                Requirement.COURSE,
                "Accreditation scheme",
                False,
                "No accreditation scheme is open. Ask the programme team.",
            )
        )
        return readiness
    readiness.items = [
        _course_item(user, scheme),
        _attendance_item(user, scheme),
        _stages_item(review),
        _conduct_item(review, scheme),
        _supervision_item(user, scheme),
        _recommendation_item(user, review),
        _statement_item(scheme, application),
    ]
    return readiness


def _course_item(user: User, scheme: AccreditationScheme) -> ReadinessItem:
    label = "Complete the training course"
    if not scheme.requires_course_completion:
        return ReadinessItem(Requirement.COURSE, label, True, "This scheme does not require it.")
    enrolments = Enrolment.objects.filter(user=user).exclude(status=Enrolment.Status.WITHDRAWN)
    course = scheme.course
    if course is None:
        # A scheme that names no course asks for the course the trainee is enrolled on.
        enrolment = enrolments.select_related("cohort__course").order_by("-created_at").first()
        course = enrolment.cohort.course if enrolment else None
    else:
        enrolments = enrolments.filter(cohort__course=course)
    if course is None:
        return ReadinessItem(
            Requirement.COURSE, label, False, "You are not enrolled on the training course."
        )
    label = f"Complete the course “{course.title}”"
    modules = list(_course_modules(course).only("pk", "title"))
    if not modules:
        return ReadinessItem(Requirement.COURSE, label, False, "The course has no modules yet.")
    completed = set(
        ModuleProgress.objects.filter(
            enrolment__in=enrolments,
            module__in=[m.pk for m in modules],
            completed_at__isnull=False,
        ).values_list("module_id", flat=True)
    )
    remaining = [m.title for m in modules if m.pk not in completed]
    if remaining:
        return ReadinessItem(
            Requirement.COURSE,
            label,
            False,
            f"{len(completed)} of {len(modules)} modules completed. Still to complete: "
            + "; ".join(remaining)
            + ".",
        )
    return ReadinessItem(Requirement.COURSE, label, True, f"All {len(modules)} modules completed.")


def _current_enrolment(user: User, scheme: AccreditationScheme) -> Enrolment | None:
    """The enrolment whose cohort's training counts: on the scheme's course if it names one."""
    enrolments = Enrolment.objects.filter(user=user).exclude(status=Enrolment.Status.WITHDRAWN)
    if scheme.course_id is not None:
        enrolments = enrolments.filter(cohort__course_id=scheme.course_id)
    return enrolments.select_related("cohort").order_by("-created_at", "-pk").first()


def _day_name(day: TrainingDay) -> str:
    return f"{day.title} ({date_format(day.date)})"


def _attendance_item(user: User, scheme: AccreditationScheme) -> ReadinessItem:
    label = "Attend the training days"
    enrolment = _current_enrolment(user, scheme)
    if enrolment is None:
        if scheme.min_training_days:
            return ReadinessItem(
                Requirement.ATTENDANCE, label, False, "You are not enrolled on a training cohort."
            )
        return ReadinessItem(
            Requirement.ATTENDANCE, label, True, "You are not enrolled on a training cohort."
        )
    today = timezone.localdate()
    # A day counts once its register has been taken: it has come, and someone's attendance on
    # it is recorded. A day without a register counts as neither present nor absent.
    days = list(
        TrainingDay.objects.filter(cohort_id=enrolment.cohort_id)
        .annotate(
            register_taken=Exists(Attendance.objects.filter(training_day=OuterRef("pk"))),
            was_present=Exists(
                Attendance.objects.filter(
                    training_day=OuterRef("pk"), enrolment=enrolment, present=True
                )
            ),
        )
        .order_by("date", "starts_at", "pk")
    )
    required = len(days) if scheme.min_training_days is None else scheme.min_training_days
    taken = [day for day in days if day.register_taken and day.date <= today]
    attended = [day for day in taken if day.was_present]
    if not days and not required:
        return ReadinessItem(
            Requirement.ATTENDANCE, label, True, "Your cohort has no training days."
        )
    label = f"Attend the training days ({required} of {len(days)})"
    summary = (
        f"You attended {len(attended)} of the {len(taken)} day{'s' if len(taken) != 1 else ''} "
        f"whose register has been taken; {required} needed."
    )
    if len(attended) >= required:
        return ReadinessItem(Requirement.ATTENDANCE, label, True, summary)
    parts = [summary]
    missed = [_day_name(day) for day in taken if not day.was_present]
    if missed:
        parts.append("Missed: " + "; ".join(missed) + ".")
    not_taken = len(days) - len(taken)
    if not_taken and len(taken) < required:
        parts.append(
            f"The register{'s' if not_taken != 1 else ''} for the remaining {not_taken} "
            f"day{'s' if not_taken != 1 else ''} {'have' if not_taken != 1 else 'has'} not "
            "been taken yet."
        )
    elif required > len(days):
        parts.append(
            f"Your cohort has only {len(days)} training day{'s' if len(days) != 1 else ''}: "
            "ask the programme team."
        )
    else:
        parts.append("Ask the programme team how to make up the days you missed.")
    return ReadinessItem(Requirement.ATTENDANCE, label, False, " ".join(parts))


def _recommendation_item(user: User, review: SupervisedReview | None) -> ReadinessItem:
    label = "Your supervisor recommends you"
    if review is None:
        return ReadinessItem(
            Requirement.RECOMMENDATION,
            label,
            False,
            "No supervised review is recorded for you yet.",
        )
    latest = (
        SupervisorRecommendation.objects.filter(review=review, trainee=user)
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None:
        return ReadinessItem(
            Requirement.RECOMMENDATION,
            label,
            False,
            "Your supervisor has not made a recommendation yet. They make it once the last "
            "stage of your review has been submitted.",
        )
    if not latest.ready:
        return ReadinessItem(
            Requirement.RECOMMENDATION,
            label,
            False,
            f"Your supervisor recommends you are not yet ready: “{latest.statement}”",
        )
    return ReadinessItem(
        Requirement.RECOMMENDATION,
        label,
        True,
        f"Your supervisor recommended you on {date_format(timezone.localtime(latest.created_at))}.",
    )


def _course_modules(course: CoursePage):
    return ModulePage.objects.child_of(course).live().order_by("path")


def _stages_item(review: SupervisedReview | None) -> ReadinessItem:
    label = "Have every stage of your supervised review signed off"
    if review is None:
        return ReadinessItem(
            Requirement.STAGES, label, False, "No supervised review is recorded for you yet."
        )
    if stages_all_approved(review=review):
        return ReadinessItem(
            Requirement.STAGES, label, True, "Your supervisor has approved every stage."
        )
    waiting = (
        ReviewStage.objects.filter(review=review)
        .exclude(status=ReviewStage.Status.APPROVED)
        .select_related("definition")
        .order_by("sort_order")
    )
    parts = [
        f"{stage.definition.title} ({stage.get_status_display().lower()})" for stage in waiting
    ]
    detail = (
        "Not yet approved: " + "; ".join(parts) + "." if parts else "Your review has no stages yet."
    )
    return ReadinessItem(Requirement.STAGES, label, False, detail)


def _conduct_item(review: SupervisedReview | None, scheme: AccreditationScheme) -> ReadinessItem:
    label = "Run the review as its type expects"
    required = scheme.review_type_expectations_required
    if review is None:
        return ReadinessItem(
            Requirement.CONDUCT,
            label,
            False,
            "No supervised review is recorded for you yet.",
            required,
        )
    review_type = review.review_type
    kind = f"{review_type.name} review"
    rows = expectations_from_counts(
        review_type=review_type, counts=conduct_counts(review=review), required=required
    )
    if not rows:
        return ReadinessItem(
            Requirement.CONDUCT,
            label,
            True,
            f"{kind} expects no set number of conversations or meetings.",
            required,
        )
    short = [row.shortfall for row in rows if not row.met]
    if short:
        return ReadinessItem(
            Requirement.CONDUCT,
            label,
            False,
            f"{kind}: still short. " + "; ".join(short) + ".",
            required,
        )
    held = "; ".join(f"{row.label}: {row.held} of {row.expected}" for row in rows)
    return ReadinessItem(Requirement.CONDUCT, label, True, f"{kind}: all held. {held}.", required)


def _supervision_item(user: User, scheme: AccreditationScheme) -> ReadinessItem:
    label = "Attend the required supervision"
    counts = supervision_counts_for_trainee(user=user, scheme=scheme)
    group, individual = counts["group"], counts["individual_report_writing"]
    missing = []
    if group < scheme.min_group_sessions:
        missing.append(
            f"{scheme.min_group_sessions - group} more group session"
            f"{'s' if scheme.min_group_sessions - group != 1 else ''} "
            f"({group} of {scheme.min_group_sessions} confirmed)"
        )
    if individual < scheme.min_individual_sessions:
        missing.append(
            f"{scheme.min_individual_sessions - individual} more individual session"
            f"{'s' if scheme.min_individual_sessions - individual != 1 else ''} during report "
            f"writing ({individual} of {scheme.min_individual_sessions} confirmed)"
        )
    if missing:
        return ReadinessItem(
            Requirement.SUPERVISION, label, False, "Still needed: " + "; ".join(missing) + "."
        )
    return ReadinessItem(
        Requirement.SUPERVISION,
        label,
        True,
        f"{group} group and {individual} individual session{'s' if individual != 1 else ''} "
        "confirmed.",
    )


def statement_word_count(*, statement: str) -> int:
    """Words as a reader counts them: runs of text between spaces and line breaks."""
    return len((statement or "").split())


def _statement_item(
    scheme: AccreditationScheme, application: AccreditationApplication | None
) -> ReadinessItem:
    label = "Write your reflective statement"
    if not scheme.requires_reflective_statement:
        return ReadinessItem(
            Requirement.STATEMENT, label, True, "This scheme does not require one."
        )
    minimum = scheme.min_statement_words
    label = f"Write your reflective statement (at least {minimum:,} words)"
    words = statement_word_count(statement=application.reflective_statement) if application else 0
    if words == 0:
        return ReadinessItem(
            Requirement.STATEMENT, label, False, "You have not written your reflective statement."
        )
    if words < minimum:
        return ReadinessItem(
            Requirement.STATEMENT,
            label,
            False,
            f"Your statement has {words:,} word{'s' if words != 1 else ''}. Write at least "
            f"{minimum - words:,} more: it needs {minimum:,} words.",
        )
    return ReadinessItem(
        Requirement.STATEMENT, label, True, f"Your statement is written ({words:,} words)."
    )
