"""Appeals: a trainee appeals a decline, a holder a revocation, inside the scheme's window; an
assessor who neither made the decision nor supervises the appellant upholds or overturns it.

The appeal and its outcome are append-only records beside the decision appealed, which stays as
it was. Overturning a decline returns the application to the assessment queue; overturning a
revocation reinstates the certificate (the only way out of revoked).
"""

from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log

from learning_platform.accounts.models import User
from notifications.services import notify, notify_many

from ..events import AccreditationEvent
from ..exceptions import TransitionError
from ..models import (
    AccreditationApplication,
    Appeal,
    AppealDecision,
    Certificate,
    CertificateEvent,
    Decision,
)
from ..selectors.appeals import (
    appeal_refusal_for,
    appeal_window_closes,
    assessors_for_appeal,
    latest_decision,
)
from .credentials import credential_reissue

GROUNDS_MAX_LENGTH = 10_000
REASONS_MAX_LENGTH = 10_000


def _clean_text(text: str, *, missing: str, noun: str, limit: int) -> str:
    text = (text or "").strip()
    if not text:
        raise TransitionError(missing)
    if len(text) > limit:
        raise TransitionError(f"Your {noun} are too long: keep them under {limit:,} characters.")
    return text


def _clean_grounds(grounds: str) -> str:
    return _clean_text(
        grounds,
        missing="Give your grounds for appealing.",
        noun="grounds",
        limit=GROUNDS_MAX_LENGTH,
    )


def _check_window(decided_at, window_days: int) -> None:
    closes = appeal_window_closes(decided_at=decided_at, window_days=window_days)
    if timezone.localdate() > closes:
        raise TransitionError(
            f"The time to appeal has passed: appeals against this decision closed on "
            f"{closes.day} {closes:%B %Y}."
        )


def _lodge(*, appellant: User, **fields) -> Appeal:
    appeal = Appeal.objects.create(appellant=appellant, **fields)
    log(
        instance=appeal,
        action="accreditation.appeal.lodge",
        user=appellant,
        data={"kind": appeal.kind, "status": appeal.status},
    )
    notify_many(
        recipients=assessors_for_appeal(appeal),
        event=AccreditationEvent.APPEAL_LODGED,
        actor=appellant,
        target=appeal,
    )
    return appeal


@transaction.atomic
def appeal_lodge_against_decline(*, decision: Decision, appellant: User, grounds: str) -> Appeal:
    grounds = _clean_text(
        grounds,
        missing="Give your grounds for appealing.",
        noun="grounds",
        limit=GROUNDS_MAX_LENGTH,
    )
    # The application's lock serialises two appeals (two tabs) and a resubmission.
    application = (
        AccreditationApplication.objects.select_for_update(of=("self",))
        .select_related("scheme", "review")
        .get(pk=decision.application_id)
    )
    if application.trainee_id != appellant.pk:
        raise TransitionError("Only the trainee can appeal a decision on their application.")
    latest = latest_decision(application)
    if (
        application.status != AccreditationApplication.Status.DECLINED
        or latest is None
        or latest.pk != decision.pk
        or decision.outcome != Decision.Outcome.DECLINED
    ):
        raise TransitionError("Only the decision to decline your application can be appealed.")
    if Appeal.objects.filter(decision=decision).exists():
        raise TransitionError("You have already appealed this decision.")
    decision = latest  # as stored, not as the caller holds it
    _check_window(decision.created_at, application.scheme.appeal_window_days)
    return _lodge(appellant=appellant, kind=Appeal.Kind.DECLINE, decision=decision, grounds=grounds)


