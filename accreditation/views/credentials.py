"""The public, machine-readable credential documents (the JWKS, the issuer's profile, each
scheme's achievement, a certificate's credential and live status, the revocation status lists),
and the page where anyone checks a credential we issued.

Every document is open to any origin (CORS), so a wallet or an HR system in a browser can read
it. The issuer, achievement and key documents may be kept for a few minutes; the credential,
status and status list documents are revalidated on every use (their ETag makes that cheap), so
a revocation or a withdrawal shows on the next request.
"""

import hashlib
import json
from dataclasses import replace

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.views.decorators.http import require_http_methods, require_safe

from learning_platform.body_limits import body_limit
from learning_platform.ratelimits import attempt

from ..award_forms import CredentialCheckForm, VerifyForm
from ..selectors.credential_check import MAX_CREDENTIAL_CHARS, check_credential
from ..selectors.credentials import (
    achievement_document,
    achievement_scheme,
    issuer,
    issuer_profile,
    live_status_document,
    published_credential,
    signed_status_list,
    status_list_numbers,
)
from ..services.credential_keys import jwks as published_jwks
from ..services.credentials import credential_for
from .public import too_many_attempts

JSON = "application/json"
JWT = "application/vc+jwt"
# The issuer, achievement and key documents change rarely; a rotated key must reach verifiers
# within this many seconds.
STABLE_MAX_AGE = 300
# The most a credential check may send: the pasted text or the file, at most MAX_CREDENTIAL_CHARS
# (up to four bytes a character), with the form's other fields and the multipart framing.
MAX_CHECK_BODY_BYTES = 4 * MAX_CREDENTIAL_CHARS + 16 * 1024


def _document(
    request: HttpRequest,
    body: bytes,
    *,
    content_type: str,
    max_age: int | None = None,
    etag: str | None = None,
    filename: str = "",
) -> HttpResponse:
    etag = quote_etag(etag or hashlib.sha256(body).hexdigest()[:32])
    response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    if max_age is None:
        patch_cache_control(response, public=True, no_cache=True, max_age=0)
    else:
        patch_cache_control(response, public=True, max_age=max_age)
    if filename and request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    not_modified = get_conditional_response(request, etag=etag, response=response)
    if not_modified is None or not_modified is response:
        return response
    # Django's 304 is a new response: a browser script reading it needs the CORS header too.
    not_modified["Access-Control-Allow-Origin"] = "*"
    not_modified["X-Content-Type-Options"] = "nosniff"
    return not_modified


def _json(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def _gone(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        _json(
            {
                "error": "withdrawn",
                "message": "This credential was withdrawn at the holder's request.",
            }
        ),
        content_type=JSON,
        status=410,
    )
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, no_cache=True, max_age=0)
    return response


@require_safe
def jwks(request: HttpRequest) -> HttpResponse:
    return _document(
        request,
        _json(published_jwks()),
        content_type="application/jwk-set+json",
        max_age=STABLE_MAX_AGE,
    )


@require_safe
def issuer_document(request: HttpRequest) -> HttpResponse:
    return _document(
        request, _json(issuer_profile(issuer())), content_type=JSON, max_age=STABLE_MAX_AGE
    )


@require_safe
def achievement(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = achievement_scheme(pk)
    if scheme is None:
        raise Http404("No such achievement.")
    return _document(
        request,
        _json(achievement_document(scheme, issuer())),
        content_type=JSON,
        max_age=STABLE_MAX_AGE,
    )


def _credential(code: str):
    """The published credential for a code, issued now for a certificate awarded before
    credentials existed; None when there is none."""
    published = published_credential(code=code)
    if published is None or published.withdrawn:
        return published
    if published.credential is None:
        credential = credential_for(certificate=published.certificate)
        if credential is None:
            return published  # the holder's data was erased before it was ever issued
        published = replace(published, credential=credential)
    return published


def _credential_document(request: HttpRequest, code: str, *, signed: bool) -> HttpResponse:
    """The credential as JSON (the JWT's payload) or as the signed JWT itself."""
    published = _credential(code)
    if published is None:
        raise Http404("No credential has this code.")
    if published.withdrawn:
        return _gone(request)
    number = published.certificate.number
    if signed:
        body, content_type, filename = published.jwt.encode("ascii"), JWT, f"{number}.jwt"
    else:
        body, content_type, filename = published.payload(), JSON, f"{number}.json"
    return _document(request, body, content_type=content_type, filename=filename)


@require_safe
def credential_json(request: HttpRequest, code: str) -> HttpResponse:
    return _credential_document(request, code, signed=False)


@require_safe
def credential_jwt(request: HttpRequest, code: str) -> HttpResponse:
    return _credential_document(request, code, signed=True)


@require_safe
def credential_status(request: HttpRequest, code: str) -> HttpResponse:
    """The certificate's status now, for machines: what the signed credential cannot say."""
    document = live_status_document(code=code)
    if document is None:
        raise Http404("No credential has this code.")
    # The status, not the moment it was read, decides whether a cached copy is still good.
    unchanged = {key: value for key, value in document.items() if key != "checkedAt"}
    etag = hashlib.sha256(_json(unchanged)).hexdigest()[:32]
    return _document(request, _json(document), content_type=JSON, etag=etag)


@require_safe
def status_list(request: HttpRequest, number: int) -> HttpResponse:
    if number not in status_list_numbers():
        raise Http404("No such status list.")
    signed = signed_status_list(number)
    return _document(request, signed.jwt.encode("ascii"), content_type=JWT, etag=signed.version)


def _too_large(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accreditation/public/credential_too_large.html",
        {"limit_kb": MAX_CREDENTIAL_CHARS // 1024},
        status=413,
    )


# Refused before the body is read (by the CSRF check, or here): a credential is a few kilobytes.
@body_limit(MAX_CHECK_BODY_BYTES, _too_large)
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    """Anyone pastes or uploads a credential; the page checks it against our keys, our issuer,
    its dates and its live status."""
    if request.method == "GET":
        return redirect("certificate_verify")
    form = CredentialCheckForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "accreditation/public/verify.html",
            {"form": VerifyForm(), "credential_form": form},
            status=400,
        )
    wait = attempt(request, action="credential_check")
    if wait is not None:
        return too_many_attempts(
            request,
            wait_seconds=wait,
            template="accreditation/public/too_many_credential_checks.html",
        )
    result = check_credential(form.cleaned_data["text"])
    response = render(
        request,
        "accreditation/public/credential_check.html",
        {"result": result, "checked_at": timezone.now()},
    )
    response["Cache-Control"] = "no-cache, max-age=0"
    return response
