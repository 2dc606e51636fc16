"""The programme dashboard for SCIE staff, and its CSV export."""

import csv
from collections.abc import Iterator

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from learning_platform.accounts.roles import user_is_programme_staff

from ..charts import Bar, funnel_chart_svg, percent_of
from ..selectors.clock import AT_RISK_DAYS, reviews_at_risk_for_programme
from ..selectors.dashboard import Dashboard, Row, programme_dashboard

COHORTS_PER_PAGE = 20


class CohortFilterForm(forms.Form):
    name = forms.CharField(label="Cohort name", required=False, max_length=200)
    strand = forms.ChoiceField(label="Funding strand", required=False)

    def __init__(self, *args, strands: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["strand"].choices = [("", "All funding strands"), *[(s, s) for s in strands]]
        for field in self.fields.values():
            field.hide_optional = True  # a filter: every field may be left empty


def _require_staff(request: HttpRequest) -> None:
    if not user_is_programme_staff(request.user):
        raise Http404


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    data = programme_dashboard()
    form = CohortFilterForm(request.GET, strands=[row.label for row in data.strands])
    # A choice that is not valid is left out (and the form says why); the others still apply.
    form.is_valid()
    name, strand = form.cleaned_data.get("name", ""), form.cleaned_data.get("strand", "")
    page = Paginator(data.cohorts_matching(name=name, strand=strand), COHORTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accreditation/dashboard/dashboard.html",
        {
            "dashboard": data,
            "form": form,
            "page": page,
            "filtered": bool(name or strand),
            "columns": data.columns,
            "cohort_rows": [(row, data.values(row)) for row in page.object_list],
            "strand_rows": [(row, data.values(row)) for row in data.strands],
            "funnels": _funnels(data, page.object_list),
            "at_risk": reviews_at_risk_for_programme(today=timezone.localdate()),
            "at_risk_days": AT_RISK_DAYS,
        },
    )


def _funnels(data: Dashboard, rows: list[Row]) -> list[dict]:
    funnels = []
    for row in rows:
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


class _Echo:
    """A file-like object whose write returns what it was given, so csv.writer yields lines."""

    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def dashboard_csv(request: HttpRequest) -> StreamingHttpResponse:
    _require_staff(request)
    # Counted before the response starts, so a failure is an error page, not a cut-off file.
    data = programme_dashboard()
    response = StreamingHttpResponse(_csv_lines(data), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="programme-dashboard-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _csv_lines(data: Dashboard) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(["Group", "Name", "Funding strand", *[c.label for c in data.columns]])
    for kind, rows in (("Cohort", data.cohorts), ("Funding strand", data.strands)):
        for row in rows:
            yield writer.writerow(
                [
                    kind,
                    _safe(row.label),
                    _safe(row.funding_strand),
                    *[value for _, value in data.values(row)],
                ]
            )


def _safe(text: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
