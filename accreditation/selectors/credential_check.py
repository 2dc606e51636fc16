"""Checking a credential someone pasted or uploaded: is it one we issued, unaltered, in date and
still in force?

A signed credential (a compact vc+jwt) is checked against our published keys with joserfc: only
ES256, only a key in our JWKS. A credential as JSON carries no signature of its own, so it is
compared with the signed copy we hold for its id. Then the issuer, the dates, the revocation bit
in our status list and the certificate's live status (a suspension is not in the list). Every
input gets a verdict, never an error page.
"""

import base64
import binascii
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db import models
from django.urls import Resolver404, resolve
from django.utils import timezone

from joserfc import jws
from joserfc.errors import JoseError

from ..models import Certificate, IssuedCredential
from ..services.credential_keys import ALGORITHM, JWT_TYPE, issuer_keys, signed_payload
from .certificates import PublicStatus, certificate_standing
from .credentials import (
    STATUS_LIST_SIZE,
    STATUS_PURPOSE,
    absolute,
    current_certificate,
    issuer_id,
    published_credential,
)

logger = logging.getLogger(__name__)

# A credential of ours is a few kilobytes; anything far larger is not one.
MAX_CREDENTIAL_CHARS = 64 * 1024
_COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
_OB_TYPES = {"OpenBadgeCredential", "AchievementCredential"}


# The checks, in the order they are made.
SIGNATURE, ISSUER, DATES, STATUS = "Signature", "Issuer", "Dates", "Status"


class CredentialForm(models.TextChoices):
    JWT = "vc+jwt", "Signed credential (vc+jwt)"
    JSON = "json", "Credential in JSON"


@dataclass(frozen=True)
class Check:
    label: str
    passed: bool | None  # None: not checked, because an earlier check failed
    detail: str


@dataclass
class CredentialCheck:
    """The verdict on a credential, each check's result, and what the credential says."""

    readable: bool
    message: str = ""
    checks: list[Check] = field(default_factory=list)
    form: CredentialForm | None = None
    name: str = ""
    holder_name: str = ""
    issuer_name: str = ""
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    credential_id: str = ""
    certificate_number: str = ""

    @property
    def authentic(self) -> bool:
        """The signature (or, for JSON, our signed copy) vouches for what it says."""
        return bool(self.checks) and self.checks[0].passed is True

    @property
    def is_valid(self) -> bool:
        return self.readable and bool(self.checks) and all(c.passed for c in self.checks)

    @property
    def last_day(self) -> date | None:
        """The last day it is valid (validUntil is the first moment after it)."""
        if self.valid_until is None:
            return None
        return (timezone.localtime(self.valid_until) - timedelta(seconds=1)).date()

    @property
    def first_problem(self) -> str:
        # Another issuer's credential says so first: nothing else about it is ours to judge.
        failed = [c for c in self.checks if c.passed is False]
        failed.sort(key=lambda c: c.label != ISSUER)
        return failed[0].detail if failed else self.message


def _unreadable(message: str) -> CredentialCheck:
    return CredentialCheck(readable=False, message=message)


def _b64_json(segment: str):
    raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    return json.loads(raw)