@transaction.atomic
def appeal_lodge_against_revocation(
    *, certificate: Certificate, appellant: User, grounds: str
) -> Appeal:
    grounds = _clean_text(
        grounds,
        missing="Give your grounds for appealing.",
        noun="grounds",
        limit=GROUNDS_MAX_LENGTH,
    )
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("scheme")
        .get(pk=certificate.pk)
    )
    if certificate.holder_id != appellant.pk:
        raise TransitionError("Only the holder can appeal the revocation of their certificate.")
    if certificate.status != Certificate.Status.REVOKED:
        raise TransitionError("Only a revoked certificate can be appealed.")
    event = (
        CertificateEvent.objects.filter(
            certificate=certificate, to_status=Certificate.Status.REVOKED
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if event is None:
        raise TransitionError("This certificate has no revocation to appeal.")
    if Appeal.objects.filter(certificate_event=event).exists():
        raise TransitionError("You have already appealed this revocation.")
    _check_window(event.created_at, certificate.scheme.appeal_window_days)
    return _lodge(
        appellant=appellant, kind=Appeal.Kind.REVOCATION, certificate_event=event, grounds=grounds
    )


@transaction.atomic
def appeal_decide(*, appeal: Appeal, assessor: User, outcome: str, reasons: str) -> AppealDecision:
    if outcome not in AppealDecision.Outcome.values:
        raise TransitionError("Choose whether the decision stands or is overturned.")
    reasons = _clean_text(
        reasons,
        missing="Give the reasons for your decision on the appeal.",
        noun="reasons",
        limit=REASONS_MAX_LENGTH,
    )
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related(
            "decision__application__review",
            "certificate_event__certificate__application__review",
            "certificate_event__certificate__renewal__application__review",
        )
        .get(pk=appeal.pk)
    )
    refusal = appeal_refusal_for(appeal=appeal, assessor=assessor)
    if refusal:
        raise TransitionError(refusal)
    # Re-checked inside the lock: a second assessor finds it already decided.
    if appeal.status != Appeal.Status.LODGED:
        raise TransitionError(
            f"This appeal has already been decided ({appeal.get_status_display().lower()})."
        )
    if outcome == AppealDecision.Outcome.OVERTURNED:
        if appeal.kind == Appeal.Kind.DECLINE:
            _return_to_queue(appeal, assessor, reasons)
        else:
            _reinstate(appeal, assessor, reasons)
    appeal.status = outcome
    appeal.save(update_fields=["status"])
    appeal_decision = AppealDecision.objects.create(
        appeal=appeal, assessor=assessor, outcome=outcome, reasons=reasons
    )
    log(
        instance=appeal,
        action=f"accreditation.appeal.{_VERBS[outcome]}",
        user=assessor,
        data={"from": Appeal.Status.LODGED, "to": outcome, "reason": reasons},
    )
    notify(
        recipient=appeal.appellant,
        event=AccreditationEvent.APPEAL_DECIDED,
        actor=assessor,
        target=appeal_decision,
        context={"outcome": outcome, "kind": appeal.kind},
    )
    return appeal_decision


_VERBS = {AppealDecision.Outcome.UPHELD: "uphold", AppealDecision.Outcome.OVERTURNED: "overturn"}


def _return_to_queue(appeal: Appeal, assessor: User, reasons: str) -> None:
    application = AccreditationApplication.objects.select_for_update().get(
        pk=appeal.decision.application_id
    )
    if application.status != AccreditationApplication.Status.DECLINED:
        raise TransitionError(
            "The application is no longer declined "
            f"(it is {application.get_status_display().lower()}), so the appeal cannot return it "
            "to the assessment queue."
        )
    old = application.status
    application.status = AccreditationApplication.Status.SUBMITTED
    application.save(update_fields=["status", "updated_at"])
    log(
        instance=application,
        action="accreditation.application.appeal_overturned",
        user=assessor,
        data={"from": old, "to": application.status, "reason": reasons, "appeal_id": appeal.pk},
    )


def _reinstate(appeal: Appeal, assessor: User, reasons: str) -> None:
    certificate = Certificate.objects.select_for_update().get(
        pk=appeal.certificate_event.certificate_id
    )
    if certificate.status != Certificate.Status.REVOKED:
        raise TransitionError(
            f"The certificate is no longer revoked (it is {certificate.get_status_display()}), "
            "so the appeal cannot reinstate it."
        )
    old = certificate.status
    certificate.status = Certificate.Status.ISSUED
    certificate.save(update_fields=["status"])
    # The revoked credential's bit stays set; the reinstated certificate gets a new credential.
    credential_reissue(certificate=certificate)
    reason = f"Revocation overturned on appeal. {reasons}"
    CertificateEvent.objects.create(
        certificate=certificate,
        by=assessor,
        from_status=old,
        to_status=certificate.status,
        reason=reason,
    )
    log(
        instance=certificate,
        action="accreditation.certificate.appeal_reinstate",
        user=assessor,
        data={"from": old, "to": certificate.status, "reason": reason, "appeal_id": appeal.pk},
    )
