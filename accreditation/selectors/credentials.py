"""Reads for the portable credentials: the public documents (the issuer's profile, each scheme's
achievement, a certificate's credential and the revocation status lists) and where each lives.

The documents follow Open Badges 3.0 (context 3.0.3) on the W3C Verifiable Credentials Data
Model 2.0; a status list is a Bitstring Status List v1.0 credential. None of them carries more
about a holder than the verification page shows: their name, and their email address only as a
salted SHA-256 hash.
"""

import base64
import gzip
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parseaddr
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Site

from ..models import (
    AccreditationScheme,
    AssessmentCriterion,
    Certificate,
    CertificateSettings,
    IssuedCredential,
)
from ..services.credential_keys import JWT_TYPE, issuer_keys, sign_credential, signed_payload
from ..services.pdf import verification_url
from .certificates import (
    VERIFICATION_CODE_RE,
    certificate_standing,
    certificate_superseded_by,
)

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
OB_SCHEMA_TYPE = "1EdTechJsonSchemaValidator2019"
CREDENTIAL_TYPES = ("VerifiableCredential", "OpenBadgeCredential")
# Bits in one status list: Bitstring Status List's minimum, so that one holder's bit hides among
# at least this many (herd privacy). A list takes new credentials until half its bits are used.
STATUS_LIST_SIZE = 131_072
STATUS_LIST_CAPACITY = STATUS_LIST_SIZE // 2
STATUS_PURPOSE = "revocation"
BADGE_IMAGE = "accreditation/img/credential-badge.png"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def issuer_id() -> str:
    return absolute(reverse("credential_issuer"))


def achievement_id(scheme_id: int) -> str:
    return absolute(reverse("credential_achievement", args=[scheme_id]))


def status_list_id(number: int) -> str:
    return absolute(reverse("credential_status_list", args=[number]))


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def start_of(day: date) -> str:
    """The first moment of a day in the site's time zone, in UTC."""
    return _utc(datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone()))


# The issuer ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issuer:
    name: str
    url: str
    email: str


def issuer() -> Issuer:
    site = Site.objects.filter(is_default_site=True).first()
    values = CertificateSettings.for_site(site) if site else CertificateSettings()
    return Issuer(
        name=values.issuer_name,
        url=values.issuer_url,
        email=values.issuer_email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
    )


def issuer_profile(who: Issuer, *, standalone: bool = True) -> dict:
    profile = {
        "id": issuer_id(),
        "type": ["Profile"],
        "name": who.name,
        "url": who.url,
        "email": who.email,
    }
    return {"@context": [VC_CONTEXT, OB_CONTEXT], **profile} if standalone else profile


# A scheme's achievement ----------------------------------------------------------------------


