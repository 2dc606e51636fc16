"""The programme dashboard for SCIE staff, and its CSV export."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from learning_platform.accounts.roles import user_is_programme_staff

from ..charts import Bar, funnel_chart_svg, percent_of
from ..selectors.clock import AT_RISK_DAYS, reviews_at_risk_for_programme
from ..selectors.dashboard import Dashboard, programme_dashboard


def _require_staff(request: HttpRequest) -> None:
    if not user_is_programme_staff(request.user):
        raise Http404


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    data = programme_dashboard()
    return render(
        request,
        "accreditation/dashboard/dashboard.html",
        {
            "dashboard": data,
            "columns": data.columns,
            "cohort_rows": [(row, data.values(row)) for row in data.cohorts],
            "strand_rows": [(row, data.values(row)) for row in data.strands],
            "funnels": _funnels(data),
            "at_risk": reviews_at_risk_for_programme(today=timezone.localdate()),
            "at_risk_days": AT_RISK_DAYS,
        },
    )


def _funnels(data: Dashboard) -> list[dict]:
    funnels = []
    for row in data.cohorts:
        steps = data.funnel(row)
        enrolled = row.counts.enrolled
        funnels.append(
            {
                "row": row,
                "steps": [(step, percent_of(step.value, enrolled)) for step in steps],
                "chart": funnel_chart_svg(
                    chart_id=f"funnel-{row.cohort.pk}",
                    title=f"From enrolled to accredited: {row.label}",
                    bars=[Bar(step.label, step.value) for step in steps],
                ),
            }
        )
    return funnels


@login_required
@require_GET
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    data = programme_dashboard()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="programme-dashboard-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(["Group", "Name", "Funding strand", *[c.label for c in data.columns]])
    for kind, rows in (("Cohort", data.cohorts), ("Funding strand", data.strands)):
        for row in rows:
            writer.writerow(
                [
                    kind,
                    _safe(row.label),
                    _safe(row.funding_strand),
                    *[value for _, value in data.values(row)],
                ]
            )
    return response


def _safe(text: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
