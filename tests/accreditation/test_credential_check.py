"""The verify-anything check on /verify/: anyone pastes a credential, or uploads its file, and is
told plainly whether we issued it, whether it was changed, whether it is in date and whether it
stands now. Every input gets a verdict or a message on a page, never an error; the check is
rate limited like the lookup by number and surname."""

import base64
import datetime
import html
import json
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine
from joserfc import jws
from joserfc.jwk import ECKey, OctKey

from accreditation.models import IssuedCredential
from accreditation.services import certificates as services
from accreditation.services.credential_keys import issuer_keys, sign_credential
from accreditation.views.credentials import MAX_CHECK_BODY_BYTES
from learning_platform.accounts.personal_data.erasure import user_erase
from learning_platform.env import env_rates

from .award_builders import approve, make_ready, submit
from .credential_builders import issue_many

CHECK = reverse("credential_check")
# A credential of ours is a few kilobytes; the form refuses anything over 64 KB.
LIMIT = 64 * 1024
VALID = "This credential is valid"
NOT_VALID = "This credential is not valid"
UNREADABLE = "This could not be checked"
LABELS = ["Signature", "Issuer", "Dates", "Status"]
# The check page's own heading, which a form error (shown on the verify page) never reaches.
CHECK_HEADING = "<h1>Credential check</h1>"
_ITEM = re.compile(
    r'check-list__item--(?P<state>passed|failed|skipped)">\s*<strong>(?P<label>[^<:]+):</strong>'
    r"\s*<span[^>]*>[^<]*</span>\s*(?P<detail>[^<]*)</li>"
)
_VERDICT = re.compile(r'verification-result__status">([^<]*)</p>')


# Reading the page ------------------------------------------------------------------------------


def _checks(page: str) -> dict[str, str]:
    """{label: "passed" | "failed" | "skipped"}, in the order the page lists them."""
    return {m["label"]: m["state"] for m in _ITEM.finditer(page)}


def _detail(page: str, label: str) -> str:
    return next(" ".join(m["detail"].split()) for m in _ITEM.finditer(page) if m["label"] == label)


def _verdict(page: str) -> str:
    found = _VERDICT.search(page)
    return found.group(1) if found else ""


def _page(response) -> str:
    return " ".join(response.content.decode().replace("&#x27;", "'").split())


# Making credentials --------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _payload(token: str) -> dict:
    return json.loads(_unb64(token.split(".")[1]))