def achievement_scheme(scheme_id: int) -> AccreditationScheme | None:
    return (
        AccreditationScheme.objects.filter(pk=scheme_id)
        .select_related("course")
        .prefetch_related("criteria")
        .first()
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def criteria_narrative(scheme: AccreditationScheme) -> str:
    """What earns the award, in Markdown: the scheme's requirements, then the criteria its
    assessors judge."""
    lines = ["Awarded by the issuer's assessors to a reviewer who has:", ""]
    if scheme.requires_course_completion:
        course = f"the course “{scheme.course.title}”" if scheme.course else "the training course"
        lines.append(f"- completed {course};")
    lines.append(
        "- led or co-led a real multi-agency case review, commissioned by a safeguarding "
        "partnership, with each stage of the Learning Together method signed off by their "
        "supervisor;"
    )
    lines.append(
        f"- attended at least {_count(scheme.min_group_sessions, 'group supervision session')} "
        f"and {_count(scheme.min_individual_sessions, 'individual supervision session')} "
        "during report writing;"
    )
    if scheme.requires_reflective_statement:
        lines.append("- written a reflective statement on their learning;")
    lines[-1] = lines[-1].rstrip(";") + "."
    criteria = [
        item
        for item in scheme.criteria.all()
        if item.purpose == AssessmentCriterion.Purpose.ACCREDITATION
    ]
    if criteria:
        lines += ["", "The assessor judges each application against these criteria:", ""]
        for item in criteria:
            described = f": {' '.join(item.description.split())}" if item.description else ""
            lines.append(f"- **{item.title}**{described}")
    lines += [
        "",
        f"The accreditation is valid for {scheme.validity_years} years, and renewed on evidence "
        "of continuing practice and professional development.",
    ]
    return "\n".join(lines)


def achievement_document(
    scheme: AccreditationScheme, who: Issuer, *, standalone: bool = True
) -> dict:
    statement = " ".join(scheme.accreditation_statement.split())
    achievement = {
        "id": achievement_id(scheme.pk),
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": scheme.name,
        "description": f"The holder {statement}" if statement else scheme.name,
        "criteria": {"narrative": criteria_narrative(scheme)},
        "image": {
            "id": absolute(static(BADGE_IMAGE)),
            "type": "Image",
            "caption": f"{scheme.name}: digital badge",
        },
        "creator": issuer_profile(who, standalone=False),
    }
    if standalone:
        return {"@context": [VC_CONTEXT, OB_CONTEXT], **achievement}
    return achievement


# A certificate's credential ------------------------------------------------------------------


def email_identity_hash(email: str, salt: str) -> str:
    """Open Badges' IdentityHash: "sha256$" and the hex SHA-256 of the address and the salt."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return f"sha256${digest}"


def credential_document(
    *, certificate: Certificate, who: Issuer, status_list: int, status_index: int, salt: str
) -> dict:
    holder = certificate.holder
    scheme = certificate.scheme
    valid_until = datetime.combine(
        certificate.valid_until + timedelta(days=1),
        time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": verification_url(certificate),
        "type": list(CREDENTIAL_TYPES),
        "name": scheme.name,
        "description": (
            f"Certificate {certificate.number}: {holder.get_full_name()} "
            f"{' '.join(scheme.accreditation_statement.split())}"
        ).strip(),
        "issuer": issuer_profile(who, standalone=False),
        "validFrom": start_of(certificate.issued_at),
        # Valid to the end of the certificate's last day.
        "validUntil": _utc(valid_until),
        # Kept across renewals: when the holder was first accredited.
        "awardedDate": start_of(certificate.awarded_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": email_identity_hash(holder.email, salt),
                    "salt": salt,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": holder.get_full_name(),
                },
            ],
            "achievement": achievement_document(scheme, who, standalone=False),
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": OB_SCHEMA_TYPE}],
        "credentialStatus": {
            "id": f"{status_list_id(status_list)}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": STATUS_PURPOSE,
            "statusListIndex": str(status_index),
            "statusListCredential": status_list_id(status_list),
        },
    }


@dataclass(frozen=True)
class PublishedCredential:
    """What the public credential endpoints serve for one verification code."""

    certificate: Certificate
    credential: IssuedCredential | None

    @property
    def withdrawn(self) -> bool:
        """Withdrawn at the holder's request: their personal data was erased."""
        if self.certificate.holder.erased_at is not None:
            return True
        return self.credential is not None and self.credential.withdrawn_at is not None

    @property
    def jwt(self) -> str:
        return self.credential.jwt if self.credential else ""

    def payload(self) -> bytes:
        """The credential as JSON: the JWT's payload, byte for byte."""
        return signed_payload(self.jwt)


def published_credential(*, code: str) -> PublishedCredential | None:
    """The certificate with this verification code and its credential, if it was issued."""
    if not VERIFICATION_CODE_RE.match(code or ""):
        return None
    certificate = (
        Certificate.objects.awarded()
        .with_credential()
        .select_related("holder", "scheme", "superseded_by")
        .filter(verification_code=code)
        .first()
    )
    if certificate is None:
        return None
    # The join sets no attribute when the certificate has no credential yet.
    credential = getattr(certificate, "current_credential", None)
    return PublishedCredential(certificate=certificate, credential=credential)


def current_certificate(certificate: Certificate) -> Certificate:
    """The certificate that holds the accreditation now: this one, or the last of the renewals
    that superseded it."""
    seen = {certificate.pk}
    while (successor := certificate_superseded_by(certificate)) is not None:
        if successor.pk in seen:
            break
        seen.add(successor.pk)
        certificate = Certificate.objects.select_related("superseded_by").get(pk=successor.pk)
    return certificate


# The revocation status lists -----------------------------------------------------------------


def status_list_numbers() -> list[int]:
    """The lists that exist: the first always, and each that holds a credential."""
    used = set(IssuedCredential.objects.values_list("status_list", flat=True).distinct())
    return sorted(used | {1})


def revoked_indexes(number: int) -> list[int]:
    return list(
        IssuedCredential.objects.filter(status_list=number, revoked_at__isnull=False)
        .order_by("status_index")
        .values_list("status_index", flat=True)
    )


def encode_bitstring(indexes: list[int], *, size: int = STATUS_LIST_SIZE) -> str:
    """Bitstring Status List's encodedList: the bits (index 0 the first byte's most significant
    bit), GZIP-compressed, base64url without padding, with multibase's "u" prefix."""
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def status_list_document(number: int, *, indexes: list[int], issued: datetime) -> dict:
    url = status_list_id(number)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": _utc(issued),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": encode_bitstring(indexes),
        },
    }


