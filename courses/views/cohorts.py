"""Cohort pages outside the Wagtail admin: list, cohort page, calendar feed, progress grid and
downloads, attendance register, enrolment status, supervision. Invitations are in
courses.views.invitations.

Every object is fetched through courses.access, which raises 404 for anyone who may not see it.
"""

import csv
import io
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from icalendar import Calendar, Event
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from learning_platform.accounts.roles import user_is_programme_staff, user_is_supervisor

from .. import access
from ..forms import (
    AttendanceForm,
    CohortAssignmentsForm,
    CohortListFilterForm,
    EnrolmentStatusForm,
    GridFilterForm,
    SupervisorTraineeFilterForm,
)
from ..models import Cohort, Enrolment, Invitation
from ..selectors import cohorts as selectors
from ..services import assignments
from ..services import cohorts as services


@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    form = CohortListFilterForm(request.GET or None)
    q, timing = form.search()
    cohorts = selectors.cohorts_matching(
        cohorts=access.cohorts_for_user(request.user),
        q=q,
        timing=timing,
        today=timezone.localdate(),
    ).select_related("course")
    page = Paginator(cohorts, selectors.COHORT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/cohorts/cohort_list.html",
        {
            "form": form,
            "page": page,
            "cohorts": list(page.object_list),
            "searched": bool(q or timing),
            "can_manage": user_is_programme_staff(request.user),
        },
    )


@dataclass
class _AssignmentsPage:
    """One page of the cohort's supervisors-and-partners form, and how it was reached."""

    form: CohortAssignmentsForm
    page: Page
    q: str

    @property
    def query(self) -> str:
        """The page and search, for the form's action and the redirect after saving."""
        page = self.page.number if self.page.number > 1 else None
        return urlencode({key: value for key, value in (("page", page), ("q", self.q)) if value})


def _assignments_page(request: HttpRequest, cohort: Cohort, data=None) -> _AssignmentsPage:
    # The page and search travel in the query string, on the POST as on the GET.
    q = selectors.assignment_search_text(request.GET.get("q"))
    page = selectors.cohort_enrolments_to_assign(
        cohort=cohort, q=q, page_number=request.GET.get("page")
    )
    form = CohortAssignmentsForm(
        data,
        enrolments=page.object_list,
        supervisors=selectors.supervisor_choices(enrolments=page.object_list),
        # A search that matches nobody has no rows to offer partners to.
        partners=selectors.review_partner_choices(cohort=cohort) if page.object_list else [],
    )
    return _AssignmentsPage(form=form, page=page, q=q)