def _compact(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _signed_by(key: ECKey, document: dict, *, kid: str | None = None) -> str:
    header = {"alg": "ES256", "kid": kid or key.thumbprint(), "typ": "vc+jwt"}
    return jws.serialize_compact(header, _compact(document), key, algorithms=["ES256"])


def _check(client: Client, text: str | None = None, *, upload=None):
    data = {}
    if text is not None:
        data["credential"] = text
    if upload is not None:
        data["file"] = upload
    return client.post(CHECK, data)


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def certificate(tess, review, ali):
    make_ready(tess, review)
    return approve(submit(tess), ali)


@pytest.fixture
def token(certificate) -> str:
    return IssuedCredential.objects.get(certificate=certificate).jwt


@pytest.fixture
def credential_json(client, certificate) -> bytes:
    """The credential in JSON as the site serves it for download."""
    url = reverse("certificate_credential_json", args=[certificate.verification_code])
    response = client.get(url, {"download": "1"})
    assert response.status_code == 200
    return response.content


def _assert_valid(response, certificate, *, form: str):
    page = _page(response)
    assert response.status_code == 200
    assert _verdict(page) == VALID
    assert _checks(page) == dict.fromkeys(LABELS, "passed")
    assert "Tess Trainee" in page
    assert "Learning Together lead reviewer accreditation" in page
    assert f"{certificate.valid_until:%-d %B %Y}" in page
    assert form in page
    # The certificate's own page is offered for the same record.
    assert reverse("certificate_verify_code", args=[certificate.verification_code]) in page
    assert response["Cache-Control"] == "no-cache, max-age=0"


def _assert_not_valid(response, *, failed: str, says: str) -> str:
    page = _page(response)
    assert response.status_code == 200
    assert _verdict(page) == NOT_VALID
    assert _checks(page)[failed] == "failed"
    assert says in _detail(page, failed)
    assert VALID not in page
    return page


def _assert_refused_form(response, says: str):
    """A form error on the verify page: nothing was checked."""
    page = _page(response)
    assert response.status_code == 400
    assert says in page
    assert CHECK_HEADING not in page
    assert not _checks(page)
    assert _verdict(page) == ""


# A genuine credential ---------------------------------------------------------------------------


def test_it_finds_a_pasted_signed_credential_valid(client, certificate, token):
    response = _check(client, token)

    _assert_valid(response, certificate, form="Signed credential (vc+jwt)")


def test_it_finds_the_downloaded_jwt_file_valid(client, certificate, token):
    url = reverse("certificate_credential_jwt", args=[certificate.verification_code])
    downloaded = client.get(url, {"download": "1"}).content
    assert downloaded.decode() == token

    response = _check(client, upload=_file(f"{certificate.number}.jwt", downloaded + b"\n"))

    _assert_valid(response, certificate, form="Signed credential (vc+jwt)")


def test_it_finds_the_pasted_json_valid_by_comparing_it_with_our_signed_copy(
    client, certificate, credential_json
):
    response = _check(client, credential_json.decode())

    _assert_valid(response, certificate, form="Credential in JSON")
    assert "compared with our signed copy" in _detail(_page(response), "Signature")


def test_it_finds_the_uploaded_json_valid_however_it_is_laid_out(
    client, certificate, credential_json
):
    # The same fields, keys in another order and on one line: still the credential we signed.
    relaid = json.dumps(json.loads(credential_json), sort_keys=True).encode()
    assert relaid != credential_json

    response = _check(client, upload=_file(f"{certificate.number}.json", relaid))

    _assert_valid(response, certificate, form="Credential in JSON")


def test_it_reads_a_file_saved_with_a_byte_order_mark(client, certificate, token):
    response = _check(client, upload=_file("credential.jwt", "\ufeff".encode() + token.encode()))

    _assert_valid(response, certificate, form="Signed credential (vc+jwt)")


# Not signed by us -----------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["none", "None", "NONE"])
def test_it_refuses_a_jwt_that_is_not_signed(client, token, algorithm):
    # Our own credential, word for word, with the signature taken off.
    unsigned = f"{_b64(json.dumps({'alg': algorithm}).encode())}.{token.split('.')[1]}."

    page = _assert_not_valid(
        _check(client, unsigned), failed="Signature", says="The credential is not signed"
    )

    # Nothing it claims is vouched for: no other check passes.
    assert "passed" not in _checks(page).values()
    assert set(_checks(page)) == set(LABELS)


def test_it_refuses_a_jwt_signed_with_a_shared_secret(client, token):
    secret = OctKey.generate_key(256)
    header = {"alg": "HS256", "kid": issuer_keys().current_kid, "typ": "vc+jwt"}
    forged = jws.serialize_compact(
        header, _unb64(token.split(".")[1]), secret, algorithms=["HS256"]
    )

    page = _assert_not_valid(
        _check(client, forged), failed="Signature", says="Signed with HS256, an algorithm we do"
    )

    assert "passed" not in _checks(page).values()


def test_it_refuses_a_jwt_signed_with_a_key_we_do_not_publish(client, token):
    stranger = ECKey.generate_key("P-256", private=True)

    page = _assert_not_valid(
        _check(client, _signed_by(stranger, _payload(token))),
        failed="Signature",
        says="Signed with a key we do not publish",
    )

    assert "passed" not in _checks(page).values()


def test_it_refuses_another_key_that_claims_our_kid(client, token):
    stranger = ECKey.generate_key("P-256", private=True)
    forged = _signed_by(stranger, _payload(token), kid=issuer_keys().current_kid)

    page = _assert_not_valid(
        _check(client, forged), failed="Signature", says="The signature does not match"
    )

    assert "passed" not in _checks(page).values()


def test_it_refuses_a_payload_changed_by_one_character(client, token):
    header, payload, signature = token.split(".")
    text = _unb64(payload).decode()
    one_character = text.replace("Tess Trainee", "Tess Trainef", 1)
    assert sum(a != b for a, b in zip(text, one_character, strict=True)) == 1
    tampered = f"{header}.{_b64(one_character.encode())}.{signature}"

    page = _assert_not_valid(
        _check(client, tampered),
        failed="Signature",
        says="The signature does not match the content",
    )

    assert "passed" not in _checks(page).values()


def test_it_refuses_a_signature_changed_by_one_character(client, token):
    header, payload, signature = token.split(".")
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]

    _assert_not_valid(
        _check(client, f"{header}.{payload}.{flipped}"),
        failed="Signature",
        says="The signature does not match the content",
    )


