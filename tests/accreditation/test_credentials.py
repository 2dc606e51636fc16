"""A certificate's Open Badges 3.0 credential, read as a verifier reads it: signed as vc+jwt with a
key the site publishes, unforgeable, still verifiable after a key rotation, valid against
1EdTech's schemas, dated as the certificate is, free of the holder's email address, withdrawn
when the holder is erased, renewed as a new credential, replaced by a new one when a revocation
is overturned on appeal, issued on first request for a certificate that predates credentials
(already revoked if its certificate, or the one that renewed it, was revoked, even while that
revocation is being made), and served open to any origin with revalidation.

The revocation status list has its own file (test_credential_status_list.py)."""

import datetime
import hashlib
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

import pytest
import time_machine
from joserfc.errors import BadSignatureError, InvalidKeyIdError
from joserfc.jwk import ECKey
from jsonschema import Draft201909Validator, FormatChecker

from accreditation.models import Certificate, IssuedCredential
from accreditation.services import appeals as appeal_services
from accreditation.services import certificates as certificate_services
from accreditation.services import renewal as renewal_services
from learning_platform.accounts.personal_data.erasure import user_erase
from tests.concurrency import errors, overlap

from .award_builders import make_assessor
from .credential_builders import (
    JWKS,
    accredit,
    b64url_encode,
    bit_at,
    credential_json_url,
    credential_jwt_url,
    credential_status_url,
    jwt_header,
    jwt_payload,
    new_p256_key,
    path_of,
    private_pem,
    public_pem,
    published_keys,
    status_list_bits,
    verified_payload,
    verify_page_url,
)
from .factories import SupervisedReviewFactory, make_trainee
from .renewal_builders import apply, ready_to_renew, renewal_answers

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "openbadges"
# 1EdTech's JSON-LD adaptation (its $id is the schema's canonical URL) and its strict variant.
JSON_LD_SCHEMA = "ob_v3p0_achievementcredential_schema.json"
FORMAL_SCHEMA = "ob_v3p0_achievementcredential_schema.formal.json"
# The holder's address is in mixed case, and neither part of it is in their name, so a search of
# a document for it finds only a leak.
HOLDER_NAME = "Morgan Ashdown"
HOLDER_EMAIL = "Marlowe.Quinlan-Private@Example.ORG"
LONDON = ZoneInfo("Europe/London")
WITHDRAWN = "withdrawn at the holder's request"
# A credential document is one query: the certificate with its credential, holder and scheme.
CREDENTIAL_QUERIES = 1


@pytest.fixture
def holder(db):
    return make_trainee(HOLDER_NAME, HOLDER_EMAIL)


@pytest.fixture
def holder_review(holder, sam):
    return SupervisedReviewFactory(trainee=holder, supervisor=sam, case_reference="Child R")


@pytest.fixture
def certificate(holder, holder_review, ali):
    return accredit(holder, holder_review, ali)


def _stored(certificate) -> IssuedCredential:
    return IssuedCredential.objects.get(certificate=certificate)


def _current(certificate) -> IssuedCredential:
    return IssuedCredential.objects.get(certificate=certificate, replaced_at__isnull=True)


def _stored_replaced(certificate) -> IssuedCredential:
    return IssuedCredential.objects.get(certificate=certificate, replaced_at__isnull=False)


def _check_page(client, pasted: str) -> str:
    """The credential check's page for a pasted credential, its words on one line."""
    response = client.post(reverse("credential_check"), {"credential": pasted})
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def _document(client, certificate) -> dict:
    response = client.get(credential_json_url(certificate))
    assert response.status_code == 200
    return json.loads(response.content)


def _start_of(day: datetime.date) -> str:
    """The first moment of a day in London, written in UTC."""
    moment = datetime.datetime.combine(day, datetime.time.min, tzinfo=LONDON)
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _schema(file_name: str) -> dict:
    return json.loads((SCHEMAS / file_name).read_text())


def _validator(file_name: str) -> Draft201909Validator:
    schema = _schema(file_name)
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value) -> bool:
        if not isinstance(value, str):
            return True
        return datetime.datetime.fromisoformat(value).tzinfo is not None

    return Draft201909Validator(schema, format_checker=checker)


# Signing ---------------------------------------------------------------------------------------


