"""Builders and readers for the Open Badges credential tests: certificates issued through the
services, keys in PEM, and the published documents read as a verifier would read them (the
JWKS fetched from the site, signatures checked with joserfc, the status list decoded by hand
from its multibase, base64url and GZIP layers)."""

import base64
import gzip
import json
from urllib.parse import urlsplit

from django.urls import reverse

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc import jws
from joserfc.jwk import KeySet

from accreditation.models import Certificate
from accreditation.services.certificates import certificate_issue

from .award_builders import approve, make_ready, submit
from .bulk_builders import make_approved_applications

JWKS = "/.well-known/jwks.json"
# A status list holds at least this many bits (Bitstring Status List's minimum).
MIN_STATUS_LIST_BITS = 131_072


def private_pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_pem(key) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def new_p256_key():
    return ec.generate_private_key(ec.SECP256R1())


def accredit(holder, review, assessor) -> Certificate:
    """A certificate issued on approval, as an assessor issues it."""
    make_ready(holder, review)
    return approve(submit(holder), assessor)


def issue_many(count: int, *, by) -> list[Certificate]:
    """``count`` certificates issued one after another through ``certificate_issue``."""
    _, applications = make_approved_applications(count, prefix="many")
    return [certificate_issue(application=application, by=by) for application in applications]


def b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwt_header(token: str) -> dict:
    return json.loads(b64url_decode(token.split(".")[0]))


def jwt_payload(token: str) -> bytes:
    return b64url_decode(token.split(".")[1])


def published_keys(client) -> KeySet:
    response = client.get(JWKS)
    assert response.status_code == 200
    return KeySet.import_key_set(json.loads(response.content))


def verified_payload(token: str, keys: KeySet) -> dict:
    """The payload of a compact JWS that verifies with one of ``keys`` under ES256 only."""
    return json.loads(jws.deserialize_compact(token, keys, algorithms=["ES256"]).payload)


def path_of(url: str) -> str:
    return urlsplit(url).path


def credential_json_url(certificate) -> str:
    return reverse("certificate_credential_json", args=[certificate.verification_code])


def credential_jwt_url(certificate) -> str:
    return reverse("certificate_credential_jwt", args=[certificate.verification_code])


def credential_status_url(certificate) -> str:
    return reverse("certificate_credential_status", args=[certificate.verification_code])


def verify_page_url(certificate) -> str:
    return reverse("certificate_verify_code", args=[certificate.verification_code])


def status_list_url(number: int = 1) -> str:
    return reverse("credential_status_list", args=[number])


def decode_encoded_list(encoded: str) -> bytes:
    """Bitstring Status List's encodedList: multibase "u" (base64url, no padding) over GZIP."""
    assert encoded.startswith("u"), encoded[:10]
    return gzip.decompress(b64url_decode(encoded[1:]))


def bit_at(bits: bytes, index: int) -> int:
    """The bit at ``index``: index 0 is the first byte's most significant bit."""
    return (bits[index // 8] >> (7 - index % 8)) & 1


def set_bits(bits: bytes) -> list[int]:
    """Every index whose bit is set, in order."""
    return [
        position * 8 + offset
        for position, byte in enumerate(bits)
        if byte
        for offset in range(8)
        if bit_at(bits, position * 8 + offset)
    ]


def status_list_bits(client, number: int = 1) -> bytes:
    """The list as a verifier reads it: fetched, its signature checked against the published
    keys, its bits decoded."""
    response = client.get(status_list_url(number))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    document = verified_payload(response.content.decode("ascii"), published_keys(client))
    return decode_encoded_list(document["credentialSubject"]["encodedList"])
