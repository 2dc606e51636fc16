"""Reads about supervised reviews and their stages."""

from django.db.models import Count, Prefetch, QuerySet

from learning_platform.accounts.models import User

from ..models import (
    AccreditationApplication,
    CaseGroupParticipant,
    ContributoryFactor,
    Conversation,
    Evidence,
    Finding,
    KeyPracticeEpisode,
    ReviewStage,
    SignOff,
    StageDefinition,
    SupervisedReview,
)


def reviews_as_reviewer(*, user: User) -> QuerySet[SupervisedReview]:
    """Reviews this user carries out: as the lead trainee, or as the trainee partner."""
    if not user.is_authenticated:
        return SupervisedReview.objects.none()
    return SupervisedReview.objects.carried_out_by(user)


def review_for_trainee(*, user: User) -> SupervisedReview | None:
    """The trainee's current supervised review (as lead or partner trainee), or None.

    An accredited co-reviewer is a partner too, but the review is not theirs to be assessed on.
    """
    if not user.is_authenticated:
        return None
    return (
        SupervisedReview.objects.carried_out_by(user, accredited_partner=False)
        .select_related(
            "scheme",
            "review_type",
            "trainee",
            "partner",
            "supervisor",
            "commissioning_organisation",
        )
        .order_by("-start_date", "-pk")
        .first()
    )


def stages_all_approved(*, review: SupervisedReview) -> bool:
    """True when the review has stages and every one of them is approved."""
    statuses = list(ReviewStage.objects.filter(review=review).values_list("status", flat=True))
    return bool(statuses) and all(s == ReviewStage.Status.APPROVED for s in statuses)


def review_stages(*, review: SupervisedReview) -> list[ReviewStage]:
    """The review's stages in order, each with its definition and evidence count."""
    return list(
        ReviewStage.objects.filter(review=review)
        .select_related("definition")
        .annotate(evidence_count=Count("evidence"))
        .order_by("sort_order")
    )


def stage_evidence(*, stage: ReviewStage) -> list[Evidence]:
    return list(Evidence.objects.filter(stage=stage).select_related("uploaded_by"))


def stage_history(*, stage: ReviewStage) -> list[SignOff]:
    """Every sign-off on the stage, oldest first: who, when, from, to and why."""
    return list(SignOff.objects.filter(stage=stage).select_related("by"))


def review_episodes(
    *, review: SupervisedReview, with_conversations: bool = True
) -> list[KeyPracticeEpisode]:
    """The review's key practice episodes in number order, with their contributory factors and
    the levels of their categories, and (unless ``with_conversations`` is false, for the draft
    report, which does not show them) the conversations each rests on with who they were
    with."""
    prefetches = [
        Prefetch(
            "contributory_factors",
            queryset=ContributoryFactor.objects.select_related("category__level"),
        )
    ]
    if with_conversations:
        participants = CaseGroupParticipant.objects.order_by("pk")
        prefetches.append(
            Prefetch(
                "conversations",
                queryset=Conversation.objects.order_by("date", "pk").prefetch_related(
                    Prefetch("participants", queryset=participants)
                ),
            )
        )
    return list(KeyPracticeEpisode.objects.filter(review=review).prefetch_related(*prefetches))


def review_findings(*, review: SupervisedReview) -> list[Finding]:
    """The review's findings in priority order, each numbered (``number``), with its category,
    its key practice episodes and its issues for the board."""
    findings = list(
        Finding.objects.filter(review=review)
        .select_related("category")
        .prefetch_related("episodes", "issues_for_board")
    )
    for number, finding in enumerate(findings, start=1):
        finding.number = number
    return findings


def stage_definitions_in_use(*, scheme) -> dict[int, int]:
    """For each of the scheme's stage definitions that reviews have: how many reviews."""
    return dict(
        ReviewStage.objects.filter(definition__scheme=scheme)
        .values("definition_id")
        .annotate(uses=Count("review_id", distinct=True))
        .values_list("definition_id", "uses")
    )


def stage_reopen_refusal(*, review: SupervisedReview, lock: bool = False) -> str | None:
    """Why the review's approved stages may not be reopened now, or None.

    An application for accreditation rests on them: while one awaits a decision, and after one
    was approved, the signed-off portfolio must stay as the assessor read it. With ``lock`` the
    applications are locked, so a submission or decision in flight is seen once it commits."""
    Status = AccreditationApplication.Status
    applications = (
        AccreditationApplication.objects.filter(
            review=review, status__in=[Status.SUBMITTED, Status.APPROVED]
        )
        .select_related("trainee")
        .order_by("pk")
    )
    if lock:
        applications = applications.select_for_update(of=("self",))
    found = list(applications)
    approved = [application for application in found if application.status == Status.APPROVED]
    if approved:
        return (
            f"{approved[0].trainee.full_name} has been accredited on this review, so its approved "
            "stages are part of that record and cannot be reopened."
        )
    if found:
        return (
            f"{found[0].trainee.full_name}'s application for accreditation rests on this review "
            "and is waiting for a decision, so its stages cannot be reopened now. If a stage must "
            "change, the assessor can refer the application back first."
        )
    return None