def test_it_signs_the_credential_with_a_key_it_publishes(client, certificate):
    stored = _stored(certificate)
    response = client.get(JWKS)
    published = json.loads(response.content)
    keys = published_keys(client)

    header = jwt_header(stored.jwt)
    assert response["Content-Type"] == "application/jwk-set+json"
    assert (header["alg"], header["typ"]) == ("ES256", "vc+jwt")
    assert header["kid"] == stored.kid
    assert header["kid"] in [key["kid"] for key in published["keys"]]
    assert verified_payload(stored.jwt, keys) == json.loads(jwt_payload(stored.jwt))
    # Public keys only: nothing that could sign.
    assert all("d" not in key for key in published["keys"])
    assert all((key["kty"], key["crv"]) == ("EC", "P-256") for key in published["keys"])
    assert not any(key.is_private for key in keys.keys)


def test_it_refuses_a_credential_changed_by_one_character(client, certificate):
    token = _stored(certificate).jwt
    header, payload, signature = token.split(".")
    keys = published_keys(client)
    verified_payload(token, keys)  # the genuine one verifies

    # Push the expiry out by ten years: one digit of validUntil's year.
    text = jwt_payload(token).decode()
    at = text.index('"validUntil":"') + len('"validUntil":"') + 2
    forged_text = text[:at] + str((int(text[at]) + 1) % 10) + text[at + 1 :]
    assert sum(a != b for a, b in zip(text, forged_text, strict=True)) == 1
    assert json.loads(forged_text)["validUntil"] != json.loads(text)["validUntil"]
    forged_payload = f"{header}.{b64url_encode(forged_text.encode())}.{signature}"

    middle = len(signature) // 2
    changed = "A" if signature[middle] != "A" else "B"
    forged_signature = f"{header}.{payload}.{signature[:middle]}{changed}{signature[middle + 1 :]}"

    for forged in (forged_payload, forged_signature):
        with pytest.raises(BadSignatureError):
            verified_payload(forged, keys)


# Key rotation ----------------------------------------------------------------------------------


def _kid(key) -> str:
    return ECKey.import_key(public_pem(key)).thumbprint()


@pytest.fixture
def rotation(settings, holder, holder_review, uma, other_review, ali):
    """A credential signed with key A; then the issuer rotates to key B, keeping A as a previous
    key, and signs a second credential."""
    key_a, key_b = new_p256_key(), new_p256_key()
    settings.CREDENTIAL_SIGNING_KEY = private_pem(key_a)
    settings.CREDENTIAL_PREVIOUS_KEYS = ""
    old = accredit(holder, holder_review, ali)
    old_jwt = _stored(old).jwt

    settings.CREDENTIAL_SIGNING_KEY = private_pem(key_b)
    settings.CREDENTIAL_PREVIOUS_KEYS = public_pem(key_a)
    new = accredit(uma, other_review, ali)
    return key_a, key_b, old, old_jwt, new


def test_it_keeps_a_credential_verifiable_after_the_key_is_rotated(client, rotation):
    key_a, key_b, old, old_jwt, new = rotation
    published = json.loads(client.get(JWKS).content)
    keys = published_keys(client)

    # The current key first, then the one it replaced; both public only.
    assert [key["kid"] for key in published["keys"]] == [_kid(key_b), _kid(key_a)]
    assert all("d" not in key for key in published["keys"])
    assert jwt_header(old_jwt)["kid"] == _stored(old).kid == _kid(key_a)
    assert jwt_header(_stored(new).jwt)["kid"] == _stored(new).kid == _kid(key_b)
    assert verified_payload(old_jwt, keys)["id"].endswith(verify_page_url(old))
    assert verified_payload(_stored(new).jwt, keys)["id"].endswith(verify_page_url(new))
    # The old credential is served as it was signed: a rotation re-signs nothing.
    assert _stored(old).jwt == old_jwt
    assert client.get(credential_jwt_url(old)).content.decode() == old_jwt


def test_it_no_longer_verifies_a_credential_whose_key_was_dropped(client, settings, rotation):
    key_a, key_b, old, old_jwt, new = rotation
    settings.CREDENTIAL_PREVIOUS_KEYS = ""

    keys = published_keys(client)

    assert [key.kid for key in keys.keys] == [_kid(key_b)]
    with pytest.raises(InvalidKeyIdError):
        verified_payload(old_jwt, keys)
    verified_payload(_stored(new).jwt, keys)


