"""The published revocation status list, read as a verifier reads it: a signed vc+jwt whose
encodedList is decoded by hand. It follows a revocation at once and never a
suspension; the bit is set in the transaction that revokes, so a revocation rolled back leaves
no trace; and each credential's bit is drawn at random, so the list says nothing about the order
of issue."""

import json

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

import pytest
from joserfc.jwk import ECKey

from accreditation.models import Certificate, IssuedCredential
from accreditation.services import certificates as services

from .credential_builders import (
    JWKS,
    MIN_STATUS_LIST_BITS,
    accredit,
    bit_at,
    credential_status_url,
    decode_encoded_list,
    issue_many,
    jwt_header,
    new_p256_key,
    private_pem,
    public_pem,
    published_keys,
    set_bits,
    status_list_bits,
    status_list_url,
    verified_payload,
    verify_page_url,
)

# Queries to serve a list: the lists in use, then the revocations' count and latest time (which
# name the version of the list a signed copy is cached for), then, only when that version has no
# signed copy yet, the revoked bits.
STATUS_LIST_QUERIES = 3
CACHED_STATUS_LIST_QUERIES = 2


class RolledBack(Exception):
    pass


@pytest.fixture
def certificate(tess, review, ali):
    return accredit(tess, review, ali)


def _index(certificate) -> int:
    return IssuedCredential.objects.get(certificate=certificate).status_index


def _live_status(client, certificate) -> str:
    return json.loads(client.get(credential_status_url(certificate)).content)["status"]


