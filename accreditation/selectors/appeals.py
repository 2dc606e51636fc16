"""Reads about appeals: whether a decline or a revocation may still be appealed and until when,
who may decide an appeal, and the assessors' queue."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from courses.models import Enrolment
from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role, user_is_assessor

from ..models import (
    AccreditationApplication,
    Appeal,
    Certificate,
    CertificateEvent,
    Decision,
)


def appeal_window_closes(*, decided_at, window_days: int) -> date:
    """The last day an appeal may be lodged: `window_days` days after the decision's own day."""
    return timezone.localdate(decided_at) + timedelta(days=window_days)


@dataclass(frozen=True)
class AppealOpening:
    """What the trainee's or holder's page says about appealing: the appeal already lodged, or
    the decision to appeal against and the last day to do it."""

    appeal: Appeal | None
    closes_on: date | None
    decision: Decision | None = None
    certificate_event: CertificateEvent | None = None

    @property
    def is_open(self) -> bool:
        return (
            self.appeal is None
            and self.closes_on is not None
            and timezone.localdate() <= self.closes_on
        )


def latest_decision(application: AccreditationApplication) -> Decision | None:
    return Decision.objects.filter(application=application).order_by("-created_at", "-pk").first()


def decline_appeal_opening(*, application: AccreditationApplication | None) -> AppealOpening | None:
    """For an application that was ever declined: the appeal against its decline, or until when
    the decline may be appealed. Reads the application's decisions (prefetched, in order, by
    the trainee's page), so an application never declined costs no query."""
    if application is None:
        return None
    decisions = list(application.decisions.all())
    declines = [d for d in decisions if d.outcome == Decision.Outcome.DECLINED]
    if not declines:
        return None
    latest = decisions[-1]
    appeal = (
        Appeal.objects.filter(decision__in=declines)
        .select_related("outcome")
        .order_by("-lodged_at", "-pk")
        .first()
    )
    if application.status != AccreditationApplication.Status.DECLINED or latest not in declines:
        # Overturned on appeal (back in the queue, perhaps decided again): say what happened.
        return AppealOpening(appeal=appeal, closes_on=None) if appeal else None
    return AppealOpening(
        appeal=appeal if appeal and appeal.decision_id == latest.pk else None,
        closes_on=appeal_window_closes(
            decided_at=latest.created_at, window_days=application.scheme.appeal_window_days
        ),
        decision=latest,
    )


def revoking_event(certificate: Certificate) -> CertificateEvent | None:
    """The event that last revoked the certificate (from its prefetched events if there)."""
    events = [e for e in certificate.events.all() if e.to_status == Certificate.Status.REVOKED]
    return max(events, key=lambda e: (e.created_at, e.pk)) if events else None


def revocation_appeal_opening(*, certificate: Certificate) -> AppealOpening | None:
    """For a revoked certificate (or one reinstated on appeal): its appeal, or until when the
    revocation may be appealed. Expects the certificate's events prefetched."""
    event = revoking_event(certificate)
    if event is None:
        return None
    appeal = Appeal.objects.filter(certificate_event=event).select_related("outcome").first()
    if appeal is None and certificate.status != Certificate.Status.REVOKED:
        return None
    return AppealOpening(
        appeal=appeal,
        closes_on=appeal_window_closes(
            decided_at=event.created_at, window_days=certificate.scheme.appeal_window_days
        ),
        certificate_event=event,
    )


# Who may decide -------------------------------------------------------------------------------


def appeal_decided_by_id(appeal: Appeal) -> int | None:
    """The assessor who made the decision appealed."""
    if appeal.kind == Appeal.Kind.DECLINE:
        return appeal.decision.assessor_id
    return appeal.certificate_event.by_id


def appeal_application(appeal: Appeal) -> AccreditationApplication:
    """The application the appeal is about: the declined one, or the one that first accredited
    the holder of the revoked certificate."""
    if appeal.kind == Appeal.Kind.DECLINE:
        return appeal.decision.application
    return appeal.certificate_event.certificate.origin_application


def _supervisor_ids(appellant_id: int, application: AccreditationApplication) -> set[int]:
    ids = set(
        Enrolment.objects.filter(user_id=appellant_id, supervisor__isnull=False).values_list(
            "supervisor_id", flat=True
        )
    )
    ids.add(application.review.supervisor_id)
    return ids


def appeal_refusal_for(*, appeal: Appeal, assessor: User, supervisor_ids=None) -> str:
    """Why this user may not decide this appeal, or "" if they may."""
    if not user_is_assessor(assessor):
        return "Only an assessor can decide an appeal."
    if assessor.pk == appeal.appellant_id:
        return "You cannot decide your own appeal."
    if assessor.pk == appeal_decided_by_id(appeal):
        return "You made the decision appealed, so another assessor must decide this appeal."
    if supervisor_ids is None:
        supervisor_ids = _supervisor_ids(appeal.appellant_id, appeal_application(appeal))
    if assessor.pk in supervisor_ids:
        return "You supervise the appellant, so another assessor must decide this appeal."
    return ""


def assessors_for_appeal(appeal: Appeal) -> list[User]:
    """The assessors who may decide the appeal, to be told it was lodged."""
    excluded = _supervisor_ids(appeal.appellant_id, appeal_application(appeal))
    excluded |= {appeal.appellant_id, appeal_decided_by_id(appeal)}
    return list(
        User.objects.filter(is_active=True, groups__name=Role.ASSESSOR.value)
        .exclude(pk__in=[pk for pk in excluded if pk is not None])
        .distinct()
        .order_by("pk")
    )


# The queue and the appeal page ----------------------------------------------------------------

APPEAL_RELATED = (
    "appellant",
    "decision__assessor",
    "decision__application__scheme",
    "decision__application__review",
    "certificate_event__by",
    "certificate_event__certificate__scheme",
    "certificate_event__certificate__application__review",
    "certificate_event__certificate__renewal__application__review",
    "outcome__assessor",
)


def appeals_for_assessor() -> QuerySet[Appeal]:
    return Appeal.objects.select_related(*APPEAL_RELATED)


@dataclass(frozen=True)
class QueuedAppeal:
    appeal: Appeal
    refusal: str  # why the viewer may not decide it, or ""


def appeal_queue(*, assessor: User) -> list[QueuedAppeal]:
    """Lodged appeals, oldest first, each with whether the viewer may decide it; three queries
    however many there are."""
    appeals = list(
        appeals_for_assessor().filter(status=Appeal.Status.LODGED).order_by("lodged_at", "pk")
    )
    supervised = set(
        Enrolment.objects.filter(supervisor=assessor).values_list("user_id", flat=True)
    )
    rows = []
    for appeal in appeals:
        application = appeal_application(appeal)
        supervises = appeal.appellant_id in supervised or (
            application.review.supervisor_id == assessor.pk
        )
        refusal = appeal_refusal_for(
            appeal=appeal,
            assessor=assessor,
            supervisor_ids={assessor.pk} if supervises else set(),
        )
        rows.append(QueuedAppeal(appeal=appeal, refusal=refusal))
    return rows


def recent_appeal_outcomes(limit: int = 10) -> QuerySet[Appeal]:
    return (
        appeals_for_assessor()
        .filter(~Q(status=Appeal.Status.LODGED))
        .order_by("-outcome__created_at", "-pk")[:limit]
    )