def test_it_publishes_every_previous_key_and_never_a_private_part(client, settings, rotation):
    key_a, key_b, old, old_jwt, new = rotation
    key_c = new_p256_key()
    settings.CREDENTIAL_SIGNING_KEY = private_pem(key_c)
    # A private PEM among the previous keys is published by its public part only.
    settings.CREDENTIAL_PREVIOUS_KEYS = public_pem(key_a) + "\n" + private_pem(key_b)

    published = json.loads(client.get(JWKS).content)
    keys = published_keys(client)

    assert [key["kid"] for key in published["keys"]] == [_kid(key_c), _kid(key_a), _kid(key_b)]
    assert all("d" not in key for key in published["keys"])
    verified_payload(old_jwt, keys)
    verified_payload(_stored(new).jwt, keys)


# The credential as a document ------------------------------------------------------------------


def test_it_serves_the_signed_payload_byte_for_byte_as_the_json(
    client, certificate, django_assert_num_queries
):
    token = _stored(certificate).jwt

    with django_assert_num_queries(CREDENTIAL_QUERIES):
        as_json = client.get(credential_json_url(certificate))
    with django_assert_num_queries(CREDENTIAL_QUERIES):
        as_jwt = client.get(credential_jwt_url(certificate))

    assert as_json.status_code == as_jwt.status_code == 200
    assert as_json["Content-Type"] == "application/json"
    assert as_jwt["Content-Type"] == "application/vc+jwt"
    assert as_json.content == jwt_payload(token)
    assert as_jwt.content.decode() == token


@pytest.mark.parametrize("file_name", [JSON_LD_SCHEMA, FORMAL_SCHEMA])
def test_it_issues_a_credential_valid_against_1edtechs_schema(client, certificate, file_name):
    validator = _validator(file_name)
    document = _document(client, certificate)

    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]

    assert errors == []
    # The validator is not one that passes anything.
    assert list(validator.iter_errors({**document, "validFrom": "last Tuesday"}))
    assert list(validator.iter_errors({k: v for k, v in document.items() if k != "issuer"}))


@pytest.mark.parametrize(
    ("today", "midnight"),
    # Issued in summer, a London midnight is 23:00 UTC the day before; in winter it is 00:00.
    [(datetime.date(2026, 6, 15), "T23:00:00Z"), (datetime.date(2026, 12, 4), "T00:00:00Z")],
)
def test_it_dates_the_credential_as_the_certificate(
    client, holder, holder_review, ali, today, midnight
):
    with time_machine.travel(
        datetime.datetime(today.year, today.month, today.day, 12, tzinfo=LONDON)
    ):
        certificate = accredit(holder, holder_review, ali)
        document = _document(client, certificate)

    assert certificate.issued_at == certificate.awarded_at == today
    assert document["validFrom"] == _start_of(certificate.issued_at)
    assert document["awardedDate"] == _start_of(certificate.awarded_at)
    # Valid to the end of the certificate's last day: validUntil is the first moment after it.
    last_day = certificate.valid_until
    assert document["validUntil"] == _start_of(last_day + datetime.timedelta(days=1))
    assert document["validFrom"].endswith(midnight)
    assert document["validUntil"].endswith(midnight)


def test_it_names_the_certificate_the_schema_and_the_status_entry(client, certificate):
    document = _document(client, certificate)
    stored = _stored(certificate)
    schema_id = _schema(JSON_LD_SCHEMA)["$id"]

    assert document["id"] == django_settings.SITE_URL.rstrip("/") + verify_page_url(certificate)
    assert client.get(path_of(document["id"])).status_code == 200
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["credentialSchema"] == [
        {"id": schema_id, "type": "1EdTechJsonSchemaValidator2019"}
    ]
    status = document["credentialStatus"]
    assert isinstance(status, dict)
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListIndex"] == str(stored.status_index)
    assert status["id"] == f"{status['statusListCredential']}#{stored.status_index}"
    listed = client.get(path_of(status["statusListCredential"]))
    assert listed.status_code == 200 and listed["Content-Type"] == "application/vc+jwt"
    status_list = verified_payload(listed.content.decode(), published_keys(client))
    assert status_list["id"] == status["statusListCredential"]
    assert status_list["credentialSubject"]["statusPurpose"] == "revocation"
    # The issuer and the achievement are documents the site serves too.
    for embedded in (document["issuer"], document["credentialSubject"]["achievement"]):
        served = client.get(path_of(embedded["id"]))
        assert served.status_code == 200
        assert json.loads(served.content)["id"] == embedded["id"]
        assert json.loads(served.content)["name"] == embedded["name"]


