"""Reads about accreditation applications: the trainee's current one, the assessor's queue and
the complete portfolio an assessor decides on. Each runs a fixed number of queries."""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from courses.models import Enrolment, ModulePage, ModuleProgress, ReflectionAnswer
from learning_platform.accounts.models import User

from ..models import (
    AccreditationApplication,
    Certificate,
    Conversation,
    CriterionJudgement,
    Decision,
    Evidence,
    Finding,
    KeyPracticeEpisode,
    ReviewMeeting,
    ReviewStage,
    SignOff,
    SupervisedReview,
    SupervisionAttendance,
    SupervisorRecommendation,
)
from .certificates import CertificateStanding, certificate_standing
from .conduct import ReviewPeople, review_conversations, review_meetings, review_people
from .reviews import review_episodes, review_findings

Status = AccreditationApplication.Status


def assessor_supervises_trainee(*, assessor: User, application: AccreditationApplication) -> bool:
    """A supervisor never assesses their own trainee, nor changes their certificate: the review's
    supervisor, or the supervisor on any of the trainee's enrolments."""
    if application.review.supervisor_id == assessor.pk:
        return True
    return Enrolment.objects.filter(user_id=application.trainee_id, supervisor=assessor).exists()


def application_for_trainee(*, user: User, review: SupervisedReview | None):
    """The trainee's latest application for their current review, or None."""
    if review is None or not user.is_authenticated:
        return None
    return (
        AccreditationApplication.objects.filter(trainee=user, review=review)
        .prefetch_related(
            Prefetch("decisions", queryset=_decisions_queryset()),
        )
        .order_by("-pk")
        .first()
    )


def _decisions_queryset():
    # Each decision with its judgements against the criteria, in the order they were judged.
    return (
        Decision.objects.select_related("assessor")
        .prefetch_related(
            Prefetch("judgements", queryset=CriterionJudgement.objects.order_by("sort_order", "pk"))
        )
        .order_by("created_at", "pk")
    )


def _supervises_trainee(assessor: User) -> Q:
    return Q(review__supervisor=assessor) | Q(
        Exists(Enrolment.objects.filter(user=OuterRef("trainee"), supervisor=assessor))
    )


class QueueShows(models.TextChoices):
    """Which of the waiting applications the assessor's queue shows."""

    ALL = "", "Every application waiting"
    MAY_DECIDE = "may_decide", "Those you may decide"
    SUPERVISED = "supervised", "Those of trainees you supervise"


def assessment_queue(
    *, assessor: User, name: str = "", shows: str = QueueShows.ALL
) -> QuerySet[AccreditationApplication]:
    """Submitted applications, oldest first, each marked `assessor_supervises` when this assessor
    supervises the trainee and so may not decide. ``name`` keeps those whose trainee's name holds
    it; ``shows`` keeps those this assessor may decide, or those they may not."""
    queue = (
        AccreditationApplication.objects.filter(status=Status.SUBMITTED)
        .select_related("trainee__organisation", "review__supervisor", "scheme")
        .annotate(assessor_supervises=_supervises_trainee(assessor))
        .order_by("submitted_at", "pk")
    )
    if name.strip():
        queue = queue.filter(trainee__full_name__icontains=name.strip())
    if shows == QueueShows.MAY_DECIDE:
        queue = queue.filter(assessor_supervises=False)
    elif shows == QueueShows.SUPERVISED:
        queue = queue.filter(assessor_supervises=True)
    return queue


def recent_decisions(*, limit: int = 20) -> list[Decision]:
    """The latest decisions, newest first. Decisions, not the applications' current states: a
    referral stays listed after the trainee resubmits."""
    return list(
        Decision.objects.select_related("application__trainee", "assessor").order_by(
            "-created_at", "-pk"
        )[:limit]
    )


def assessor_supervises(*, assessor: User, application: AccreditationApplication) -> bool:
    return (
        AccreditationApplication.objects.filter(pk=application.pk)
        .filter(_supervises_trainee(assessor))
        .exists()
    )