def _types(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {item for item in value if isinstance(item, str)}
    return set()


def _is_credential(document) -> bool:
    return (
        isinstance(document, dict)
        and "VerifiableCredential" in _types(document.get("type"))
        and bool(_OB_TYPES & _types(document.get("type")))
        and isinstance(document.get("credentialSubject"), dict)
    )


# Dates outside these years are no credential's, and near the ends of the calendar a shift to
# local time would overflow.
_YEARS = range(1900, 9000)


def _parse_time(value) -> datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return moment if moment.year in _YEARS else None


def check_credential(text: str) -> CredentialCheck:
    try:
        return _check(text)
    except Exception:  # noqa: BLE001 - every input gets a verdict, never an error page
        logger.exception("A pasted credential could not be checked.")
        return _unreadable("This credential could not be checked. Check that it was copied whole.")


def _check(text: str) -> CredentialCheck:
    text = (text or "").strip()
    if not text:
        return _unreadable("Paste a credential, or choose its file.")
    if len(text) > MAX_CREDENTIAL_CHARS:
        return _unreadable("This is far larger than any credential we issue.")
    if text.startswith("{"):
        return _check_json(text)
    if _COMPACT_JWS.match(text):
        return _check_jwt(text)
    return _unreadable(
        "This is not a credential: a signed credential is a long line of letters and digits in "
        "three parts separated by dots (a .jwt file), and a credential in JSON begins with “{”."
    )


def _check_jwt(token: str) -> CredentialCheck:
    header_segment, payload_segment, _ = token.split(".")
    try:
        header = _b64_json(header_segment)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return _unreadable("The first part of this JWT (its header) cannot be read.")
    if not isinstance(header, dict):
        return _unreadable("The first part of this JWT (its header) is not a JSON object.")
    try:
        claimed = _b64_json(payload_segment)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        claimed = None
    result = CredentialCheck(readable=True, form=CredentialForm.JWT)
    signature = _signature_check(token, header)
    result.checks.append(signature)
    if not signature.passed:
        # Nothing it says can be trusted; another issuer's name is still worth saying.
        issuer = _issuer_check(claimed) if _is_credential(claimed) else None
        result.checks += [issuer] if issuer and not issuer.passed else _not_checked(ISSUER)
        _describe(result, claimed if _is_credential(claimed) else None)
        result.checks += _not_checked(DATES, STATUS)
        return result
    document = json.loads(signed_payload(token))
    if not _is_credential(document):
        return _unreadable(
            "The signature is ours, but what it signs is not an Open Badges credential."
        )
    _describe(result, document)
    result.checks += [_issuer_check(document), _dates_check(document), *_status_checks(document)]
    return result


def _signature_check(token: str, header: dict) -> Check:
    label = SIGNATURE
    algorithm = header.get("alg")
    if not isinstance(algorithm, str) or algorithm.lower() == "none":
        return Check(label, False, "The credential is not signed (its algorithm is “none”).")
    if algorithm != ALGORITHM:
        return Check(
            label,
            False,
            f"Signed with {algorithm[:20]}, an algorithm we do not use: ours are signed with "
            f"{ALGORITHM}.",
        )
    if header.get("typ") not in (None, JWT_TYPE):
        return Check(label, False, f"The JWT's type is not {JWT_TYPE}: it is not a credential.")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        return Check(label, False, "The JWT does not say which key signed it (it has no kid).")
    key = issuer_keys().public_key(kid)
    if key is None:
        return Check(
            label,
            False,
            "Signed with a key we do not publish: it was not signed by us, or not with a key of "
            "ours.",
        )
    try:
        jws.deserialize_compact(token, key, algorithms=[ALGORITHM])
    except (JoseError, ValueError):
        return Check(
            label,
            False,
            "The signature does not match the content: the credential was changed after it was "
            "signed.",
        )
    return Check(label, True, "Signed with one of our published keys, and unaltered since.")


def _not_checked(*labels: str) -> list[Check]:
    return [
        Check(
            label,
            None,
            "Nothing a credential says can be trusted until its signature is.",
        )
        for label in labels
    ]


def _issuer_check(document: dict) -> Check:
    claimed = document.get("issuer")
    claimed_id = claimed.get("id") if isinstance(claimed, dict) else claimed
    if claimed_id == issuer_id():
        name = claimed.get("name") if isinstance(claimed, dict) else ""
        return Check(ISSUER, True, f"Issued by {name or 'us'}, with the keys this site publishes.")
    if not claimed_id:
        return Check(ISSUER, False, "It names no issuer.")
    return Check(
        ISSUER, False, f"Issued by {str(claimed_id)[:120]}, not by us: we can check only our own."
    )


def _dates_check(document: dict) -> Check:
    now = timezone.now()
    valid_from = _parse_time(document.get("validFrom"))
    valid_until = _parse_time(document.get("validUntil"))
    if valid_from is None:
        return Check(DATES, False, "The credential does not say when it is valid from.")
    if valid_from > now:
        return Check(DATES, False, f"Not valid until {timezone.localtime(valid_from):%-d %B %Y}.")
    if document.get("validUntil") is not None and valid_until is None:
        return Check(DATES, False, "The credential's end date cannot be read.")
    if valid_until is not None and valid_until <= now:
        return Check(DATES, False, f"Expired: it was valid until {_last_day(valid_until)}.")
    if valid_until is not None:
        return Check(DATES, True, f"In date: valid until {_last_day(valid_until)}.")
    return Check(DATES, True, "In date.")


def _last_day(valid_until: datetime) -> str:
    """validUntil is the first moment after the certificate's last day."""
    last = timezone.localtime(valid_until) - timedelta(seconds=1)
    return f"{last:%-d %B %Y}"


def _status_checks(document: dict) -> list[Check]:
    status = document.get("credentialStatus")
    if not isinstance(status, dict):
        return [Check(STATUS, False, "The credential has no status entry to check.")]
    list_url = status.get("statusListCredential")
    number = _our_list_number(list_url)
    try:
        index = int(status.get("statusListIndex"))
    except (TypeError, ValueError):
        index = -1
    if (
        number is None
        or status.get("statusPurpose") != STATUS_PURPOSE
        or not 0 <= index < STATUS_LIST_SIZE
    ):
        return [Check(STATUS, False, "Its status entry does not point into our status list.")]
    # The published list's bit is this row's revoked_at: read the row, not the whole list.
    credential = (
        IssuedCredential.objects.select_related("certificate__superseded_by")
        .filter(status_list=number, status_index=index)
        .first()
    )
    if credential is not None and credential.withdrawn_at is not None:
        return [Check(STATUS, False, "Withdrawn at the holder's request.")]
    if credential is not None and credential.revoked_at is not None:
        return [Check(STATUS, False, "Revoked: the certificate is no longer valid.")]
    if credential is None:
        return [Check(STATUS, False, "We hold no credential with this status entry.")]
    return [_live_check(credential.certificate)]


def _our_url(url, name: str) -> dict | None:
    """The arguments of one of our URLs of this name, or None for any other address."""
    prefix = absolute("")
    if not isinstance(url, str) or not url.startswith(prefix + "/"):
        return None
    try:
        match = resolve(url[len(prefix) :])
    except Resolver404:
        return None
    return match.kwargs if match.url_name == name else None


def _our_list_number(url) -> int | None:
    kwargs = _our_url(url, "credential_status_list")
    return kwargs["number"] if kwargs else None


def _live_check(certificate: Certificate) -> Check:
    standing = certificate_standing(certificate=certificate)
    if standing.status == PublicStatus.SUSPENDED:
        since = (
            f" on {timezone.localtime(standing.changed_at):%-d %B %Y}"
            if standing.changed_at
            else ""
        )
        return Check(
            STATUS,
            False,
            f"Suspended{since}: not valid while the suspension lasts. It may be reinstated.",
        )
    if standing.status == PublicStatus.REVOKED:
        return Check(STATUS, False, "Revoked: the certificate is no longer valid.")
    if standing.status == PublicStatus.SUPERSEDED:
        current = current_certificate(certificate)
        now = certificate_standing(certificate=current)
        if now.status in (PublicStatus.SUSPENDED, PublicStatus.REVOKED):
            return Check(
                STATUS,
                False,
                f"The holder renewed, and their current certificate, {current.number}, is "
                f"{now.label.lower()}: this one is not valid either.",
            )
        return Check(
            STATUS,
            True,
            f"Not revoked or suspended. The holder has renewed: certificate "
            f"{standing.superseded_by_number} replaced this one on "
            f"{standing.superseded_on:%-d %B %Y}.",
        )
    return Check(STATUS, True, "Not revoked or suspended, as of now.")


def _describe(result: CredentialCheck, document: dict | None) -> None:
    if not document:
        return
    subject = document.get("credentialSubject") or {}
    for identity in subject.get("identifier") or []:
        if isinstance(identity, dict) and identity.get("identityType") == "name":
            result.holder_name = str(identity.get("identityHash", ""))[:200]
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if isinstance(achievement, dict):
        result.name = str(achievement.get("name", ""))[:200]
    claimed = document.get("issuer")
    if isinstance(claimed, dict):
        result.issuer_name = str(claimed.get("name", ""))[:200]
    result.valid_from = _parse_time(document.get("validFrom"))
    result.valid_until = _parse_time(document.get("validUntil"))
    result.credential_id = str(document.get("id", ""))[:300]


def _check_json(text: str) -> CredentialCheck:
    try:
        document = json.loads(text)
    except ValueError:
        return _unreadable("This looks like JSON but cannot be read: it may have been cut short.")
    if not _is_credential(document):
        return _unreadable(
            "This JSON is not an Open Badges credential: it has no type VerifiableCredential "
            "with OpenBadgeCredential, or no credentialSubject."
        )
    result = CredentialCheck(readable=True, form=CredentialForm.JSON)
    _describe(result, document)
    match = _match_check(document)
    result.checks.append(match)
    issuer = _issuer_check(document)
    if not match.passed:
        result.checks += [issuer] if not issuer.passed else _not_checked(ISSUER)
        result.checks += _not_checked(DATES, STATUS)
        return result
    result.checks.append(issuer)
    result.checks += [_dates_check(document), *_status_checks(document)]
    return result


def _signed_payloads(published):
    """The current credential's payload, then those of the credentials it replaced (a
    revocation overturned on appeal): a copy of a replaced one is genuine, and revoked."""
    yield json.loads(published.payload())
    replaced = IssuedCredential.objects.filter(
        certificate=published.certificate, replaced_at__isnull=False
    ).exclude(jwt="")
    for credential in replaced.only("jwt"):
        yield json.loads(signed_payload(credential.jwt))


def _match_check(document: dict) -> Check:
    """A JSON credential has no signature: it is genuine if it is, field for field, the payload
    of the signed credential we hold for its id."""
    label = SIGNATURE
    if "proof" in document:
        return Check(
            label,
            False,
            "It carries an embedded proof: we sign credentials only as vc+jwt, so it was not "
            "signed by us.",
        )
    kwargs = _our_url(document.get("id"), "certificate_verify_code")
    code = kwargs["code"] if kwargs else ""
    published = published_credential(code=code) if code else None
    if published is None or (published.credential is None and not published.withdrawn):
        return Check(label, False, "We issued no credential with this id.")
    if published.withdrawn:
        return Check(label, False, "This credential was withdrawn at the holder's request.")
    if not any(payload == document for payload in _signed_payloads(published)):
        return Check(
            label,
            False,
            "It differs from the credential we signed with this id: it was changed after it "
            "was issued.",
        )
    return Check(
        label,
        True,
        "Matches, field for field, the credential we signed with this id (a credential in JSON "
        "carries no signature of its own, so it is compared with our signed copy).",
    )