def _other_issuers_credential(token: str) -> dict:
    document = _payload(token)
    document["id"] = "https://badges.example.com/credentials/42"
    document["issuer"] = {
        "id": "https://badges.example.com/issuers/1",
        "type": ["Profile"],
        "name": "Example Badge Academy",
    }
    document["credentialSubject"]["identifier"][1]["identityHash"] = (
        "<script>alert(1)</script> Bea Other"
    )
    return document


def test_it_says_whose_a_credential_signed_by_another_issuer_claims_to_be(client, token):
    theirs = ECKey.generate_key("P-256", private=True)

    page = _assert_not_valid(
        _check(client, _signed_by(theirs, _other_issuers_credential(token))),
        failed="Signature",
        says="Signed with a key we do not publish",
    )

    assert _checks(page)["Issuer"] == "failed"
    assert "Issued by https://badges.example.com/issuers/1, not by us" in _detail(page, "Issuer")
    assert "passed" not in _checks(page).values()
    # What it claims is shown as a claim, escaped.
    assert "Example Badge Academy" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Bea Other" in page


def test_it_refuses_another_issuers_credential_in_json(client, token):
    response = _check(client, json.dumps(_other_issuers_credential(token)))

    page = _assert_not_valid(
        response, failed="Signature", says="We issued no credential with this id"
    )
    assert _checks(page)["Issuer"] == "failed"
    assert "passed" not in _checks(page).values()


def test_it_refuses_json_with_one_field_changed(client, certificate, credential_json):
    document = json.loads(credential_json)
    document["validUntil"] = "2099-12-31T00:00:00Z"

    page = _assert_not_valid(
        _check(client, json.dumps(document)),
        failed="Signature",
        says="It differs from the credential we signed with this id",
    )

    assert _checks(page)["Dates"] == "skipped"
    assert _checks(page)["Status"] == "skipped"


def test_it_refuses_json_that_carries_an_embedded_proof(client, credential_json):
    document = json.loads(credential_json)
    document["proof"] = {"type": "DataIntegrityProof", "proofValue": "z3FXQ"}

    _assert_not_valid(
        _check(client, json.dumps(document)), failed="Signature", says="embedded proof"
    )


# Genuine, but not in force -------------------------------------------------------------------


def test_it_says_an_expired_credential_has_expired(client, tess, review, ali):
    issued_on = timezone.localdate() - datetime.timedelta(days=3 * 366 + 30)
    with time_machine.travel(
        datetime.datetime.combine(issued_on, datetime.time(12), tzinfo=datetime.UTC), tick=False
    ):
        make_ready(tess, review)
        certificate = approve(submit(tess), ali)
    assert certificate.valid_until < timezone.localdate()
    token = IssuedCredential.objects.get(certificate=certificate).jwt

    page = _assert_not_valid(
        _check(client, token),
        failed="Dates",
        says=f"Expired: it was valid until {certificate.valid_until:%-d %B %Y}",
    )

    assert _checks(page)["Signature"] == "passed"
    assert _checks(page)["Issuer"] == "passed"