def _cohort_detail(
    request: HttpRequest,
    cohort: Cohort,
    *,
    assignments_page: _AssignmentsPage | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    is_staff = user_is_programme_staff(user)
    can_see_grid = is_staff or cohort.supervisors.filter(pk=user.pk).exists()
    enrolment = Enrolment.objects.filter(cohort=cohort, user=user).first()
    context = {
        "cohort": cohort,
        "training_days": selectors.cohort_training_days(cohort=cohort),
        "enrolment": enrolment,
        "is_staff": is_staff,
        "can_manage": is_staff,
        "can_take_register": is_staff,
        "can_see_grid": can_see_grid,
        "today": timezone.localdate(),
    }
    if is_staff:
        shown = assignments_page or _assignments_page(request, cohort)
        context["places_taken"] = selectors.cohort_places_taken(cohort=cohort)
        context["pending_invitations"] = selectors.cohort_pending_invitations(cohort=cohort).count()
        context["pending_state"] = Invitation.State.PENDING.value
        context["assignments_form"] = shown.form
        context["assignments"] = shown
    return render(request, "courses/cohorts/cohort_detail.html", context, status=status)


@login_required
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _cohort_detail(request, access.get_cohort_for_user(request.user, pk))


@login_required
@require_POST
def cohort_assignments(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the supervisors and review partners chosen on one page of the cohort page, all or
    none; trainees on other pages are left as they are."""
    cohort = access.get_cohort_for_staff(request.user, pk)
    if not user_is_programme_staff(request.user):
        raise Http404
    posted = _assignments_page(request, cohort, request.POST)
    form = posted.form
    if form.is_valid():
        try:
            changed = assignments.enrolments_assign(
                cohort=cohort, assignments=form.assignments(), by=request.user
            )
        except assignments.AssignmentError as error:
            form.add_problems(error.problems)
        except services.EnrolmentError as error:
            form.add_error(None, str(error))
        else:
            if changed:
                messages.success(
                    request,
                    f"Supervisors and review partners saved for {changed} "
                    f"trainee{'s' if changed != 1 else ''}.",
                )
            else:
                messages.info(request, "Nothing was changed.")
            query = posted.query
            return redirect(
                reverse("courses:cohort_detail", args=[cohort.pk])
                + (f"?{query}" if query else "")
                + "#assignments"
            )
    return _cohort_detail(request, cohort, assignments_page=posted, status=400)


def cohort_calendar(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """An iCalendar feed for calendar apps, which cannot sign in: the token is the key."""
    cohort = Cohort.objects.filter(pk=pk, calendar_token=token).select_related("course").first()
    if cohort is None:
        raise Http404
    calendar = Calendar()
    calendar.add("prodid", "-//SCIE//Learning Together//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{cohort.name} training days")
    stamp = timezone.now()
    zone = timezone.get_default_timezone()
    for day in selectors.cohort_training_days(cohort=cohort):
        event = Event()
        event.add("uid", f"training-day-{day.pk}@learning-together")
        event.add("dtstamp", stamp)
        event.add("summary", f"{cohort.name}: {day.title}")
        if day.starts_at:
            start = datetime.combine(day.date, day.starts_at, tzinfo=zone)
            # An end at or before the start (saved before that was checked) is treated as no
            # end: a calendar app refuses an event whose DTEND comes before its DTSTART.
            end = (
                datetime.combine(day.date, day.valid_ends_at, tzinfo=zone)
                if day.valid_ends_at
                else start + timedelta(hours=7)
            )
            event.add("dtstart", start)
            event.add("dtend", end)
        else:
            event.add("dtstart", day.date)
            event.add("dtend", day.date + timedelta(days=1))
        location = ", ".join(part for part in (day.venue, day.online_link) if part)
        if location:
            event.add("location", location)
        if day.online_link:
            event.add("url", day.online_link)
        event.add("description", f"{cohort.course.title}, {cohort.name}.")
        calendar.add_component(event)
    if hasattr(calendar, "add_missing_timezones"):
        calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slugify(cohort.name)}.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


# Progress grid ------------------------------------------------------------------------------


def _grid_filters(request: HttpRequest, pk: int) -> tuple[Cohort, GridFilterForm]:
    cohort = access.get_cohort_for_staff_or_supervisor(request.user, pk)
    form = GridFilterForm(
        request.GET or None, supervisors=selectors.cohort_supervisor_choices(cohort=cohort)
    )
    return cohort, form


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def cohort_grid(request: HttpRequest, pk: int) -> HttpResponse:
    cohort, form = _grid_filters(request, pk)
    filters = form.filters()
    grid = selectors.cohort_progress_grid(
        cohort=cohort, filters=filters, page_number=request.GET.get("page")
    )
    query = _without_page(request)
    return render(
        request,
        "courses/cohorts/grid.html",
        {
            "cohort": cohort,
            "form": form,
            "grid": grid,
            "filtered": filters.active,
            # The downloads hold every matching trainee, whichever page is shown.
            "query": f"?{query}" if query else "",
            "is_staff": user_is_programme_staff(request.user),
        },
    )


def _download_name(cohort: Cohort, extension: str) -> str:
    return (
        f"{slugify(cohort.name) or 'cohort'}-progress-{timezone.localdate():%Y-%m-%d}.{extension}"
    )


def _csv_text(rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


@login_required
def cohort_grid_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    cohort, form = _grid_filters(request, pk)
    table = selectors.cohort_progress_table(cohort=cohort, filters=form.filters())

    # Sent a chunk of trainees at a time, so a national cohort never sits whole in memory.
    def lines():
        yield _csv_text([table.header])
        for chunk in table.chunks:
            yield _csv_text(chunk)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_download_name(cohort, "csv")}"'
    response["Cache-Control"] = "no-store"
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook_file(table: selectors.ProgressTable):
    """The table as an XLSX workbook in a temporary file, at its start; closing the file
    deletes it.

    Write-only mode streams rows to its own temporary file as they are appended instead of
    keeping a cell object for each, and the finished workbook goes to disk, not memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Progress")
    sheet.freeze_panes = "B2"
    bold = Font(bold=True)
    header = []
    for title in table.header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for chunk in table.chunks:
        for row in chunk:
            sheet.append(row)
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    try:
        workbook.save(file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file


@login_required
def cohort_grid_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    cohort, form = _grid_filters(request, pk)
    table = selectors.cohort_progress_table(cohort=cohort, filters=form.filters())
    response = FileResponse(
        _workbook_file(table),
        as_attachment=True,
        filename=_download_name(cohort, "xlsx"),
        content_type=XLSX_TYPE,
    )
    response["Cache-Control"] = "no-store"
    return response


# Attendance ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def attendance_register(request: HttpRequest, pk: int, day_pk: int) -> HttpResponse:
    day = access.get_training_day_for_staff(request.user, pk, day_pk)
    entries = selectors.attendance_register(training_day=day)
    # An empty POST is a register with nobody ticked, not an unsubmitted form.
    form = AttendanceForm(request.POST if request.method == "POST" else None, entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            present = services.attendance_record(
                training_day=day,
                present_enrolment_ids=form.cleaned_data["present"],
                user=request.user,
            )
        except services.EnrolmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"Register saved for {day.title}: {present} of {len(entries)} present."
            )
            return redirect("courses:cohort_detail", pk=day.cohort_id)
    last = max((e for e in entries if e.recorded_at), key=lambda e: e.recorded_at, default=None)
    return render(
        request,
        "courses/cohorts/attendance.html",
        {
            "cohort": day.cohort,
            "day": day,
            "form": form,
            "entries": entries,
            "last": last,
            "not_yet": not day.has_begun(),
        },
    )


# Enrolments ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_status(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = access.get_enrolment_for_staff(request.user, pk)
    form = EnrolmentStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrolment_transition(
                enrolment=enrolment,
                to_status=form.cleaned_data["status"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.EnrolmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"{enrolment.user} is now {enrolment.get_status_display().lower()}."
            )
            return redirect("courses:cohort_grid", pk=enrolment.cohort_id)
    from wagtail.log_actions import registry

    history = registry.get_logs_for_instance(enrolment).select_related("user")[:20]
    return render(
        request,
        "courses/cohorts/enrolment_status.html",
        {
            "enrolment": enrolment,
            "cohort": enrolment.cohort,
            "form": form,
            "allowed": services.enrolment_allowed_transitions(enrolment),
            "history": history,
        },
    )


# Supervision --------------------------------------------------------------------------------


@login_required
def supervisor_home(request: HttpRequest) -> HttpResponse:
    if not (user_is_supervisor(request.user) or request.user.is_superuser):
        raise Http404
    form = SupervisorTraineeFilterForm(
        request.GET or None,
        cohorts=selectors.supervisor_cohort_choices(user=request.user),
    )
    q, cohort_id = form.search()
    page, trainees = selectors.supervisor_trainees_page(
        user=request.user, q=q, cohort_id=cohort_id, page_number=request.GET.get("page")
    )
    return render(
        request,
        "courses/cohorts/supervisor_home.html",
        {
            "form": form,
            "page": page,
            "trainees": trainees,
            "searched": bool(q or cohort_id),
        },
    )


@login_required
@require_POST
def cohort_reset_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = access.get_cohort_for_staff(request.user, pk)
    services.cohort_reset_calendar_token(cohort=cohort, by=request.user)
    messages.success(request, "The calendar link has changed. Send the new one to trainees.")
    return redirect("courses:cohort_detail", pk=cohort.pk)
