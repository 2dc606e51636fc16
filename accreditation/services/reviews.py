"""Creating a supervised review: the review and its stages, from the scheme, in one go."""

from datetime import date

from django.db import transaction

from wagtail.log_actions import log

from learning_platform.accounts.models import Organisation, User
from learning_platform.accounts.roles import Role, user_has_role

from ..exceptions import TransitionError
from ..models import AccreditationScheme, ReviewStage, ReviewType, SupervisedReview
from .clock import apply_review_details


def default_scheme() -> AccreditationScheme | None:
    """The scheme new reviews follow unless staff choose another: the first active one."""
    return AccreditationScheme.objects.filter(is_active=True).order_by("pk").first()


def review_validate_people(
    *, trainee: User, partner: User | None, supervisor: User
) -> dict[str, str]:
    """Problems with who is on a review, keyed by field name; empty when all is well."""
    problems = {}
    if not user_has_role(user=supervisor, role=Role.SUPERVISOR):
        problems["supervisor"] = "The supervisor must be in the Supervisor group."
    elif supervisor.pk == trainee.pk:
        problems["supervisor"] = "A trainee cannot supervise their own review."
    if partner is not None:
        if partner.pk == trainee.pk:
            problems["partner"] = "The partner must be someone other than the trainee."
        elif partner.pk == supervisor.pk:
            problems["partner"] = "The supervisor cannot also be the review partner."
    return problems


@transaction.atomic
def review_create(
    *,
    trainee: User,
    supervisor: User,
    commissioning_organisation: Organisation,
    case_reference: str,
    review_type: ReviewType | str,
    start_date: date,
    partner: User | None = None,
    partner_is_accredited: bool = False,
    scheme: AccreditationScheme | None = None,
    target_publication_date: date | None = None,
    is_statutory: bool = False,
    incident_notified_on: date | None = None,
    rapid_review_on: date | None = None,
    decision_on: date | None = None,
    board_agreed_on: date | None = None,
    published_on: date | None = None,
    published_report_url: str = "",
    cases: list[str] | None = None,
    by: User | None = None,
) -> SupervisedReview:
    """Create a review with one stage per stage definition of its scheme. ``review_type`` is a
    type or its code ("full").

    The statutory clock, the milestones and a themed review's case references (``cases``, in
    order) follow the rules of ``services.clock``; a ``ReviewDetailsError`` says what is wrong,
    field by field."""
    scheme = scheme or default_scheme()
    if scheme is None:
        raise TransitionError("There is no active accreditation scheme to follow.")
    problems = review_validate_people(trainee=trainee, partner=partner, supervisor=supervisor)
    if problems:
        raise TransitionError(" ".join(problems.values()))
    definitions = list(scheme.stages.order_by("sort_order", "pk"))
    if not definitions:
        raise TransitionError("The scheme has no stages; add them before creating a review.")
    if isinstance(review_type, str):
        review_type = ReviewType.objects.get(code=review_type)
    review = SupervisedReview.objects.create(
        scheme=scheme,
        trainee=trainee,
        partner=partner,
        partner_is_accredited=partner_is_accredited if partner else False,
        supervisor=supervisor,
        commissioning_organisation=commissioning_organisation,
        case_reference=case_reference.strip(),
        review_type=review_type,
        start_date=start_date,
        target_publication_date=target_publication_date,
    )
    details = {
        "is_statutory": is_statutory,
        "incident_notified_on": incident_notified_on,
        "rapid_review_on": rapid_review_on,
        "decision_on": decision_on,
        "board_agreed_on": board_agreed_on,
        "published_on": published_on,
        "published_report_url": published_report_url,
    }
    if any(details.values()) or cases is not None:
        # The review's row is new to this transaction: no one else can see it to change it.
        details["target_publication_date"] = target_publication_date
        apply_review_details(review=review, values=details, cases=cases)
    ReviewStage.objects.bulk_create(
        ReviewStage(review=review, definition=definition, sort_order=order)
        for order, definition in enumerate(definitions, start=1)
    )
    log(
        instance=review,
        action="accreditation.review.create",
        user=by,
        data={"stages": len(definitions), "scheme": scheme.name},
    )
    return review
