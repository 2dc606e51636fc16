"""Reads about certificates: what public verification shows, the public register and a holder's
own list. Expiry is computed from valid_until, never stored."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from learning_platform.accounts.models import User

from ..models import Certificate, CertificateEvent

# secrets.token_urlsafe(15) gives 20 characters; allow some room for older or longer codes.
VERIFICATION_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{16,40}$")
CERTIFICATE_NUMBER_RE = re.compile(r"^LT-\d{4}-\d{5,}$")


class PublicStatus(models.TextChoices):
    """What anyone checking a certificate is told: its stored status, with expiry worked out
    from its end date."""

    VALID = "valid", "Valid"
    EXPIRED = "expired", "Expired"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"
    PENDING = "pending", "Not yet issued"
    SUPERSEDED = "superseded", "Superseded"

    @property
    def tag_colour(self) -> str:
        """The colour of the status tag, as the stylesheet's tag modifier names it."""
        return _TAG_COLOURS[self]


_TAG_COLOURS = {
    PublicStatus.VALID: "green",
    PublicStatus.EXPIRED: "grey",
    PublicStatus.SUSPENDED: "yellow",
    PublicStatus.REVOKED: "red",
    PublicStatus.PENDING: "blue",
    PublicStatus.SUPERSEDED: "grey",
}


def certificate_superseded_by(certificate: Certificate) -> Certificate | None:
    """The certificate that replaced this one on renewal (read from memory when the queryset
    selected it, as every page's does)."""
    try:
        return certificate.superseded_by
    except Certificate.DoesNotExist:
        return None


def certificate_public_status(
    *, certificate: Certificate, today: date | None = None
) -> PublicStatus:
    today = today or timezone.localdate()
    if certificate.status == Certificate.Status.REVOKED:
        return PublicStatus.REVOKED
    if certificate.status == Certificate.Status.SUSPENDED:
        return PublicStatus.SUSPENDED
    if certificate.status == Certificate.Status.PENDING:
        return PublicStatus.PENDING
    if certificate_superseded_by(certificate) is not None:
        return PublicStatus.SUPERSEDED
    if certificate.valid_until < today:
        return PublicStatus.EXPIRED
    return PublicStatus.VALID


@dataclass(frozen=True)
class CertificateStanding:
    """A certificate's current status, as every page that shows the certificate states it: for a
    suspended or revoked one, when that happened and the reason the assessor recorded."""

    status: PublicStatus
    valid_until: date
    changed_at: datetime | None = None
    reason: str = ""
    # Superseded by a renewal: the new certificate's number and verification code, and when.
    superseded_by_number: str = ""
    superseded_by_code: str = ""
    superseded_on: date | None = None

    @property
    def label(self) -> str:
        return PublicStatus(self.status).label

    @property
    def is_valid(self) -> bool:
        return self.status == PublicStatus.VALID

    @property
    def is_expired(self) -> bool:
        return self.status == PublicStatus.EXPIRED

    @property
    def is_suspended(self) -> bool:
        return self.status == PublicStatus.SUSPENDED

    @property
    def is_revoked(self) -> bool:
        return self.status == PublicStatus.REVOKED

    @property
    def is_superseded(self) -> bool:
        return self.status == PublicStatus.SUPERSEDED

    @property
    def holder_may_download(self) -> bool:
        """A suspended or revoked certificate's PDF would still read as a valid award to anyone
        shown it, so its holder cannot download it; an expired one prints its own end date."""
        return self.status in (PublicStatus.VALID, PublicStatus.EXPIRED, PublicStatus.SUPERSEDED)


def certificate_events_prefetch() -> Prefetch:
    """Prefetch for a list of certificates whose standing is shown: one query for them all."""
    return Prefetch("events", queryset=CertificateEvent.objects.order_by("created_at", "pk"))


def certificate_standing(
    *,
    certificate: Certificate,
    events: list[CertificateEvent] | None = None,
    today: date | None = None,
) -> CertificateStanding:
    status = certificate_public_status(certificate=certificate, today=today)
    if status == PublicStatus.SUPERSEDED:
        new = certificate_superseded_by(certificate)
        return CertificateStanding(
            status=status,
            valid_until=certificate.valid_until,
            superseded_by_number=new.number,
            superseded_by_code=new.verification_code,
            superseded_on=new.issued_at,
        )
    if status not in (PublicStatus.SUSPENDED, PublicStatus.REVOKED):
        return CertificateStanding(status=status, valid_until=certificate.valid_until)
    # The latest event that put the certificate into its current status. Pass the events when the
    # page has them already; prefetched events are read from memory; otherwise one query.
    event = None
    for candidate in events if events is not None else certificate.events.all():
        if candidate.to_status == certificate.status:
            event = candidate
    return CertificateStanding(
        status=status,
        valid_until=certificate.valid_until,
        changed_at=event.created_at if event else None,
        reason=event.reason if event else "",
    )