def test_it_says_a_suspended_credential_is_suspended_until_it_is_reinstated(
    client, certificate, token, ali
):
    services.certificate_suspend(certificate=certificate, by=ali, reason="Complaint received.")

    page = _assert_not_valid(
        _check(client, token),
        failed="Status",
        says=f"Suspended on {timezone.localdate():%-d %B %Y}",
    )
    assert _checks(page)["Signature"] == "passed"
    assert _checks(page)["Dates"] == "passed"
    # The reason is the assessor's, not the public's.
    assert "Complaint received." not in page

    services.certificate_reinstate(certificate=certificate, by=ali, reason="Cleared.")

    _assert_valid(_check(client, token), certificate, form="Signed credential (vc+jwt)")


def test_it_says_a_revoked_credential_is_revoked_in_either_form(
    client, certificate, token, credential_json, ali
):
    services.certificate_revoke(certificate=certificate, by=ali, reason="Misconduct upheld.")

    for pasted in (token, credential_json.decode()):
        page = _assert_not_valid(
            _check(client, pasted), failed="Status", says="Revoked: the certificate is no longer"
        )
        assert _checks(page)["Signature"] == "passed"
        assert "Misconduct upheld." not in page


def test_it_says_a_credential_withdrawn_at_the_holders_request_is_withdrawn(
    client, certificate, token, credential_json, ada
):
    user_erase(user=certificate.holder, by=ada)

    page = _assert_not_valid(
        _check(client, token), failed="Status", says="Withdrawn at the holder's request"
    )
    assert _checks(page)["Signature"] == "passed"
    _assert_not_valid(
        _check(client, credential_json.decode()),
        failed="Signature",
        says="withdrawn at the holder's request",
    )


# Dates at the ends of the calendar -------------------------------------------------------------

# The first moment of year 1, and the last of year 9999 five hours west of UTC: year 10000 in UTC.
# Neither survives a shift to local time, and neither is any credential's date.
CALENDAR_ENDS = ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59-05:00"]
DATE_ROWS = {"validFrom": "Valid from</dt>", "validUntil": "Valid until</dt>"}


def _with_date(credential_json: bytes, field: str, value: str) -> dict:
    document = json.loads(credential_json)
    document[field] = value
    return document


def _tampered(token: str, document: dict) -> str:
    """Our credential with its payload changed and its signature kept."""
    header, _, signature = token.split(".")
    return f"{header}.{_b64(_compact(document))}.{signature}"


@pytest.mark.parametrize("value", CALENDAR_ENDS, ids=["year-1", "year-10000"])
@pytest.mark.parametrize("field", ["validFrom", "validUntil"])
def test_it_gives_a_verdict_on_a_forgery_dated_at_the_ends_of_the_calendar(
    client, certificate, token, credential_json, field, value
):
    document = _with_date(credential_json, field, value)
    stranger = ECKey.generate_key("P-256", private=True)
    forgeries = {
        "json": (json.dumps(document), "It differs from the credential we signed"),
        "foreign key": (_signed_by(stranger, document), "Signed with a key we do not publish"),
        "our signature kept": (_tampered(token, document), "The signature does not match"),
    }
    (other_field,) = set(DATE_ROWS) - {field}

    for name, (pasted, says) in forgeries.items():
        response = _check(client, pasted)

        page = _assert_not_valid(response, failed="Signature", says=says)
        assert "passed" not in _checks(page).values(), name
        assert _checks(page)["Dates"] == "skipped", name
        # What it claims is shown, but for the date that no calendar can show.
        assert "What it claims" in page, name
        assert "Tess Trainee" in page, name
        assert DATE_ROWS[field] not in page, name
        assert DATE_ROWS[other_field] in page, name