@dataclass(frozen=True)
class SignedStatusList:
    jwt: str
    version: str


def _revocations(number: int) -> QuerySet:
    return IssuedCredential.objects.filter(status_list=number, revoked_at__isnull=False)


def signed_status_list(number: int) -> SignedStatusList:
    """The list signed as vc+jwt. Bits are only ever set, so the count of set bits and the
    latest setting name a version of the list; a signed copy is kept in the cache for that
    version and the current key, and any revocation makes the next request sign afresh."""
    summary = _revocations(number).aggregate(count=Count("pk"), latest=Max("revoked_at"))
    latest = summary["latest"]
    kid = issuer_keys().current_kid
    stamp = latest.timestamp() if latest else 0
    version = f"{settings.SITE_URL}|{number}.{summary['count']}.{stamp}.{kid}"
    key = f"credential-status-list:{JWT_TYPE}:{version}"
    jwt = cache.get(key)
    if jwt is None:
        document = status_list_document(
            number, indexes=revoked_indexes(number), issued=timezone.now()
        )
        jwt = sign_credential(document)
        cache.set(key, jwt, timeout=24 * 60 * 60)
    # A weak validator: the same bits signed again (a new key, a cleared cache) read the same.
    return SignedStatusList(
        jwt=jwt, version=f'W/"{hashlib.sha256(version.encode()).hexdigest()[:32]}"'
    )


def live_status_document(*, code: str) -> dict | None:
    """A certificate's status now, as JSON for machines: valid, expired, suspended, revoked or
    superseded, with when it changed. A suspension is here and not in the status list, because
    it can end. Nothing about the holder."""
    published = published_credential(code=code)
    if published is None:
        return None
    certificate = published.certificate
    standing = certificate_standing(certificate=certificate)
    document = {
        "id": verification_url(certificate),
        "certificateNumber": certificate.number,
        "status": str(standing.status),
        "statusLabel": standing.label,
        "validUntil": certificate.valid_until.isoformat(),
        "checkedAt": _utc(timezone.now()),
    }
    if standing.changed_at:
        document["statusChangedAt"] = _utc(standing.changed_at)
    if standing.is_superseded:
        document["supersededBy"] = absolute(
            reverse("certificate_verify_code", args=[standing.superseded_by_code])
        )
        # The accreditation's status now is its current certificate's.
        current = current_certificate(certificate)
        document["currentCertificate"] = {
            "id": verification_url(current),
            "status": str(certificate_standing(certificate=current).status),
        }
    if published.withdrawn:
        document["credentialWithdrawn"] = "The credential was withdrawn at the holder's request."
    return document


LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def linkedin_add_url(certificate: Certificate, who: Issuer) -> str:
    """LinkedIn's add-to-profile address for the certification, filled in: a plain link, so the
    holder reviews it on LinkedIn and nothing is sent from here."""
    query = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.scheme.name,
        "organizationName": who.name,
        "issueYear": certificate.issued_at.year,
        "issueMonth": certificate.issued_at.month,
        "expirationYear": certificate.valid_until.year,
        "expirationMonth": certificate.valid_until.month,
        "certId": certificate.number,
        "certUrl": verification_url(certificate),
    }
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(query)}"
