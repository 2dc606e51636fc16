"""Issuing a certificate's Open Badges credential, and the revocation bit that follows it.

A credential is signed once, when its certificate is issued, with the key current then; the
stored JWT is what the public endpoints serve, so a key rotation never changes a credential
already issued. A certificate issued before credentials existed gets its credential the first
time one is asked for.

Each credential takes one bit in a revocation status list, drawn at random from the free bits of
the list that is filling. Revoking the certificate, or erasing its holder, sets the bit in the
same transaction; nothing clears it. A revocation overturned on appeal therefore replaces the
credential: the reinstated certificate's new one takes a new bit. A suspension is not written
into the list, as it can end: the verification page, the status endpoint and the
verify-anything page report it live.
"""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils import timezone

from learning_platform.accounts.models import User

from ..models import Certificate, IssuedCredential
from ..selectors.credentials import (
    STATUS_LIST_CAPACITY,
    STATUS_LIST_SIZE,
    Issuer,
    credential_document,
    issuer,
)
from .credential_keys import issuer_keys, sign_credential

# Tries at a random free bit before giving up; with a list at most half full, each try misses
# with a chance of at most one in two.
_SLOT_TRIES = 64


def _filling_list() -> int:
    """The list new credentials go into: the first with room."""
    counts = dict(
        IssuedCredential.objects.values_list("status_list").annotate(n=Count("pk")).order_by()
    )
    number = 1
    while counts.get(number, 0) >= STATUS_LIST_CAPACITY:
        number += 1
    return number


def _random_free_index(number: int) -> int:
    for _ in range(_SLOT_TRIES):
        index = secrets.randbelow(STATUS_LIST_SIZE)
        if not IssuedCredential.objects.filter(status_list=number, status_index=index).exists():
            return index
    raise RuntimeError(f"No free bit found in status list {number}.")


def _sign_and_store(
    certificate: Certificate, *, who: Issuer, revoked: bool = False
) -> IssuedCredential:
    salt = secrets.token_hex(16)
    kid = issuer_keys().current_kid
    number = _filling_list()
    revoked_at = timezone.now() if revoked else None
    for _ in range(_SLOT_TRIES):
        index = _random_free_index(number)
        document = credential_document(
            certificate=certificate, who=who, status_list=number, status_index=index, salt=salt
        )
        try:
            # A savepoint: a bit taken a moment ago by another issue is tried again, without
            # undoing the certificate around it.
            with transaction.atomic():
                return IssuedCredential.objects.create(
                    certificate=certificate,
                    jwt=sign_credential(document),
                    kid=kid,
                    status_list=number,
                    status_index=index,
                    revoked_at=revoked_at,
                )
        except IntegrityError:
            if _current(certificate) is not None:
                raise
    raise RuntimeError(f"No free bit could be taken in status list {number}.")


def _current(certificate: Certificate) -> IssuedCredential | None:
    return IssuedCredential.objects.filter(
        certificate=certificate, replaced_at__isnull=True
    ).first()


def _revoked(certificate: Certificate) -> bool:
    """Revoked, or renewed by a certificate that was: its credential is born revoked."""
    seen: set[int] = set()
    current: Certificate | None = certificate
    while current is not None and current.pk not in seen:
        if current.status == Certificate.Status.REVOKED:
            return True
        seen.add(current.pk)
        current = Certificate.objects.filter(supersedes=current).first()
    return False


def credential_issue(*, certificate: Certificate) -> IssuedCredential:
    """Sign and store the certificate's credential. Called inside the transaction that issues
    the certificate, so a certificate never exists without its credential for long."""
    certificate = Certificate.objects.select_related("holder", "scheme").get(pk=certificate.pk)
    return _sign_and_store(certificate, who=issuer())


def credential_for(*, certificate: Certificate) -> IssuedCredential | None:
    """The certificate's current credential, issued now if it was awarded before credentials
    existed. None for a certificate that was never issued or whose holder's data was erased.

    The certificate's row is locked first, as a revocation or an erasure locks it: either that
    change finds this credential and sets its bit, or this finds the change and honours it."""
    existing = _current(certificate)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            certificate = (
                Certificate.objects.select_for_update(of=("self",))
                .select_related("scheme")
                .get(pk=certificate.pk)
            )
            existing = _current(certificate)
            if existing is not None:
                return existing
            # Read after the lock, so an erasure committed a moment ago is seen.
            holder = User.objects.get(pk=certificate.holder_id)
            if certificate.status == Certificate.Status.PENDING or holder.erased_at:
                return None
            certificate.holder = holder
            return _sign_and_store(certificate, who=issuer(), revoked=_revoked(certificate))
    except IntegrityError:
        # Another request issued it first (SQLite has no row lock to wait on).
        return _current(certificate)


def credential_reissue(*, certificate: Certificate) -> IssuedCredential | None:
    """A revocation overturned on appeal: the revoked credential is replaced, keeping its bit
    (a bit is never cleared, and its holder may still hold a copy), and a new credential takes
    a new bit. Must run in the transaction that reinstates the certificate."""
    IssuedCredential.objects.filter(certificate=certificate, replaced_at__isnull=True).update(
        replaced_at=timezone.now()
    )
    certificate = Certificate.objects.select_related("holder", "scheme").get(pk=certificate.pk)
    if certificate.holder.erased_at:
        return None
    return _sign_and_store(certificate, who=issuer())


def credential_revoke(*, certificate: Certificate) -> None:
    """Set the revocation bit of the certificate's credential, and of the credentials of the
    certificates it renewed: they attest the same accreditation, and one still in date must not
    outlive its revocation. Must run in the transaction that revokes the certificate."""
    chain = []
    current: Certificate | None = certificate
    while current is not None:
        chain.append(current.pk)
        current = (
            Certificate.objects.filter(pk=current.supersedes_id).first()
            if current.supersedes_id
            else None
        )
    IssuedCredential.objects.filter(certificate__in=chain, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def credentials_withdraw(*, holder) -> None:
    """The holder's personal data is erased: every credential of theirs is revoked in the list
    and withdrawn, and the signed copy (which carries their name) is deleted."""
    now = timezone.now()
    IssuedCredential.objects.filter(certificate__holder=holder).update(
        jwt="", withdrawn_at=Coalesce("withdrawn_at", now), revoked_at=Coalesce("revoked_at", now)
    )
