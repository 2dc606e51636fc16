"""Renewing a certificate: the holder applies inside the renewal window with their practice
statement, CPD and the reviews they led or co-led; an assessor approves, refers back or declines
against the scheme's renewal criteria. Approval issues a new certificate superseding the old.

submitted → approved | referred | declined; referred → submitted; the holder may withdraw a
submitted or referred renewal (→ withdrawn, final) and apply again while the window is open.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from wagtail.log_actions import log

from courses.models import Enrolment
from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role, user_is_assessor
from notifications.services import notify, notify_many

from ..events import AccreditationEvent
from ..exceptions import TransitionError
from ..models import (
    AssessmentCriterion,
    Certificate,
    RenewalApplication,
    RenewalDecision,
    RenewalReview,
    SupervisedReview,
)
from ..selectors.certificates import certificate_superseded_by
from ..selectors.cpd import cpd_summary
from ..selectors.renewal import (
    OPEN_STATUSES,
    assessor_supervises_holder,
    cpd_item,
    platform_reviews_for_renewal,
    renewal_window,
    review_role,
    reviews_item,
)
from .certificates import certificate_issue_renewal
from .criteria import judgements_for_decision, judgements_record, required_actions_from

Status = RenewalApplication.Status
STATEMENT_MAX_LENGTH = 20_000
TITLE_MAX_LENGTH = 255


@dataclass(frozen=True)
class ReviewClaim:
    """A review named on the renewal form: a platform review, or one outside the platform with
    its title, the holder's role, when it was completed and a link to its published report."""

    review: SupervisedReview | None = None
    title: str = ""
    role: str = RenewalReview.Role.LED
    completed_on: date | None = None
    published_report_url: str = ""


def _day(day: date) -> str:
    return date_format(day, "j F Y")


def _lock(renewal: RenewalApplication) -> RenewalApplication:
    return (
        RenewalApplication.objects.select_for_update(of=("self",))
        .select_related("certificate__scheme", "scheme", "holder", "application__review")
        .get(pk=renewal.pk)
    )


def _audit(renewal: RenewalApplication, *, verb: str, user: User, old: str, reason: str = ""):
    log(
        instance=renewal,
        action=f"accreditation.renewal.{verb}",
        user=user,
        data={"from": old, "to": renewal.status, "reason": reason},
    )


def _clean_statement(statement: str) -> str:
    statement = (statement or "").strip()
    if not statement:
        raise TransitionError("Write your practice statement.")
    if len(statement) > STATEMENT_MAX_LENGTH:
        raise TransitionError(
            f"Your practice statement is too long: keep it under {STATEMENT_MAX_LENGTH:,} "
            "characters."
        )
    return statement


def _check_window(certificate: Certificate, today: date) -> None:
    window = renewal_window(certificate=certificate, today=today)
    if window.not_yet_open:
        raise TransitionError(f"Renewal opens on {_day(window.opens_on)}.")
    if window.has_closed:
        raise TransitionError(
            f"The grace period ended on {_day(window.closes_on)}: apply to re-accredit."
        )


def _check_certificate(certificate: Certificate, holder: User) -> None:
    if certificate.holder_id != holder.pk:
        raise TransitionError("Only the holder can renew their certificate.")
    if certificate_superseded_by(certificate) is not None:
        raise TransitionError("This certificate has already been renewed.")
    if certificate.status != Certificate.Status.ISSUED:
        raise TransitionError(
            f"A {certificate.get_status_display().lower()} certificate cannot be renewed."
        )


def _clean_reviews(
    claims: Sequence[ReviewClaim], *, holder: User, since: date, today: date
) -> list[ReviewClaim]:
    eligible = {r.pk: r for r in platform_reviews_for_renewal(holder=holder, since=since)}
    cleaned, seen = [], set()
    for claim in claims:
        if claim.review is not None:
            review = eligible.get(claim.review.pk)
            if review is None:
                raise TransitionError(
                    "Name only platform reviews you led or co-led that were published since your "
                    "certificate was issued."
                )
            if review.pk in seen:
                continue
            seen.add(review.pk)
            cleaned.append(
                ReviewClaim(
                    review=review,
                    title=str(review)[:TITLE_MAX_LENGTH],
                    role=review_role(review=review, holder=holder),
                    completed_on=review.published_on,
                    published_report_url=review.published_report_url,
                )
            )
            continue
        title = (claim.title or "").strip()
        url = (claim.published_report_url or "").strip()
        if not title:
            raise TransitionError("Give the title of each review outside the platform.")
        if len(title) > TITLE_MAX_LENGTH:
            raise TransitionError(
                f"A review's title is too long: keep it under {TITLE_MAX_LENGTH}."
            )
        if claim.role not in RenewalReview.Role.values:
            raise TransitionError(f"Say whether you led or co-led “{title}”.")
        if claim.completed_on is None:
            raise TransitionError(f"Give the date “{title}” was completed.")
        if claim.completed_on > today or claim.completed_on < since:
            raise TransitionError(
                f"“{title}” must have been completed while your certificate was valid, between "
                f"{_day(since)} and today."
            )
        if not url:
            raise TransitionError(f"Give a link to the published report of “{title}”.")
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise TransitionError(
                f"The link to the report of “{title}” is not a web address (https://…)."
            ) from None
        cleaned.append(
            ReviewClaim(
                title=title,
                role=claim.role,
                completed_on=claim.completed_on,
                published_report_url=url,
            )
        )
    return cleaned