_REGISTER_ENTRY = {
    StageDefinition.Register.KEY_PRACTICE_EPISODES: ("key practice episode", KeyPracticeEpisode),
    StageDefinition.Register.FINDINGS: ("finding", Finding),
}


def stage_still_needed(
    *,
    stage: ReviewStage,
    evidence_count: int | None = None,
    register_count: int | None = None,
    findings: list[Finding] | None = None,
) -> list[str]:
    """What the stage still lacks before it may be submitted, as its definition asks, each as a
    phrase ("a file or a written note"); empty when nothing is missing. A page that has already
    loaded the evidence or the register passes their counts (and a findings stage its findings,
    from ``review_findings``), so nothing is read twice.

    A findings stage also needs every finding complete: at least one linked key practice episode
    and one issue for the board."""
    definition = stage.definition
    missing = []
    if definition.needs_evidence:
        if evidence_count is None:
            evidence_count = Evidence.objects.filter(stage=stage).count()
        if not evidence_count:
            missing.append("a file or a written note")
    entry = _REGISTER_ENTRY.get(definition.register)
    if definition.needs_register and entry:
        noun, model = entry
        if register_count is None:
            register_count = model.objects.filter(review_id=stage.review_id).count()
        needed = definition.min_register_entries
        if register_count < needed:
            missing.append(
                f"at least {needed} {noun}{'s' if needed != 1 else ''} in its register "
                f"(it has {register_count})"
            )
    if definition.register == StageDefinition.Register.FINDINGS:
        if findings is None:
            findings = review_findings(review=stage.review)
        for finding in findings:
            lacks = finding.missing()
            if lacks:
                missing.append(
                    f"{' and '.join(lacks)} for finding {finding.number}, “{finding.title}”"
                )
    return missing


def stage_still_needed_message(*, missing: list[str]) -> str:
    return f"Before submitting this stage, add {', and '.join(missing)}."


def stage_held_back_by(*, stage: ReviewStage) -> ReviewStage | None:
    """The first earlier stage of the review that is not approved yet, or None.

    Stages are signed off in order: a stage cannot be approved while one before it is not."""
    return (
        ReviewStage.objects.filter(review_id=stage.review_id, sort_order__lt=stage.sort_order)
        .exclude(status=ReviewStage.Status.APPROVED)
        .select_related("definition")
        .order_by("sort_order", "pk")
        .first()
    )


def stage_held_back_message(*, blocker: ReviewStage) -> str:
    return (
        f"Stage {blocker.sort_order}, “{blocker.definition.title}”, is not approved yet "
        f"({blocker.get_status_display().lower()}). Stages are approved in order, so it must be "
        "approved before this one."
    )


def stage_change_refusal(*, stage: ReviewStage, user: User, doing: str) -> str | None:
    """Why this user may not change the stage's evidence or register now, or None.

    ``doing`` completes "Only the trainee and their review partner can ..."."""
    Status = ReviewStage.Status
    review = stage.review
    if not user.is_authenticated or user.pk not in (review.trainee_id, review.partner_id):
        return f"Only the trainee and their review partner can {doing}."
    if stage.status == Status.APPROVED:
        return "This stage is approved, so it cannot be changed. Ask your supervisor to reopen it."
    if stage.status == Status.SUBMITTED:
        return (
            "This stage is waiting for sign-off, so it cannot be changed until your supervisor "
            "has looked at it."
        )
    return None


def stage_actions_for(*, user: User, stage: ReviewStage) -> dict[str, bool]:
    """Which transitions this user may ask for on the stage in its current state; the services
    check again when asked."""
    Status = ReviewStage.Status
    review = stage.review
    works_on = user.is_authenticated and user.pk in (review.trainee_id, review.partner_id)
    supervises = user.is_authenticated and user.pk == review.supervisor_id
    editable = stage.status in (Status.NOT_STARTED, Status.IN_PROGRESS, Status.CHANGES_REQUESTED)
    return {
        "edit": works_on and editable,
        "start": works_on and stage.status == Status.NOT_STARTED,
        "submit": works_on and stage.status in (Status.IN_PROGRESS, Status.CHANGES_REQUESTED),
        "approve": supervises and stage.status == Status.SUBMITTED,
        "request_changes": supervises and stage.status == Status.SUBMITTED,
        "reopen": supervises and stage.status == Status.APPROVED,
    }


def user_has_review(*, user: User) -> bool:
    """Cached on the user for the request, as the navigation asks on every page."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_has_review", None)
    if cached is None:
        cached = reviews_as_reviewer(user=user).exists()
        user._has_review = cached
    return cached