@dataclass(frozen=True)
class Verification:
    """What the public may know about a certificate, and nothing more."""

    holder_name: str
    scheme_name: str
    number: str
    issued_at: date
    valid_until: date
    status: PublicStatus
    as_of: datetime
    # When it was suspended or revoked. The assessor's reason is for the holder and the
    # programme's records: it may describe the holder's conduct, so the public is not shown it.
    changed_at: datetime | None = None
    # The holder's personal data was erased at their request: the certificate still verifies,
    # without a name.
    holder_name_withdrawn: bool = False
    # Renewal: when the holder was first accredited (shown when it differs from the issue date),
    # and for a superseded certificate, the one that replaced it.
    awarded_at: date | None = None
    superseded_on: date | None = None
    superseded_by_number: str = ""
    superseded_by_code: str = ""
    # The verification code, which names the certificate's digital credential.
    code: str = ""

    @property
    def status_label(self) -> str:
        return PublicStatus(self.status).label

    @property
    def accredited_since(self) -> date | None:
        if self.awarded_at and self.awarded_at != self.issued_at:
            return self.awarded_at
        return None

    @property
    def standing(self) -> CertificateStanding:
        return CertificateStanding(
            status=self.status,
            valid_until=self.valid_until,
            changed_at=self.changed_at,
            superseded_by_number=self.superseded_by_number,
            superseded_by_code=self.superseded_by_code,
            superseded_on=self.superseded_on,
        )


def _verification(certificate: Certificate) -> Verification:
    withdrawn = certificate.holder.erased_at is not None
    standing = certificate_standing(certificate=certificate)
    return Verification(
        holder_name="" if withdrawn else certificate.holder.get_full_name(),
        holder_name_withdrawn=withdrawn,
        scheme_name=certificate.scheme.name,
        number=certificate.number,
        issued_at=certificate.issued_at,
        valid_until=certificate.valid_until,
        status=standing.status,
        changed_at=standing.changed_at,
        as_of=timezone.now(),
        awarded_at=certificate.awarded_at,
        superseded_on=standing.superseded_on,
        superseded_by_number=standing.superseded_by_number,
        superseded_by_code=standing.superseded_by_code,
        code=certificate.verification_code,
    )


def _public_queryset() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("holder", "scheme", "superseded_by").only(
        "number",
        "verification_code",
        "status",
        "awarded_at",
        "issued_at",
        "valid_until",
        "superseded_by__number",
        "superseded_by__verification_code",
        "superseded_by__issued_at",
        "holder__full_name",
        "holder__email",
        "holder__erased_at",
        "scheme__name",
    )


def verify_by_code(*, code: str) -> Verification | None:
    if not VERIFICATION_CODE_RE.match(code or ""):
        return None
    certificate = _public_queryset().filter(verification_code=code).first()
    return _verification(certificate) if certificate else None


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


def surname_of(*, full_name: str) -> str:
    parts = (full_name or "").split()
    return parts[-1] if parts else ""


def verify_by_number(*, number: str, surname: str) -> Verification | None:
    """Both must match: the number alone is printed on the certificate and guessable."""
    number = (number or "").strip().upper()
    if not CERTIFICATE_NUMBER_RE.match(number) or not surname.strip():
        return None
    certificate = _public_queryset().filter(number=number).first()
    # An erased holder has no surname left to match, and "#<id>" must not stand in for one.
    if certificate is None or certificate.holder.erased_at is not None:
        return None
    if _fold(surname_of(full_name=certificate.holder.full_name)) != _fold(surname):
        return None
    return _verification(certificate)


def certificates_for_holder(*, user: User) -> list[Certificate]:
    if not user.is_authenticated:
        return []
    return list(
        Certificate.objects.filter(holder=user)
        .select_related("scheme", "superseded_by")
        .prefetch_related(certificate_events_prefetch())
        .order_by("-issued_at", "-pk")
    )


def certificates_for_assessor() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("holder", "scheme", "superseded_by").order_by(
        "-issued_at", "-pk"
    )