def _check_requirements(certificate: Certificate, reviews: list[ReviewClaim], today: date):
    scheme = certificate.scheme
    cpd = cpd_summary(person=certificate.holder, since=certificate.issued_at, until=today)
    items = [
        cpd_item(hours=cpd.hours, required=scheme.renewal_cpd_hours),
        reviews_item(count=len(reviews), required=scheme.renewal_reviews_required),
    ]
    missing = [f"{item.label}: {item.detail}" for item in items if not item.met]
    if missing:
        raise TransitionError("You cannot apply to renew yet. " + " ".join(missing))
    return cpd


def _save_reviews(renewal: RenewalApplication, reviews: list[ReviewClaim]) -> None:
    renewal.reviews.all().delete()
    RenewalReview.objects.bulk_create(
        RenewalReview(
            renewal=renewal,
            review=claim.review,
            title=claim.title,
            role=claim.role,
            completed_on=claim.completed_on,
            published_report_url=claim.published_report_url,
        )
        for claim in reviews
    )


def _assessors_for(renewal: RenewalApplication) -> list[User]:
    supervisors = Enrolment.objects.filter(user_id=renewal.holder_id).values("supervisor_id")
    return list(
        User.objects.filter(is_active=True, groups__name=Role.ASSESSOR.value)
        .exclude(pk=renewal.holder_id)
        .exclude(pk=renewal.application.review.supervisor_id)
        .exclude(pk__in=supervisors.exclude(supervisor_id=None))
        .distinct()
    )


def _fill(renewal, certificate, holder, statement, declaration, reviews, today, *, verb, old):
    if not declaration:
        raise TransitionError("Tick the declaration to confirm what you have told us is true.")
    statement = _clean_statement(statement)
    reviews = _clean_reviews(reviews, holder=holder, since=certificate.issued_at, today=today)
    cpd = _check_requirements(certificate, reviews, today)
    renewal.practice_statement = statement
    renewal.declaration = True
    renewal.cpd_hours = cpd.hours
    renewal.cpd_entries = cpd.entries
    renewal.status = Status.SUBMITTED
    renewal.submitted_at = timezone.now()
    renewal.save()
    _save_reviews(renewal, reviews)
    _audit(renewal, verb=verb, user=holder, old=old)
    notify_many(
        recipients=_assessors_for(renewal),
        event=AccreditationEvent.RENEWAL_SUBMITTED,
        actor=holder,
        target=renewal,
        context={"resubmitted": verb == "resubmit"},
    )
    return renewal


@transaction.atomic
def renewal_apply(
    *,
    certificate: Certificate,
    holder: User,
    practice_statement: str,
    declaration: bool,
    reviews: Sequence[ReviewClaim] = (),
    today: date | None = None,
) -> RenewalApplication:
    today = today or timezone.localdate()
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("scheme", "holder", "superseded_by")
        .get(pk=certificate.pk)
    )
    _check_certificate(certificate, holder)
    if RenewalApplication.objects.filter(
        certificate=certificate, status__in=OPEN_STATUSES
    ).exists():
        raise TransitionError("You have already applied to renew this certificate.")
    if RenewalApplication.objects.filter(
        certificate=certificate, status=RenewalApplication.Status.DECLINED
    ).exists():
        raise TransitionError(
            "Your renewal of this certificate was declined, so it cannot be renewed again. "
            "To be accredited again, you re-accredit through a new supervised review."
        )
    _check_window(certificate, today)
    renewal = RenewalApplication(
        holder=holder,
        certificate=certificate,
        application=certificate.origin_application,
        scheme=certificate.scheme,
    )
    return _fill(
        renewal,
        certificate,
        holder,
        practice_statement,
        declaration,
        reviews,
        today,
        verb="submit",
        old="",
    )


@transaction.atomic
def renewal_resubmit(
    *,
    renewal: RenewalApplication,
    holder: User,
    practice_statement: str,
    declaration: bool,
    reviews: Sequence[ReviewClaim] = (),
    today: date | None = None,
) -> RenewalApplication:
    """Send a renewal that was referred back to the assessors again. The window does not close
    on a referral already made: the holder answers it."""
    today = today or timezone.localdate()
    renewal = _lock(renewal)
    if renewal.holder_id != holder.pk:
        raise TransitionError("Only the holder can resubmit their renewal.")
    if renewal.status != Status.REFERRED:
        raise TransitionError(
            "Only a renewal that was referred back can be resubmitted (this one is "
            f"{renewal.get_status_display().lower()})."
        )
    certificate = renewal.certificate
    _check_certificate(certificate, holder)
    return _fill(
        renewal,
        certificate,
        holder,
        practice_statement,
        declaration,
        reviews,
        today,
        verb="resubmit",
        old=renewal.status,
    )


