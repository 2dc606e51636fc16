"""Public pages: verify a certificate by its code (the QR code's link) or by number and surname,
and the register of accredited reviewers who chose to be listed."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from learning_platform import public_cache
from learning_platform.ratelimits import attempt

from ..award_forms import CredentialCheckForm, VerifyForm
from ..register_forms import RegisterSearchForm
from ..selectors.certificates import PublicStatus, verify_by_code, verify_by_number
from ..selectors.register import (
    register_entries,
    register_region_choices,
    register_review_type_choices,
    register_rows,
)

REGISTER_PAGE_SIZE = 20


def too_many_attempts(
    request: HttpRequest,
    *,
    wait_seconds: int,
    template: str = "accreditation/public/too_many_attempts.html",
) -> HttpResponse:
    response = render(
        request,
        template,
        {
            "wait_minutes": -(-wait_seconds // 60),
            "try_again_at": timezone.localtime() + timedelta(seconds=wait_seconds),
        },
        status=429,
    )
    response["Retry-After"] = str(wait_seconds)
    return response


def _not_found(request: HttpRequest, *, form=None) -> HttpResponse:
    return render(
        request,
        "accreditation/public/not_found.html",
        {"form": form or VerifyForm()},
        status=404,
    )


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    # POST, so a surname never lands in a URL, a log or the browser history.
    form = VerifyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["code"]:
            return redirect("certificate_verify_code", code=form.cleaned_data["code"])
        # Numbers run in sequence, so each guess at a surname counts, per client address and per
        # certificate number. A code is a long random token and is not limited.
        wait = attempt(request, action="certificate_lookup", key=form.cleaned_data["number"])
        if wait is not None:
            return too_many_attempts(request, wait_seconds=wait)
        result = verify_by_number(
            number=form.cleaned_data["number"], surname=form.cleaned_data["surname"]
        )
        if result is None:
            return _not_found(request, form=form)
        return render(request, "accreditation/public/verification.html", {"result": result})
    return render(
        request,
        "accreditation/public/verify.html",
        {"form": form, "credential_form": CredentialCheckForm()},
        status=400 if form.errors else 200,
    )


@public_cache.public_page(public_cache.CERTIFICATES)
@require_GET
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    result = verify_by_code(code=code)
    if result is None:
        return _not_found(request)
    response = render(request, "accreditation/public/verification.html", {"result": result})
    # The status can change at any moment (suspension, revocation): never serve a stale copy.
    response["Cache-Control"] = "no-cache, max-age=0"
    return response


# Searches are not kept: any text could be typed, and each would be a new entry.
@public_cache.public_page(public_cache.CERTIFICATES, params=["page"])
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterSearchForm(
        request.GET or None,
        regions=register_region_choices(),
        review_types=register_review_type_choices(),
    )
    name = region = review_type = ""
    if form.is_valid():
        name = form.cleaned_data["name"]
        region = form.cleaned_data["region"]
        review_type = form.cleaned_data["review_type"]
    page = Paginator(
        register_entries(name=name, region=region, review_type=review_type), REGISTER_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accreditation/public/register.html",
        {
            "form": form,
            "page": page,
            "rows": register_rows(list(page.object_list)),
            "query": query.urlencode(),
            "searched": bool(name or region or review_type),
            # The register lists valid certificates only.
            "listed_status": PublicStatus.VALID,
        },
    )
