"""Certificates: issuing on approval (gapless numbers per year), the status machine
issued → suspended → issued and issued | suspended → revoked (final), and the holder's choice to
appear on the public register.

A certificate is issued at once on approval: the award is the decision, and the PDF is only its
printable copy, which a Celery task renders after the transaction commits. Its Open Badges
credential is signed in the same transaction, and a revocation sets the credential's bit in the
status list in the transaction that revokes. Until the PDF exists
the holder's page says it is being prepared; verification already says valid.
"""

import logging
import secrets
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wagtail.log_actions import log

from kombu.exceptions import OperationalError as BrokerError

from learning_platform.accounts.models import User
from learning_platform.accounts.roles import user_is_assessor
from notifications.services import notify

from ..events import AccreditationEvent
from ..exceptions import TransitionError
from ..models import (
    AccreditationApplication,
    Certificate,
    CertificateEvent,
    CertificateNumberSequence,
    RenewalApplication,
)
from ..selectors.applications import assessor_supervises_trainee
from ..selectors.certificates import PublicStatus, certificate_public_status
from .credentials import credential_issue, credential_revoke

Status = Certificate.Status
logger = logging.getLogger(__name__)


def certificate_next_number(*, year: int) -> str:
    """Take the next number for the year. Must run inside the issuing transaction: the year's row
    stays locked until it commits, so numbers are gapless and never shared."""
    CertificateNumberSequence.objects.get_or_create(year=year)
    sequence = CertificateNumberSequence.objects.select_for_update().get(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"LT-{year}-{sequence.last_number:05d}"


def new_verification_code() -> str:
    # 15 random bytes: 120 bits, 20 URL-safe characters.
    return secrets.token_urlsafe(15)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year that has none
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def certificate_issue(*, application: AccreditationApplication, by: User) -> Certificate:
    if application.status != AccreditationApplication.Status.APPROVED:
        raise TransitionError("A certificate is issued only for an approved application.")
    if Certificate.objects.filter(application=application).exists():
        raise TransitionError("This application already has a certificate.")
    if User.objects.filter(pk=application.trainee_id, erased_at__isnull=False).exists():
        raise TransitionError(
            "No certificate is issued for this application: the trainee's personal data was "
            "erased, and a certificate would print their name."
        )
    today = timezone.localdate()
    certificate = Certificate.objects.create(
        application=application,
        holder_id=application.trainee_id,
        scheme_id=application.scheme_id,
        number=certificate_next_number(year=today.year),
        verification_code=new_verification_code(),
        status=Status.ISSUED,
        awarded_at=today,
        issued_at=today,
        valid_until=add_years(today, application.scheme.validity_years),
    )
    CertificateEvent.objects.create(
        certificate=certificate, by=by, from_status="", to_status=Status.ISSUED, reason="Approved"
    )
    credential_issue(certificate=certificate)
    log(
        instance=certificate,
        action="accreditation.certificate.issue",
        user=by,
        data={"from": "", "to": Status.ISSUED, "reason": "Application approved"},
    )
    transaction.on_commit(lambda: certificate_enqueue_render(certificate_id=certificate.pk))
    # The email says the certificate is ready and links to the holder's certificates page; the
    # PDF may still be rendering, and that page says so until it is there.
    notify(
        recipient=certificate.holder,
        event=AccreditationEvent.CERTIFICATE_ISSUED,
        actor=by,
        target=certificate,
    )
    return certificate


@transaction.atomic
def certificate_issue_renewal(*, renewal: RenewalApplication, by: User) -> Certificate:
    """The certificate a renewal earns: a new number and verification code, superseding the one
    renewed. The accreditation dates from the first award; the new validity runs on from the old
    end date if renewed before it, otherwise from today. The old certificate keeps its status and
    is marked superseded by the new one."""
    if renewal.status != RenewalApplication.Status.APPROVED:
        raise TransitionError("A certificate is issued only for an approved renewal.")
    old = Certificate.objects.select_for_update(of=("self",)).get(pk=renewal.certificate_id)
    if Certificate.objects.filter(Q(renewal=renewal) | Q(supersedes=old)).exists():
        raise TransitionError("This certificate has already been renewed.")
    # Re-checked inside the lock: a suspension or revocation committed a moment ago stops the
    # renewal, so no valid certificate is issued from one that is not.
    if old.status != Status.ISSUED:
        raise TransitionError(
            f"The certificate being renewed is {old.get_status_display().lower()}, so the "
            "renewal cannot be approved."
        )
    if User.objects.filter(pk=renewal.holder_id, erased_at__isnull=False).exists():
        raise TransitionError(
            "No certificate is issued for this renewal: the holder's personal data was erased, "
            "and a certificate would print their name."
        )
    today = timezone.localdate()
    years = renewal.scheme.validity_years
    valid_until = add_years(old.valid_until if today <= old.valid_until else today, years)
    certificate = Certificate.objects.create(
        renewal=renewal,
        holder_id=renewal.holder_id,
        scheme_id=renewal.scheme_id,
        number=certificate_next_number(year=today.year),
        verification_code=new_verification_code(),
        status=Status.ISSUED,
        awarded_at=old.awarded_at,
        issued_at=today,
        valid_until=valid_until,
        listed_on_register=old.listed_on_register,
        supersedes=old,
    )
    CertificateEvent.objects.create(
        certificate=certificate, by=by, from_status="", to_status=Status.ISSUED, reason="Renewed"
    )
    # A new certificate, a new credential; the old one's stays as it was, and its verification
    # page says it was superseded.
    credential_issue(certificate=certificate)
    # The register lists the holder by their current certificate: the choice moves to it.
    if old.listed_on_register:
        old.listed_on_register = False
        old.save(update_fields=["listed_on_register"])
    log(
        instance=certificate,
        action="accreditation.certificate.issue",
        user=by,
        data={"from": "", "to": Status.ISSUED, "reason": "Renewal approved"},
    )
    log(
        instance=old,
        action="accreditation.certificate.supersede",
        user=by,
        data={"superseded_by": certificate.number},
    )
    transaction.on_commit(lambda: certificate_enqueue_render(certificate_id=certificate.pk))
    notify(
        recipient=certificate.holder,
        event=AccreditationEvent.CERTIFICATE_ISSUED,
        actor=by,
        target=certificate,
    )
    return certificate


def certificate_enqueue_render(*, certificate_id: int) -> bool:
    """Ask a worker to render the PDF. A broker that cannot be reached is logged, not raised: the
    award is already committed, and the sweeper finds the certificate without a PDF and enqueues
    it again, so a lost message delays the PDF but never loses it."""
    from ..tasks import render_certificate_pdf

    try:
        render_certificate_pdf.delay(certificate_id)
    except BrokerError:
        logger.exception(
            "Could not enqueue the PDF of certificate %s; the sweeper will enqueue it again.",
            certificate_id,
        )
        return False
    return True


def _change_status(
    *,
    certificate: Certificate,
    by: User,
    reason: str,
    allowed_from: tuple[str, ...],
    to: str,
    verb: str,
) -> Certificate:
    reason = (reason or "").strip()
    if not user_is_assessor(by):
        raise TransitionError("Only an assessor can change a certificate's status.")
    if not reason:
        raise TransitionError("Give a reason.")
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("application__review", "renewal__application__review")
        .get(pk=certificate.pk)
    )
    if certificate.holder_id == by.pk:
        raise TransitionError("You cannot change the status of your own certificate.")
    if assessor_supervises_trainee(assessor=by, application=certificate.origin_application):
        raise TransitionError(
            "You supervise this holder, so another assessor must change their certificate's status."
        )
    if certificate.status not in allowed_from:
        raise TransitionError(
            f"A {certificate.get_status_display().lower()} certificate cannot be {verb}."
        )
    if Certificate.objects.filter(supersedes=certificate).exists():
        raise TransitionError(
            "This certificate was superseded when its holder renewed; change the status of the "
            "current certificate instead."
        )
    old = certificate.status
    certificate.status = to
    certificate.save(update_fields=["status"])
    event = CertificateEvent.objects.create(
        certificate=certificate, by=by, from_status=old, to_status=to, reason=reason
    )
    if to == Status.REVOKED:
        credential_revoke(certificate=certificate)
    log(
        instance=certificate,
        action=f"accreditation.certificate.{_ACTIONS[verb]}",
        user=by,
        data={"from": old, "to": to, "reason": reason},
    )
    notify(recipient=certificate.holder, event=_EVENTS[verb], actor=by, target=event)
    return certificate