@dataclass
class ModuleRow:
    module: ModulePage
    completed_at: object = None
    started: bool = False
    reflections: list[tuple[str, str]] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        if self.completed_at:
            return "Completed"
        return "In progress" if self.started else "Not started"

    @property
    def tag_class(self) -> str:
        if self.completed_at:
            return "tag--green"
        return "tag--yellow" if self.started else "tag--grey"


@dataclass
class Portfolio:
    application: AccreditationApplication
    review: SupervisedReview
    modules: list[ModuleRow]
    stages: list[ReviewStage]
    episodes: list[KeyPracticeEpisode]
    findings: list[Finding]
    supervision: list[SupervisionAttendance]
    decisions: list
    certificate: Certificate | None = None
    certificate_standing: CertificateStanding | None = None
    people: ReviewPeople | None = None
    conversations: list[Conversation] = field(default_factory=list)
    meetings: list[ReviewMeeting] = field(default_factory=list)
    recommendation: SupervisorRecommendation | None = None


def application_portfolio(*, application: AccreditationApplication) -> Portfolio:
    """Everything an assessor reads before deciding: modules and reflections, every stage with
    its evidence and sign-off history, the registers, the review's people, conversations and
    meetings, the supervision log, the statement and the decisions so far."""
    review = application.review
    trainee = application.trainee
    stages = list(
        ReviewStage.objects.filter(review=review)
        .select_related("definition")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "pk")),
            Prefetch(
                "sign_offs",
                queryset=SignOff.objects.select_related("by").order_by("created_at", "pk"),
            ),
        )
        .order_by("sort_order")
    )
    supervision = list(
        SupervisionAttendance.objects.filter(trainee=trainee)
        .select_related("session__supervisor")
        .order_by("session__date", "session__pk")
    )
    certificate = (
        Certificate.objects.filter(application=application).select_related("superseded_by").first()
    )
    return Portfolio(
        application=application,
        review=review,
        modules=_module_rows(trainee, application),
        stages=stages,
        episodes=review_episodes(review=review),
        findings=review_findings(review=review),
        supervision=supervision,
        decisions=list(_decisions_queryset().filter(application=application)),
        certificate=certificate,
        certificate_standing=certificate_standing(certificate=certificate) if certificate else None,
        people=review_people(review=review),
        conversations=review_conversations(review=review),
        meetings=review_meetings(review=review),
        recommendation=latest_recommendation(review=review, trainee=trainee),
    )


def latest_recommendation(
    *, review: SupervisedReview, trainee: User
) -> SupervisorRecommendation | None:
    """The supervisor's latest recommendation for this trainee on this review: the one that
    counts."""
    return (
        SupervisorRecommendation.objects.filter(review=review, trainee=trainee)
        .select_related("supervisor")
        .order_by("-created_at", "-pk")
        .first()
    )


def _module_rows(trainee: User, application: AccreditationApplication) -> list[ModuleRow]:
    enrolments = Enrolment.objects.filter(user=trainee).exclude(status=Enrolment.Status.WITHDRAWN)
    course = application.scheme.course
    if course is not None:
        enrolments = enrolments.filter(cohort__course=course)
    enrolment = enrolments.select_related("cohort__course").order_by("-created_at").first()
    if enrolment is None:
        return []
    course = course or enrolment.cohort.course
    modules = list(ModulePage.objects.child_of(course).live().order_by("path"))
    progress = {
        p.module_id: p
        for p in ModuleProgress.objects.filter(enrolment=enrolment).prefetch_related(
            Prefetch("reflections", queryset=ReflectionAnswer.objects.order_by("created_at"))
        )
    }
    rows = []
    for module in modules:
        row = ModuleRow(module=module)
        record = progress.get(module.pk)
        if record is not None:
            row.started = True
            row.completed_at = record.completed_at
            questions = _reflection_questions(module)
            row.reflections = [
                (questions.get(answer.block_id, "Reflection"), answer.answer)
                for answer in record.reflections.all()
            ]
        rows.append(row)
    return rows


def _reflection_questions(module: ModulePage) -> dict[str, str]:
    # The raw stream: no block is rendered and nothing else is fetched.
    return {
        item.get("id"): (item.get("value") or {}).get("question", "Reflection")
        for item in module.body.raw_data
        if item.get("type") == "reflective_question"
    }