@transaction.atomic
def renewal_withdraw(*, renewal: RenewalApplication, holder: User) -> RenewalApplication:
    renewal = _lock(renewal)
    if renewal.holder_id != holder.pk:
        raise TransitionError("Only the holder can withdraw their renewal.")
    if renewal.status not in OPEN_STATUSES:
        raise TransitionError(
            "Only a submitted or referred renewal can be withdrawn (this one is "
            f"{renewal.get_status_display().lower()}); it may just have been decided."
        )
    old = renewal.status
    renewal.status = Status.WITHDRAWN
    renewal.save(update_fields=["status", "updated_at"])
    _audit(renewal, verb="withdraw", user=holder, old=old)
    return renewal


def _check_assessor(renewal: RenewalApplication, assessor: User) -> None:
    if not user_is_assessor(assessor):
        raise TransitionError("Only an assessor can decide on a renewal.")
    if assessor.pk == renewal.holder_id:
        raise TransitionError("You cannot decide on your own renewal.")
    if assessor_supervises_holder(assessor=assessor, renewal=renewal):
        raise TransitionError(
            "You supervise this holder, so another assessor must decide on their renewal."
        )


_VERBS = {
    RenewalDecision.Outcome.APPROVED: "approve",
    RenewalDecision.Outcome.REFERRED: "refer",
    RenewalDecision.Outcome.DECLINED: "decline",
}


def _decide(
    *,
    renewal: RenewalApplication,
    assessor: User,
    outcome: str,
    reasons: str,
    answers: Mapping[int, tuple[bool | None, str]],
) -> RenewalDecision:
    reasons = (reasons or "").strip()
    if not reasons:
        raise TransitionError("Give the reasons for your decision.")
    renewal = _lock(renewal)
    _check_assessor(renewal, assessor)
    if renewal.status != Status.SUBMITTED:
        raise TransitionError(
            "Only a submitted renewal can be decided (this one is "
            f"{renewal.get_status_display().lower()}); it may just have been decided by another "
            "assessor."
        )
    judgements = judgements_for_decision(
        scheme=renewal.scheme,
        purpose=AssessmentCriterion.Purpose.RENEWAL,
        answers=answers,
        outcome=outcome,
    )
    required_actions = ""
    if outcome == RenewalDecision.Outcome.REFERRED:
        required_actions = required_actions_from(judgements)
        if not required_actions:
            raise TransitionError("Say what the holder must do before they resubmit.")
    if outcome == RenewalDecision.Outcome.APPROVED:
        certificate = renewal.certificate
        if certificate.status != Certificate.Status.ISSUED:
            raise TransitionError(
                f"The certificate being renewed is {certificate.get_status_display().lower()}, "
                "so the renewal cannot be approved."
            )
    old = renewal.status
    renewal.status = outcome
    renewal.save(update_fields=["status", "updated_at"])
    decision = RenewalDecision.objects.create(
        renewal=renewal,
        assessor=assessor,
        outcome=outcome,
        reasons=reasons,
        required_actions=required_actions,
    )
    judgements_record(judgements=judgements, renewal_decision=decision)
    _audit(renewal, verb=_VERBS[outcome], user=assessor, old=old, reason=reasons)
    notify(
        recipient=renewal.holder,
        event=AccreditationEvent.RENEWAL_DECIDED,
        actor=assessor,
        target=decision,
        context={"outcome": outcome},
    )
    return decision


@transaction.atomic
def renewal_approve(
    *,
    renewal: RenewalApplication,
    assessor: User,
    reasons: str,
    answers: Mapping[int, tuple[bool | None, str]],
) -> Certificate:
    """Approve and issue the new certificate in the same transaction; its PDF follows on
    commit."""
    decision = _decide(
        renewal=renewal,
        assessor=assessor,
        outcome=RenewalDecision.Outcome.APPROVED,
        reasons=reasons,
        answers=answers,
    )
    return certificate_issue_renewal(renewal=decision.renewal, by=assessor)


@transaction.atomic
def renewal_refer(
    *,
    renewal: RenewalApplication,
    assessor: User,
    reasons: str,
    answers: Mapping[int, tuple[bool | None, str]],
) -> RenewalDecision:
    return _decide(
        renewal=renewal,
        assessor=assessor,
        outcome=RenewalDecision.Outcome.REFERRED,
        reasons=reasons,
        answers=answers,
    )


@transaction.atomic
def renewal_decline(
    *,
    renewal: RenewalApplication,
    assessor: User,
    reasons: str,
    answers: Mapping[int, tuple[bool | None, str]],
) -> RenewalDecision:
    return _decide(
        renewal=renewal,
        assessor=assessor,
        outcome=RenewalDecision.Outcome.DECLINED,
        reasons=reasons,
        answers=answers,
    )