# The holder's privacy --------------------------------------------------------------------------


def test_it_publishes_no_document_with_the_holders_email_address(client, holder, certificate):
    document = _document(client, certificate)
    token = _stored(certificate).jwt
    status_list = client.get(path_of(document["credentialStatus"]["statusListCredential"]))
    bodies = {
        "credential.json": client.get(credential_json_url(certificate)).content,
        "credential.jwt": client.get(credential_jwt_url(certificate)).content,
        "the JWT's header": json.dumps(jwt_header(token)).encode(),
        "the JWT's payload": jwt_payload(token),
        "status.json": client.get(credential_status_url(certificate)).content,
        "issuer.json": client.get(path_of(document["issuer"]["id"])).content,
        "achievement": client.get(
            path_of(document["credentialSubject"]["achievement"]["id"])
        ).content,
        "status list": status_list.content,
        "the status list's payload": jwt_payload(status_list.content.decode()),
        "jwks.json": client.get(JWKS).content,
        "verification page": client.get(verify_page_url(certificate)).content,
    }
    local_part = holder.email.split("@")[0].lower()

    assert HOLDER_NAME.encode() in bodies["credential.json"]  # the search finds what is there
    for name, body in bodies.items():
        assert body, name
        assert holder.email.lower().encode() not in body.lower(), name
        assert local_part.encode() not in body.lower(), name


def test_it_identifies_the_holder_by_a_salted_hash_of_their_address(client, holder, certificate):
    subject = _document(client, certificate)["credentialSubject"]
    by_email, by_name = subject["identifier"]
    salt = by_email["salt"]

    assert holder.email != holder.email.lower()
    assert (by_email["identityType"], by_email["hashed"]) == ("emailAddress", True)
    assert len(salt) >= 16
    expected = hashlib.sha256((holder.email.lower() + salt).encode()).hexdigest()
    assert by_email["identityHash"] == f"sha256${expected}"
    assert by_name == {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": HOLDER_NAME,
    }


# Erasure ---------------------------------------------------------------------------------------


def test_it_withdraws_the_credential_when_the_holder_is_erased(client, holder, certificate, ada):
    stored = _stored(certificate)
    assert bit_at(status_list_bits(client), stored.status_index) == 0

    user_erase(user=holder, by=ada)

    stored.refresh_from_db()
    assert stored.jwt == ""
    assert stored.withdrawn_at is not None and stored.revoked_at is not None
    for url in (credential_json_url(certificate), credential_jwt_url(certificate)):
        response = client.get(url)
        assert response.status_code == 410, url
        assert WITHDRAWN in response.content.decode()
        assert HOLDER_NAME.encode() not in response.content
    assert bit_at(status_list_bits(client), stored.status_index) == 1
    page = client.get(verify_page_url(certificate))
    assert page.status_code == 200
    assert certificate.number in page.content.decode()
    assert HOLDER_NAME not in page.content.decode()
    live = json.loads(client.get(credential_status_url(certificate)).content)
    assert WITHDRAWN in live["credentialWithdrawn"]


def test_it_withdraws_an_erased_holders_credential_that_was_never_issued(
    client, holder, certificate, ada
):
    # Awarded before credentials existed, then the holder was erased: nothing to sign a name on.
    IssuedCredential.objects.filter(certificate=certificate).delete()
    user_erase(user=holder, by=ada)

    for url in (credential_json_url(certificate), credential_jwt_url(certificate)):
        response = client.get(url)
        assert response.status_code == 410, url
        assert WITHDRAWN in response.content.decode()
    assert not IssuedCredential.objects.exists()
    assert client.get(verify_page_url(certificate)).status_code == 200


# Renewal ---------------------------------------------------------------------------------------


