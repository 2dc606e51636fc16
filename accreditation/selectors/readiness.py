"""Is a trainee ready to apply for accreditation? One row per requirement, each saying what is
missing, so the trainee's task list and the submit service read the same answer."""

from dataclasses import dataclass, field

from courses.models import CoursePage, Enrolment, ModulePage, ModuleProgress
from learning_platform.accounts.models import User

from ..models import AccreditationApplication, AccreditationScheme, ReviewStage, SupervisedReview
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
        """Every requirement but the statement is met: the trainee may now write it."""
        return all(
            item.met for item in self.items if item.required and item.key != Requirement.STATEMENT
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
        _stages_item(review),
        _conduct_item(review, scheme),
        _supervision_item(user, scheme),
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
