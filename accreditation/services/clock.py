"""A review's details: whether it is a statutory child safeguarding practice review and the
dates of its clock, its target publication date, the milestones that end it, and the cases a
themed review covers.

The rules live in ``review_details_problems`` so the trainee's page, the admin's form and the
services read the same answer; the services check them again under the review's row lock.
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from wagtail.log_actions import log

from learning_platform.accounts.models import User

from ..exceptions import TransitionError
from ..models import Conversation, ReviewCase, ReviewMeeting, ReviewType, SupervisedReview
from ..selectors.reviews import stage_reopen_refusal

# The fields of a review the details page and the admin change through these services.
DATE_FIELDS = (
    "incident_notified_on",
    "rapid_review_on",
    "decision_on",
    "target_publication_date",
    "board_agreed_on",
    "published_on",
)
DETAIL_FIELDS = ("is_statutory", *DATE_FIELDS, "published_report_url")
CASE_REFERENCE_MAX = ReviewCase._meta.get_field("reference").max_length


class ReviewDetailsError(TransitionError):
    """Refused details, with each message keyed by the field it is about ("cases" for the case
    references), so a form can show it beside that field."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def case_references_from_text(text: str | None) -> list[str]:
    """One case reference per line, in order; blank lines and surrounding spaces dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def review_details_problems(
    *,
    review_type: ReviewType | None,
    values: dict,
    cases: list[str] | None,
    today: date | None = None,
) -> dict[str, str]:
    """What is wrong with these details, keyed by field name; empty when all is well.

    ``cases`` is the themed review's case references, or None when they are not being changed
    (then a themed review is judged on ``values["existing_case_count"]``)."""
    today = today or timezone.localdate()
    problems: dict[str, str] = {}
    notified = values.get("incident_notified_on")
    rapid = values.get("rapid_review_on")
    decision = values.get("decision_on")
    agreed = values.get("board_agreed_on")
    published = values.get("published_on")
    if values.get("is_statutory") and not decision:
        problems["decision_on"] = (
            "A statutory review runs six months from the partners' decision: enter the date "
            "they decided to hold the review."
        )
    if rapid and notified and rapid < notified:
        problems["rapid_review_on"] = (
            "The rapid review cannot be before the serious incident was notified on "
            f"{date_format(notified)}."
        )
    if decision and rapid and decision < rapid:
        problems.setdefault(
            "decision_on",
            "The partners cannot have decided to hold the review before the rapid review on "
            f"{date_format(rapid)}.",
        )
    elif decision and notified and not rapid and decision < notified:
        problems.setdefault(
            "decision_on",
            "The partners cannot have decided to hold the review before the serious incident "
            f"was notified on {date_format(notified)}.",
        )
    if agreed and agreed > today:
        problems["board_agreed_on"] = (
            "The date the board agreed the report must be today or in the past."
        )
    if published and published > today:
        problems["published_on"] = "The publication date must be today or in the past."
    elif published and agreed and published < agreed:
        problems["published_on"] = (
            f"The report cannot be published before the board agreed it on {date_format(agreed)}."
        )
    if review_type is not None and review_type.covers_several_cases:
        count = len(cases) if cases is not None else values.get("existing_case_count", 0)
        if not count:
            problems["cases"] = (
                "A themed review covers several cases: add at least one case reference."
            )
    for reference in cases or ():
        if len(reference) > CASE_REFERENCE_MAX:
            problems["cases"] = (
                f"The case reference “{reference[:20]}…” has {len(reference)} characters: a "
                f"case reference can have at most {CASE_REFERENCE_MAX}."
            )
            break
    return problems


def _check_person(review: SupervisedReview, user: User) -> None:
    if user.pk not in (review.trainee_id, review.partner_id, review.supervisor_id):
        raise TransitionError(
            "Only the lead reviewers and their supervisor can change the review's details."
        )


def _check_portfolio_lock(review: SupervisedReview) -> None:
    refusal = stage_reopen_refusal(review=review, lock=True)
    if refusal:
        raise TransitionError(f"{refusal} Its details cannot change now either.")


def _lock_review(review: SupervisedReview) -> SupervisedReview:
    return (
        SupervisedReview.objects.select_for_update(of=("self",))
        .select_related("review_type")
        .get(pk=review.pk)
    )


def _replace_cases(review: SupervisedReview, cases: Iterable[str]) -> None:
    ReviewCase.objects.filter(review=review).delete()
    ReviewCase.objects.bulk_create(
        ReviewCase(review=review, reference=reference, sort_order=order)
        for order, reference in enumerate(cases, start=1)
    )


def apply_review_details(
    *,
    review: SupervisedReview,
    values: dict,
    cases: list[str] | None,
    today: date | None = None,
) -> list[str]:
    """Check and set the details on a review whose row the caller holds locked (or has just
    created); returns the names of the fields that changed. Raises ``ReviewDetailsError``."""
    values = {name: values[name] for name in DETAIL_FIELDS if name in values}
    if "published_report_url" in values:
        values["published_report_url"] = (values["published_report_url"] or "").strip()
    merged = {name: getattr(review, name) for name in DETAIL_FIELDS}
    merged.update(values)
    merged["existing_case_count"] = (
        ReviewCase.objects.filter(review=review).count() if review.pk and cases is None else 0
    )
    problems = review_details_problems(
        review_type=review.review_type, values=merged, cases=cases, today=today
    )
    decision = merged.get("decision_on")
    if review.pk and decision and "decision_on" not in problems:
        earlier = _first_record_before(review, decision)
        if earlier:
            problems["decision_on"] = (
                f"The {earlier} is before this date: the review's conversations and meetings "
                "cannot come before the partners decided to hold it. Check the date, or the "
                "record's."
            )
    if problems:
        raise ReviewDetailsError(problems)
    changed = [name for name, value in values.items() if getattr(review, name) != value]
    for name, value in values.items():
        setattr(review, name, value)
    # A blank target for a review off the statutory clock falls back to the type's duration.
    target_blanked = "target_publication_date" in values or "is_statutory" in changed
    if not review.is_statutory and not values.get("target_publication_date") and target_blanked:
        review.target_publication_date = None
    if review.pk:
        review.save()
    if cases is not None:
        current = list(ReviewCase.objects.filter(review=review).values_list("reference", flat=True))
        if current != cases:
            _replace_cases(review, cases)
            changed.append("cases")
    return changed


def _first_record_before(review: SupervisedReview, decision: date) -> str | None:
    """The earliest conversation or meeting of the review dated before ``decision``, in words."""
    found = []
    before = {"review": review, "date__lt": decision}
    conversation = Conversation.objects.filter(**before).order_by("date").first()
    if conversation:
        found.append((conversation.date, "conversation"))
    meeting = ReviewMeeting.objects.filter(**before).order_by("date").first()
    if meeting:
        found.append((meeting.date, meeting.get_kind_display().lower()))
    if not found:
        return None
    on, what = min(found)
    return f"{what} on {date_format(on)}"


def review_details_update(
    *, review: SupervisedReview, user: User, today: date | None = None, **values
) -> SupervisedReview:
    """Change a review's clock, milestones and (for a themed review) case references, as one of
    its lead reviewers or its supervisor. ``cases`` is a list of references, or omitted to leave
    them as they are. Refused while an application rests on the review's portfolio."""
    cases = values.pop("cases", None)
    with transaction.atomic():
        review = _lock_review(review)
        _check_person(review, user)
        _check_portfolio_lock(review)
        changed = apply_review_details(review=review, values=values, cases=cases, today=today)
        if changed:
            log(
                instance=review,
                action="accreditation.review.details",
                user=user,
                data={"changed": changed},
            )
    return review


def review_details_set_by_staff(
    *, review: SupervisedReview, user: User, today: date | None = None, **values
) -> SupervisedReview:
    """The same changes made by programme staff in the admin, with the same rules. Staff keep
    the review's record straight (a report is often published after accreditation), so an
    application resting on the review does not stop them."""
    cases = values.pop("cases", None)
    with transaction.atomic():
        review = _lock_review(review)
        changed = apply_review_details(review=review, values=values, cases=cases, today=today)
        if changed:
            log(
                instance=review,
                action="accreditation.review.details",
                user=user,
                data={"changed": changed, "by_staff": True},
            )
    return review