@pytest.mark.parametrize("value", CALENDAR_ENDS, ids=["year-1", "year-10000"])
@pytest.mark.parametrize(
    ("field", "says"),
    [
        ("validFrom", "The credential does not say when it is valid from."),
        ("validUntil", "The credential's end date cannot be read."),
    ],
)
def test_it_reports_a_date_at_the_ends_of_the_calendar_that_we_signed_unreadable(
    client, certificate, credential_json, field, says, value
):
    signed = sign_credential(_with_date(credential_json, field, value))

    page = _assert_not_valid(_check(client, signed), failed="Dates", says=says)

    assert _checks(page) == {
        "Signature": "passed",
        "Issuer": "passed",
        "Dates": "failed",
        "Status": "passed",
    }
    assert DATE_ROWS[field] not in page


# Input that is not a credential ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("hello, please check my badge", "This is not a credential"),
        ("ünïcødé ☃ ≠ a credential", "This is not a credential"),
        ("[1, 2, 3]", "This is not a credential"),
        ("a.b.c", "The first part of this JWT (its header) cannot be read"),
        (f"{_b64(b'[1]')}.e30.c2ln", "(its header) is not a JSON object"),
        ('{"type": ["VerifiableCredential"', "looks like JSON but cannot be read"),
        ('{"a": 1}', "This JSON is not an Open Badges credential"),
        (
            '{"type": ["VerifiableCredential", "OpenBadgeCredential"], "credentialSubject": 1}',
            "This JSON is not an Open Badges credential",
        ),
        ("{" + '"a":{' * 9_000 + "}" * 9_001, "could not be checked"),
    ],
    ids=[
        "words",
        "unicode",
        "json-list",
        "three-dots",
        "header-not-object",
        "json-cut-short",
        "json-not-a-credential",
        "json-subject-not-object",
        "json-nested-deep",
    ],
)
def test_it_explains_input_that_is_not_a_credential(client, db, text, says):
    response = _check(client, text)

    page = _page(response)
    assert response.status_code == 200
    assert UNREADABLE in page
    assert says in page
    assert not _checks(page)


def test_it_refuses_a_jwt_that_does_not_name_its_key(client, token):
    header = _b64(json.dumps({"alg": "ES256", "typ": "vc+jwt"}).encode())

    page = _assert_not_valid(
        _check(client, f"{header}.{_b64(b'not json')}.c2ln"),
        failed="Signature",
        says="does not say which key signed it",
    )

    assert "passed" not in _checks(page).values()


def test_it_refuses_a_jwt_of_another_type(client, token):
    header = {"alg": "ES256", "kid": issuer_keys().current_kid, "typ": "JWT"}
    segments = token.split(".")
    retyped = f"{_b64(json.dumps(header).encode())}.{segments[1]}.{segments[2]}"

    _assert_not_valid(
        _check(client, retyped), failed="Signature", says="The JWT's type is not vc+jwt"
    )


# Form errors: nothing is checked ---------------------------------------------------------------


def test_it_refuses_an_oversize_upload_without_checking_it(client, token):
    padded = token.encode() + b" " * (LIMIT + 1 - len(token))

    response = _check(client, upload=_file("big.jwt", padded))

    _assert_refused_form(response, "That file is far larger than any credential")


def test_it_refuses_an_oversize_paste_without_checking_it(client, token):
    response = _check(client, token + "A" * (LIMIT + 1))

    _assert_refused_form(response, "That is far longer than any credential")


def test_it_takes_a_paste_and_a_file_one_at_a_time(client, token):
    response = _check(client, token, upload=_file("credential.jwt", token.encode()))

    _assert_refused_form(response, "Paste a credential or choose a file, not both.")


@pytest.mark.parametrize("text", [None, "", "   \n  "])
def test_it_asks_for_a_credential_when_given_none(client, db, text):
    _assert_refused_form(_check(client, text), "Paste a credential, or choose its file.")