def test_it_gives_a_renewed_certificate_a_credential_of_its_own(client, tess, review, ali):
    old = ready_to_renew(tess, review, ali)
    old_body = client.get(credential_json_url(old)).content
    new = renewal_services.renewal_approve(
        renewal=apply(old, tess),
        assessor=ali,
        reasons="Sound practice.",
        answers=renewal_answers(old.scheme),
    )

    old_stored, new_stored = _stored(old), _stored(new)
    old_document = json.loads(old_body)
    new_document = _document(client, new)
    assert new_document["id"] != old_document["id"]
    assert new_document["id"].endswith(verify_page_url(new))
    assert (new_stored.status_list, new_stored.status_index) != (
        old_stored.status_list,
        old_stored.status_index,
    )
    assert new_document["credentialStatus"]["statusListIndex"] == str(new_stored.status_index)
    # The accreditation dates from the first award; the new certificate from today.
    assert new_document["awardedDate"] == _start_of(old.awarded_at)
    assert new_document["validFrom"] == _start_of(new.issued_at) != new_document["awardedDate"]
    # The superseded certificate's credential is still served as it was, and says nothing new;
    # its page and its live status say what happened.
    assert client.get(credential_json_url(old)).content == old_body
    assert (
        "This certificate has been superseded" in client.get(verify_page_url(old)).content.decode()
    )
    live = json.loads(client.get(credential_status_url(old)).content)
    assert live["status"] == "superseded"
    assert live["supersededBy"].endswith(verify_page_url(new))
    assert live["currentCertificate"]["id"].endswith(verify_page_url(new))
    assert live["currentCertificate"]["status"] == "valid"
    bits = status_list_bits(client)
    assert bit_at(bits, old_stored.status_index) == bit_at(bits, new_stored.status_index) == 0


def test_it_revokes_the_credentials_of_the_certificates_a_revoked_one_renewed(
    client, tess, review, ali, uma, other_review
):
    old = ready_to_renew(tess, review, ali)
    new = renewal_services.renewal_approve(
        renewal=apply(old, tess),
        assessor=ali,
        reasons="Sound practice.",
        answers=renewal_answers(old.scheme),
    )
    bystander = accredit(uma, other_review, ali)

    certificate_services.certificate_revoke(certificate=new, by=ali, reason="Misconduct found.")

    # The superseded credential is still in date, and attests the same accreditation.
    bits = status_list_bits(client)
    assert bit_at(bits, _stored(new).status_index) == 1
    assert bit_at(bits, _stored(old).status_index) == 1
    assert bit_at(bits, _stored(bystander).status_index) == 0
    assert _stored(old).revoked_at is not None and _stored(bystander).revoked_at is None
    live = json.loads(client.get(credential_status_url(old)).content)
    assert live["status"] == "superseded"
    assert live["currentCertificate"]["status"] == "revoked"
    assert Certificate.objects.get(pk=old.pk).status == Certificate.Status.ISSUED


# A revocation overturned on appeal ---------------------------------------------------------------


@pytest.fixture
def bea(db):
    """A second assessor, who neither revoked the certificate nor supervises its holder."""
    return make_assessor("Bea Assessor", "bea@example.org")


def test_it_replaces_the_credential_when_a_revocation_is_overturned_on_appeal(
    client, holder, certificate, ali, bea
):
    old_jwt = _stored(certificate).jwt
    certificate_services.certificate_revoke(certificate=certificate, by=ali, reason="Misconduct.")
    appeal = appeal_services.appeal_lodge_against_revocation(
        certificate=certificate, appellant=holder, grounds="The complaint was about someone else."
    )

    appeal_services.appeal_decide(
        appeal=appeal, assessor=bea, outcome="overturned", reasons="Mistaken identity."
    )

    assert Certificate.objects.get(pk=certificate.pk).status == Certificate.Status.ISSUED
    old, new = _stored_replaced(certificate), _current(certificate)
    assert certificate.credentials.count() == 2
    # The revoked credential is kept as it was signed, revoked and now replaced.
    assert old.jwt == old_jwt
    assert old.revoked_at is not None and old.replaced_at >= old.revoked_at
    assert (new.revoked_at, new.withdrawn_at, new.replaced_at) == (None, None, None)
    assert (new.status_list, new.status_index) != (old.status_list, old.status_index)
    # The new credential is the same certificate's, signed afresh with its own status bit.
    keys = published_keys(client)
    old_document, new_document = verified_payload(old_jwt, keys), verified_payload(new.jwt, keys)
    assert new_document["id"] == old_document["id"]
    assert new_document["credentialStatus"]["statusListIndex"] == str(new.status_index)
    assert old_document["credentialStatus"]["statusListIndex"] == str(old.status_index)
    # A bit once set is never cleared: the old copy stays revoked wherever it was saved.
    assert bit_at(status_list_bits(client, old.status_list), old.status_index) == 1
    assert bit_at(status_list_bits(client, new.status_list), new.status_index) == 0
    assert client.get(credential_jwt_url(certificate)).content.decode() == new.jwt
    assert client.get(credential_json_url(certificate)).content == jwt_payload(new.jwt)

    new_page, old_page = _check_page(client, new.jwt), _check_page(client, old_jwt)
    assert "This credential is valid" in new_page
    assert "This credential is not valid" in old_page
    assert "Revoked: the certificate is no longer valid." in old_page