_EVENTS = {
    "suspended": AccreditationEvent.CERTIFICATE_SUSPENDED,
    "reinstated": AccreditationEvent.CERTIFICATE_REINSTATED,
    "revoked": AccreditationEvent.CERTIFICATE_REVOKED,
}
_ACTIONS = {"suspended": "suspend", "reinstated": "reinstate", "revoked": "revoke"}


@transaction.atomic
def certificate_suspend(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    return _change_status(
        certificate=certificate,
        by=by,
        reason=reason,
        allowed_from=(Status.ISSUED,),
        to=Status.SUSPENDED,
        verb="suspended",
    )


@transaction.atomic
def certificate_reinstate(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    return _change_status(
        certificate=certificate,
        by=by,
        reason=reason,
        allowed_from=(Status.SUSPENDED,),
        to=Status.ISSUED,
        verb="reinstated",
    )


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    return _change_status(
        certificate=certificate,
        by=by,
        reason=reason,
        allowed_from=(Status.ISSUED, Status.SUSPENDED),
        to=Status.REVOKED,
        verb="revoked",
    )


@transaction.atomic
def certificate_set_listing(*, certificate: Certificate, holder: User, listed: bool) -> Certificate:
    certificate = (
        Certificate.objects.select_for_update().select_related("scheme").get(pk=certificate.pk)
    )
    if certificate.holder_id != holder.pk:
        raise TransitionError("Only the holder can choose whether to appear on the register.")
    if listed and not certificate.scheme.public_register_enabled:
        raise TransitionError("This scheme has no public register.")
    if listed and certificate_public_status(certificate=certificate) != PublicStatus.VALID:
        raise TransitionError(
            "Only a valid certificate can be listed on the public register; this one is "
            f"{certificate_public_status(certificate=certificate)}."
        )
    if certificate.listed_on_register != listed:
        certificate.listed_on_register = listed
        certificate.save(update_fields=["listed_on_register"])
        log(
            instance=certificate,
            action="accreditation.certificate.register_listing",
            user=holder,
            data={"listed": listed},
        )
    return certificate