def test_it_refuses_a_file_that_is_not_text(client, db):
    binary = b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x81" * 50

    response = _check(client, upload=_file("credential.jwt", binary))

    _assert_refused_form(response, "That file is not text")


def _errors(page: str) -> list[str]:
    """The error summary's messages."""
    return [html.unescape(m) for m in re.findall(r'<li><a href="#id_\w+">([^<]*)</a>', page)]


def test_it_refuses_an_empty_file_in_plain_words(client, db):
    response = _check(client, upload=_file("credential.jwt", b""))

    _assert_refused_form(response, "is empty")
    [message] = _errors(_page(response))
    assert "empty" in message
    # Not the field's label spliced into a sentence ("The file chosen for or choose the ...").
    assert "for or choose" not in message.lower()


def test_it_refuses_a_paste_with_null_characters_in_plain_words(client, token):
    response = _check(client, token[:20] + "\x00" + token[20:])

    _assert_refused_form(response, "null characters")
    [message] = _errors(_page(response))
    assert not message.startswith("Paste the credential must")


def test_it_sends_a_get_to_the_verify_page(client, db):
    response = client.get(CHECK)

    assert response.status_code == 302
    assert response["Location"] == reverse("certificate_verify")


def test_it_shows_the_check_form_on_the_verify_page(client, db):
    page = _page(client.get(reverse("certificate_verify")))

    assert f'action="{CHECK}"' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'name="credential"' in page and 'name="file"' in page


# A body too large to read ------------------------------------------------------------------------

TOO_LARGE = "That is too large to be a credential"


def _multipart(size: int) -> bytes:
    """A form with a pasted credential, ``size`` bytes in all."""
    framing = len(encode_multipart(BOUNDARY, {"credential": ""}))
    body = encode_multipart(BOUNDARY, {"credential": "A" * (size - framing)})
    assert len(body) == size
    return body


def _post_body(client: Client, body: bytes):
    return client.generic("POST", CHECK, body, content_type=MULTIPART_CONTENT)


def _assert_too_large(response):
    page = _page(response)
    assert response.status_code == 413
    assert f"<h1>{TOO_LARGE}</h1>" in page
    assert f"at most {LIMIT // 1024} KB" in page
    assert CHECK_HEADING not in page
    assert not _checks(page) and _verdict(page) == ""
    assert int(response.wsgi_request.META["CONTENT_LENGTH"]) > MAX_CHECK_BODY_BYTES


def test_it_refuses_a_body_over_the_limit_as_too_large(client, db):
    _assert_too_large(_post_body(client, _multipart(MAX_CHECK_BODY_BYTES + 1)))
    _assert_too_large(_check(client, upload=_file("big.jwt", b"A" * MAX_CHECK_BODY_BYTES)))

    # A body of the limit itself is read, and its paste refused by the form as too long.
    at_limit = _post_body(client, _multipart(MAX_CHECK_BODY_BYTES))
    assert at_limit.status_code == 400
    assert "That is far longer than any credential" in _page(at_limit)
    assert TOO_LARGE not in _page(at_limit)


def test_it_refuses_a_browsers_post_too_large_to_read_as_too_large(settings, db):
    # A browser sends the form's CSRF token in the body, as the verify page's form does.
    browser = Client(enforce_csrf_checks=True)
    form = browser.get(reverse("certificate_verify")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    # Over the limit, and over what Django will read of a form's fields into memory.
    pasted = "A" * (max(MAX_CHECK_BODY_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE) + 1)

    response = browser.post(CHECK, {"csrfmiddlewaretoken": token, "credential": pasted})

    _assert_too_large(response)


def test_it_does_not_count_a_body_too_large_as_a_check(settings, client, token):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "credential_check": "1/h/ip"}

    for _ in range(3):
        _assert_too_large(_post_body(client, _multipart(MAX_CHECK_BODY_BYTES + 1)))

    assert _verdict(_page(_check(client, token))) == VALID
    assert _check(client, token).status_code == 429