def test_it_says_the_replaced_credential_in_json_is_revoked_not_changed(
    client, holder, certificate, ali, bea
):
    # The holder saved the credential in JSON before it was revoked; the revocation is overturned.
    saved = client.get(credential_json_url(certificate)).content.decode()
    certificate_services.certificate_revoke(certificate=certificate, by=ali, reason="Misconduct.")
    appeal = appeal_services.appeal_lodge_against_revocation(
        certificate=certificate, appellant=holder, grounds="The complaint was about someone else."
    )
    appeal_services.appeal_decide(
        appeal=appeal, assessor=bea, outcome="overturned", reasons="Mistaken identity."
    )
    assert json.loads(saved) == json.loads(jwt_payload(_stored_replaced(certificate).jwt))

    page = _check_page(client, saved)

    # Word for word what we signed: revoked, as its JWT is, not changed after it was issued.
    assert "This credential is not valid" in page
    assert "Revoked: the certificate is no longer valid." in page
    assert "changed after it was issued" not in page


# A certificate issued before credentials existed -----------------------------------------------


def test_it_issues_the_credential_of_an_older_certificate_on_first_request(
    client, certificate, django_assert_num_queries
):
    IssuedCredential.objects.filter(certificate=certificate).delete()

    first = client.get(credential_json_url(certificate))
    stored = _stored(certificate)
    with django_assert_num_queries(CREDENTIAL_QUERIES):
        second = client.get(credential_json_url(certificate))

    assert first.status_code == second.status_code == 200
    assert first.content == second.content == jwt_payload(stored.jwt)
    assert client.get(credential_jwt_url(certificate)).content.decode() == stored.jwt
    verified_payload(stored.jwt, published_keys(client))
    assert IssuedCredential.objects.filter(certificate=certificate).count() == 1


def test_it_issues_an_older_revoked_certificates_credential_already_revoked(
    client, certificate, ali
):
    certificate_services.certificate_revoke(certificate=certificate, by=ali, reason="Misconduct.")
    IssuedCredential.objects.filter(certificate=certificate).delete()

    assert client.get(credential_json_url(certificate)).status_code == 200

    stored = _stored(certificate)
    assert stored.revoked_at is not None
    assert bit_at(status_list_bits(client), stored.status_index) == 1
    assert Certificate.objects.get(pk=certificate.pk).status == Certificate.Status.REVOKED


def test_it_issues_a_superseded_certificates_credential_revoked_once_its_renewal_is(
    client, tess, review, ali
):
    old = ready_to_renew(tess, review, ali)
    new = renewal_services.renewal_approve(
        renewal=apply(old, tess),
        assessor=ali,
        reasons="Sound practice.",
        answers=renewal_answers(old.scheme),
    )
    # The superseded certificate was issued before credentials existed.
    IssuedCredential.objects.filter(certificate=old).delete()
    certificate_services.certificate_revoke(certificate=new, by=ali, reason="Misconduct found.")
    assert not IssuedCredential.objects.filter(certificate=old).exists()

    response = client.get(credential_json_url(old))

    assert response.status_code == 200
    stored = _stored(old)
    assert json.loads(response.content) == json.loads(jwt_payload(stored.jwt))
    assert stored.revoked_at is not None
    assert bit_at(status_list_bits(client, stored.status_list), stored.status_index) == 1
    # The superseded certificate itself was not revoked: only the one that renewed it.
    assert Certificate.objects.get(pk=old.pk).status == Certificate.Status.ISSUED
    page = _check_page(client, stored.jwt)
    assert "This credential is not valid" in page
    assert "Revoked: the certificate is no longer valid." in page