def test_it_publishes_a_signed_list_of_every_bit(client, certificate):
    response = client.get(status_list_url(1))
    token = response.content.decode("ascii")
    published = json.loads(client.get(JWKS).content)

    header = jwt_header(token)
    document = verified_payload(token, published_keys(client))
    bits = decode_encoded_list(document["credentialSubject"]["encodedList"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert (header["alg"], header["typ"]) == ("ES256", "vc+jwt")
    assert header["kid"] in [key["kid"] for key in published["keys"]]
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["id"].endswith(status_list_url(1))
    assert document["credentialSubject"]["type"] == "BitstringStatusList"
    assert document["credentialSubject"]["statusPurpose"] == "revocation"
    assert document["validFrom"]
    assert len(bits) * 8 >= MIN_STATUS_LIST_BITS
    assert bit_at(bits, _index(certificate)) == 0
    assert set_bits(bits) == []


def test_it_publishes_the_first_list_before_any_credential(client, db):
    assert not IssuedCredential.objects.exists()

    bits = status_list_bits(client, 1)

    assert len(bits) * 8 >= MIN_STATUS_LIST_BITS and set_bits(bits) == []


@pytest.mark.parametrize("number", [0, 2, 999])
def test_it_has_no_list_it_has_not_started(client, certificate, number):
    assert client.get(status_list_url(number)).status_code == 404


def test_it_leaves_a_suspension_out_of_the_list_and_sets_a_revocation_at_once(
    client, certificate, ali
):
    index = _index(certificate)
    before = client.get(status_list_url(1))  # signed and cached before any change
    assert bit_at(status_list_bits(client), index) == 0
    assert _live_status(client, certificate) == "valid"

    services.certificate_suspend(certificate=certificate, by=ali, reason="Complaint received.")
    assert bit_at(status_list_bits(client), index) == 0
    assert _live_status(client, certificate) == "suspended"
    assert (
        "This certificate is suspended" in client.get(verify_page_url(certificate)).content.decode()
    )

    services.certificate_reinstate(certificate=certificate, by=ali, reason="Complaint closed.")
    assert bit_at(status_list_bits(client), index) == 0
    assert _live_status(client, certificate) == "valid"

    services.certificate_revoke(certificate=certificate, by=ali, reason="Misconduct found.")
    # The very next request: no copy signed before the revocation is served.
    assert bit_at(status_list_bits(client), index) == 1
    assert _live_status(client, certificate) == "revoked"
    revalidated = client.get(status_list_url(1), HTTP_IF_NONE_MATCH=before["ETag"])
    assert revalidated.status_code == 200 and revalidated["ETag"] != before["ETag"]
    assert IssuedCredential.objects.get(certificate=certificate).revoked_at is not None


def test_it_sets_the_bit_when_a_suspended_certificate_is_revoked(client, certificate, ali):
    services.certificate_suspend(certificate=certificate, by=ali, reason="Complaint received.")
    assert bit_at(status_list_bits(client), _index(certificate)) == 0

    services.certificate_revoke(certificate=certificate, by=ali, reason="Complaint upheld.")

    assert bit_at(status_list_bits(client), _index(certificate)) == 1


def test_it_sets_the_bit_in_the_transaction_that_revokes(client, certificate, ali):
    index = _index(certificate)
    assert bit_at(status_list_bits(client), index) == 0

    with pytest.raises(RolledBack), transaction.atomic():
        services.certificate_revoke(certificate=certificate, by=ali, reason="Misconduct found.")
        # Inside the revoking transaction, before it commits, the bit is already set.
        assert IssuedCredential.objects.get(certificate=certificate).revoked_at is not None
        assert bit_at(status_list_bits(client), index) == 1
        raise RolledBack

    # Rolled back: neither the revocation nor its bit happened, and no copy signed inside the
    # transaction is served.
    assert Certificate.objects.get(pk=certificate.pk).status == Certificate.Status.ISSUED
    assert IssuedCredential.objects.get(certificate=certificate).revoked_at is None
    assert bit_at(status_list_bits(client), index) == 0

    services.certificate_revoke(certificate=certificate, by=ali, reason="Misconduct found.")
    assert bit_at(status_list_bits(client), index) == 1


def test_it_draws_each_bit_at_random_and_never_twice(client, ali):
    certificates = issue_many(30, by=ali)
    stored = {
        credential.certificate_id: credential for credential in IssuedCredential.objects.all()
    }
    # In the order the certificates were issued.
    indexes = [stored[certificate.pk].status_index for certificate in certificates]

    assert len(set(indexes)) == len(indexes) == 30
    assert all(0 <= index < MIN_STATUS_LIST_BITS for index in indexes)
    assert {credential.status_list for credential in stored.values()} == {1}
    # Neither in the order of issue (either way) nor a run of neighbouring bits.
    assert indexes != sorted(indexes) and indexes != sorted(indexes, reverse=True)
    assert max(indexes) - min(indexes) > 10 * len(indexes)

    revoked = certificates[3:6]
    for certificate in revoked:
        services.certificate_revoke(certificate=certificate, by=ali, reason="Misconduct found.")

    assert set_bits(status_list_bits(client)) == sorted(_index(c) for c in revoked)


def test_it_serves_the_list_in_as_many_queries_however_many_are_revoked(
    client, ali, django_assert_num_queries
):
    certificates = issue_many(8, by=ali)
    counts = []
    for revoking in (certificates[:1], certificates[1:8]):
        for certificate in revoking:
            services.certificate_revoke(certificate=certificate, by=ali, reason="Misconduct.")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(status_list_url(1)).status_code == 200
        counts.append(len(queries))

    assert counts == [STATUS_LIST_QUERIES, STATUS_LIST_QUERIES]
    with django_assert_num_queries(CACHED_STATUS_LIST_QUERIES):
        assert client.get(status_list_url(1)).status_code == 200
    assert len(set_bits(status_list_bits(client))) == 8


def test_it_signs_the_list_with_the_current_key_after_a_rotation(client, settings, certificate):
    key_a, key_b = new_p256_key(), new_p256_key()
    settings.CREDENTIAL_SIGNING_KEY = private_pem(key_a)
    settings.CREDENTIAL_PREVIOUS_KEYS = ""
    before = client.get(status_list_url(1)).content.decode()

    settings.CREDENTIAL_SIGNING_KEY = private_pem(key_b)
    settings.CREDENTIAL_PREVIOUS_KEYS = public_pem(key_a)
    after = client.get(status_list_url(1)).content.decode()

    assert jwt_header(before)["kid"] == ECKey.import_key(public_pem(key_a)).thumbprint()
    assert jwt_header(after)["kid"] == ECKey.import_key(public_pem(key_b)).thumbprint()
    keys = published_keys(client)
    assert verified_payload(after, keys)["credentialSubject"]["statusPurpose"] == "revocation"
