"""The review's draft report, downloaded in Word or as a PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from .. import access
from ..services import report
from ..services.pdf import PdfRenderError


def _attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The report holds the review's analysis: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def review_report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.get_review_for_report(request.user, pk)
    return _attachment(
        report.draft_report_docx(review=review),
        content_type=report.DOCX_CONTENT_TYPE,
        filename=report.report_filename(review, "docx"),
    )


@login_required
@require_GET
def review_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.get_review_for_report(request.user, pk)
    try:
        pdf = report.draft_report_pdf(review=review)
    except PdfRenderError:
        messages.error(
            request,
            "The draft report is too long to print as a PDF here. Download the Word version "
            "instead.",
        )
        return redirect("accreditation:review_detail", pk=review.pk)
    return _attachment(
        pdf, content_type=report.PDF_CONTENT_TYPE, filename=report.report_filename(review, "pdf")
    )