# Rate limits -------------------------------------------------------------------------------------


def _limits(setting: str) -> dict[str, int]:
    """{"ip": 30} from "30/h/ip"."""
    return {part.split("/")[2]: int(part.split("/")[0]) for part in setting.split(",")}


def test_it_limits_checks_per_client_address(settings, certificate, token):
    per_address = _limits(settings.ACCOUNT_RATE_LIMITS["credential_check"])["ip"]
    assert per_address == _limits(settings.CREDENTIAL_CHECK_RATE_LIMIT)["ip"]
    alice = Client(REMOTE_ADDR="198.51.100.7")
    bob = Client(REMOTE_ADDR="203.0.113.9")

    for n in range(per_address):
        assert _check(alice, f"guess number {n}").status_code == 200
    refused = _check(alice, token)

    assert refused.status_code == 429
    page = _page(refused)
    assert "Too many" in page
    assert "Try again in 60 minutes, after" in page
    assert VALID not in page and not _checks(page)
    assert 3590 <= int(refused["Retry-After"]) <= 3600
    # Another address is not held back by Alice's checks.
    _assert_valid(_check(bob, token), certificate, form="Signed credential (vc+jwt)")


def test_it_reads_the_check_limit_from_the_environment(monkeypatch, settings, token):
    monkeypatch.setenv("CREDENTIAL_CHECK_RATE_LIMIT", " 2/m/ip ")
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "credential_check": env_rates("CREDENTIAL_CHECK_RATE_LIMIT", "30/h/ip"),
    }
    client = Client()

    assert _check(client, token).status_code == 200
    assert _check(client, "not a credential").status_code == 200
    refused = _check(client, token)

    assert refused.status_code == 429
    assert "Try again in 1 minute, after" in _page(refused)
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_it_does_not_count_a_form_error_as_a_check(settings, client, token):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "credential_check": "1/h/ip"}

    assert _check(client, "").status_code == 400
    assert _check(client, token, upload=_file("c.jwt", token.encode())).status_code == 400
    assert _check(client, upload=_file("c.jwt", b"\xff\xfe\x81")).status_code == 400

    assert _verdict(_page(_check(client, token))) == VALID
    assert _check(client, token).status_code == 429


def test_it_tells_a_visitor_refused_a_credential_check_about_credential_checks(settings, token):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "credential_check": "1/h/ip"}
    client = Client()
    _check(client, token)

    refused = _check(client, token)

    page = _page(refused)
    assert refused.status_code == 429
    # The page for the lookup by number and surname does not describe what this visitor did.
    assert "checked by its number and surname" not in page
    assert "credential" in page.split("<h1>", 1)[1].split("</h1>", 1)[0].lower()


# Query count ----------------------------------------------------------------------------------

# The revoked bits of the credential's status list, the credential with its certificate, and the
# site and its home page for the page's navigation; the visitor has no session to read.
CHECK_QUERIES = 4


def test_it_checks_a_credential_in_a_fixed_number_of_queries(
    client, certificate, token, ali, django_assert_max_num_queries
):
    _check(client, token)  # the first request after a cache clear also looks up the site

    with django_assert_max_num_queries(CHECK_QUERIES):
        response = _check(client, token)
    assert _verdict(_page(response)) == VALID

    # Twenty credentials in the list, five of them revoked, and a long history on this one's
    # certificate: the same queries.
    others = issue_many(19, by=ali)
    for other in others[:5]:
        services.certificate_revoke(certificate=other, by=ali, reason="Revoked.")
    for n in range(10):
        services.certificate_suspend(certificate=certificate, by=ali, reason=f"Complaint {n}.")
        services.certificate_reinstate(certificate=certificate, by=ali, reason=f"Cleared {n}.")
    assert IssuedCredential.objects.filter(status_list=1).count() == 20
    with django_assert_max_num_queries(CHECK_QUERIES):
        response = _check(client, token)
    assert _verdict(_page(response)) == VALID