@pytest.mark.postgres
def test_it_issues_a_credential_revoked_when_its_certificate_is_being_revoked_meanwhile(
    locked, certificate, ali
):
    """Guards ``Certificate.objects.select_for_update(of=("self",))`` in ``credential_for``.
    The revocation holds the certificate's row, finds no credential to revoke and has not yet
    committed when the credential is first asked for. Without the lock the request reads the
    certificate as still issued and signs a credential whose bit the revocation never set."""
    IssuedCredential.objects.filter(certificate=certificate).delete()
    url = credential_json_url(certificate)

    results = overlap(
        lambda: certificate_services.certificate_revoke(
            certificate=certificate, by=ali, reason="Misconduct."
        ),
        lambda: Client().get(url),
    )

    assert not errors(results), results
    revoked, response = results
    assert revoked.status == Certificate.Status.REVOKED
    assert response.status_code == 200
    stored = _stored(certificate)
    assert json.loads(response.content) == json.loads(jwt_payload(stored.jwt))
    assert stored.revoked_at is not None
    assert bit_at(status_list_bits(Client(), stored.status_list), stored.status_index) == 1


# Open to any origin, and cheap to revalidate ---------------------------------------------------


def _public_documents(client, certificate) -> dict[str, str]:
    document = _document(client, certificate)
    return {
        "jwks": JWKS,
        "issuer": path_of(document["issuer"]["id"]),
        "achievement": path_of(document["credentialSubject"]["achievement"]["id"]),
        "credential.json": credential_json_url(certificate),
        "credential.jwt": credential_jwt_url(certificate),
        "status.json": credential_status_url(certificate),
        "status list": path_of(document["credentialStatus"]["statusListCredential"]),
    }


def test_it_opens_every_public_document_to_any_origin_with_an_etag(client, certificate):
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False):
        for name, url in _public_documents(client, certificate).items():
            response = client.get(url, HTTP_ORIGIN="https://wallet.example")
            assert response.status_code == 200, name
            assert response["Access-Control-Allow-Origin"] == "*", name
            etag = response["ETag"]
            assert etag.removeprefix("W/").startswith('"') and len(etag) > 4, name

            again = client.get(url, HTTP_IF_NONE_MATCH=etag)

            assert again.status_code == 304, name
            assert again.content == b"", name
            assert again["ETag"] == etag, name
            stale = client.get(url, HTTP_IF_NONE_MATCH='"not-this-one"')
            assert stale.status_code == 200 and stale.content == response.content, name
            head = client.head(url)
            assert head.status_code == 200 and head.content == b"", name
            assert head["ETag"] == etag and head["Access-Control-Allow-Origin"] == "*", name


def test_it_opens_a_not_modified_answer_to_any_origin_too(client, certificate):
    # A script in a browser that keeps its own copy sends If-None-Match itself; the 304 it gets
    # back must pass the same CORS check as the 200, or the browser hides it from the script.
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False):
        for name, url in _public_documents(client, certificate).items():
            etag = client.get(url)["ETag"]
            again = client.get(url, HTTP_ORIGIN="https://wallet.example", HTTP_IF_NONE_MATCH=etag)
            assert again.status_code == 304, name
            assert again.get("Access-Control-Allow-Origin") == "*", name


def test_it_answers_a_revalidation_of_an_unchanged_live_status_with_304(client, certificate, ali):
    url = credential_status_url(certificate)
    etag = client.get(url)["ETag"]

    # A verifier polls again a minute later; nothing about the certificate has changed.
    with time_machine.travel(
        datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(minutes=1)
    ):
        unchanged = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304

    certificate_services.certificate_suspend(certificate=certificate, by=ali, reason="Complaint.")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert json.loads(changed.content)["status"] == "suspended"


def test_it_lets_stable_documents_be_kept_a_while_and_live_ones_be_revalidated(client, certificate):
    documents = _public_documents(client, certificate)

    for name in ("jwks", "issuer", "achievement"):
        cache_control = client.get(documents[name])["Cache-Control"]
        assert "public" in cache_control and "max-age=300" in cache_control, name
    for name in ("credential.json", "credential.jwt", "status.json", "status list"):
        cache_control = client.get(documents[name])["Cache-Control"]
        assert "no-cache" in cache_control and "max-age=0" in cache_control, name
