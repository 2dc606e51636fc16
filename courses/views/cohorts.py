"""Cohort pages outside the Wagtail admin: list, cohort page, calendar feed, progress grid and
downloads, attendance register, invitations and accepting them, enrolment status, supervision.

Every object is fetched through courses.access, which raises 404 for anyone who may not see it.
"""

import csv
import io
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from icalendar import Calendar, Event
from openpyxl import Workbook
from openpyxl.styles import Font

from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role
from learning_platform.accounts.selectors import user_has_role

from .. import access
from ..forms import (
    AcceptInvitationForm,
    AttendanceForm,
    CohortAssignmentsForm,
    EnrolmentStatusForm,
    GridFilterForm,
    InvitationForm,
    InvitationImportForm,
)
from ..models import Cohort, Enrolment, Invitation
from ..selectors import cohorts as selectors
from ..services import cohorts as services
from ..services import invitations as invitation_services
from ..services.invitations import InvitationError, InvitationState
from ..tasks import contact_email_for


@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    cohorts = access.cohorts_for_user(request.user).select_related("course")
    return render(
        request,
        "courses/cohorts/cohort_list.html",
        {
            "cohorts": list(cohorts),
            "can_manage": access.user_can_manage_cohorts(request.user),
        },
    )


def _can_assign(user: User) -> bool:
    return access.user_can_manage_cohorts(user) and user.has_perm("courses.change_enrolment")


def _assignments_form(cohort: Cohort, data=None) -> CohortAssignmentsForm:
    enrolments = selectors.cohort_enrolments_to_assign(cohort)
    return CohortAssignmentsForm(
        data, enrolments=enrolments, supervisors=selectors.supervisor_choices(enrolments)
    )


def _cohort_detail(
    request: HttpRequest,
    cohort: Cohort,
    *,
    assignments_form: CohortAssignmentsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    is_staff = access.user_is_programme_staff(user)
    can_see_grid = is_staff or cohort.supervisors.filter(pk=user.pk).exists()
    enrolment = Enrolment.objects.filter(cohort=cohort, user=user).first()
    context = {
        "cohort": cohort,
        "training_days": selectors.cohort_training_days(cohort),
        "enrolment": enrolment,
        "is_staff": is_staff,
        "can_manage": access.user_can_manage_cohorts(user),
        "can_take_register": user.has_perm("courses.change_attendance"),
        "can_see_grid": can_see_grid,
        "today": timezone.localdate(),
    }
    if is_staff:
        context["places_taken"] = selectors.cohort_places_taken(cohort)
        context["pending_invitations"] = list(selectors.cohort_pending_invitations(cohort))
    if _can_assign(user):
        context["assignments_form"] = assignments_form or _assignments_form(cohort)
    return render(request, "courses/cohorts/cohort_detail.html", context, status=status)


@login_required
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _cohort_detail(request, access.get_cohort_for_user(request.user, pk))


@login_required
@require_POST
def cohort_assignments(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the supervisors and review partners chosen on the cohort page, all or none."""
    cohort = access.get_cohort_for_staff(request.user, pk)
    if not _can_assign(request.user):
        raise Http404
    form = _assignments_form(cohort, request.POST)
    if form.is_valid():
        try:
            changed = services.enrolments_assign(
                cohort=cohort, assignments=form.assignments(), by=request.user
            )
        except services.AssignmentError as error:
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
            return redirect(reverse("courses:cohort_detail", args=[cohort.pk]) + "#assignments")
    return _cohort_detail(request, cohort, assignments_form=form, status=400)


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
    for day in selectors.cohort_training_days(cohort):
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


def _grid(request: HttpRequest, pk: int):
    cohort = access.get_cohort_for_staff_or_supervisor(request.user, pk)
    form = GridFilterForm(
        request.GET or None, supervisors=selectors.cohort_supervisor_choices(cohort)
    )
    return cohort, form, selectors.cohort_progress_grid(cohort, form.filters())


@login_required
def cohort_grid(request: HttpRequest, pk: int) -> HttpResponse:
    cohort, form, grid = _grid(request, pk)
    query = request.GET.urlencode()
    return render(
        request,
        "courses/cohorts/grid.html",
        {
            "cohort": cohort,
            "form": form,
            "grid": grid,
            "query": f"?{query}" if query else "",
        },
    )


def _download_name(cohort: Cohort, extension: str) -> str:
    return (
        f"{slugify(cohort.name) or 'cohort'}-progress-{timezone.localdate():%Y-%m-%d}.{extension}"
    )


@login_required
def cohort_grid_csv(request: HttpRequest, pk: int) -> HttpResponse:
    cohort, _, grid = _grid(request, pk)
    header, rows = selectors.cohort_progress_table(grid)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_download_name(cohort, "csv")}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def cohort_grid_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    cohort, _, grid = _grid(request, pk)
    header, rows = selectors.cohort_progress_table(grid)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Progress"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_download_name(cohort, "xlsx")}"'
    response["Cache-Control"] = "no-store"
    return response


# Attendance ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def attendance_register(request: HttpRequest, pk: int, day_pk: int) -> HttpResponse:
    day = access.get_training_day_for_staff(request.user, pk, day_pk)
    entries = selectors.attendance_register(day)
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


# Invitations --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = access.get_cohort_for_staff(request.user, pk)
    if not request.user.has_perm("courses.add_invitation"):
        raise Http404
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_services.invitation_create(
                cohort=cohort, invited_by=request.user, **form.cleaned_data
            )
        except InvitationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("courses:cohort_detail", pk=cohort.pk)
    return render(
        request,
        "courses/cohorts/invitation_form.html",
        {
            "cohort": cohort,
            "form": form,
            "places_left": selectors.cohort_places_left(cohort),
            "expiry_days": invitation_services.invitation_expiry_days(),
        },
    )


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    cohort = access.get_cohort_for_staff(request.user, pk)
    if not request.user.has_perm("courses.add_invitation"):
        raise Http404
    invitation = get_object_or_404(Invitation, pk=invitation_pk, cohort=cohort)
    try:
        invitation = invitation_services.invitation_resend(
            invitation_id=invitation.pk, by=request.user
        )
    except InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"A new invitation was sent to {invitation.email}. The link in any earlier email "
            "no longer works.",
        )
    return redirect("courses:cohort_detail", pk=cohort.pk)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_import(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = access.get_cohort_for_staff(request.user, pk)
    if not request.user.has_perm("courses.add_invitation"):
        raise Http404
    form = InvitationImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST" and form.is_valid():
        report = invitation_services.invitations_import_csv(
            cohort=cohort, upload=form.cleaned_data["file"], invited_by=request.user
        )
        if report.saved:
            messages.success(request, f"{len(report.accepted)} invitations saved and being sent.")
            return redirect("courses:cohort_detail", pk=cohort.pk)
        status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "courses/cohorts/invitation_import.html",
        {
            "cohort": cohort,
            "form": form,
            "report": report,
            "places_left": selectors.cohort_places_left(cohort),
        },
        status=status,
    )


@login_required
def invitation_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """An empty CSV file with the columns an import reads, to fill in with a spreadsheet."""
    access.get_cohort_for_staff(request.user, pk)
    if not request.user.has_perm("courses.add_invitation"):
        raise Http404
    # A byte order mark, so Excel opens the file as UTF-8 and keeps accented names intact.
    response = HttpResponse(
        "\ufeff" + invitation_services.invitations_csv_template(),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="invitations-template.csv"'
    return response


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token)
    state = invitation_services.invitation_state(invitation)
    context = {"invitation": invitation, "contact_email": contact_email_for(invitation)}
    if state != InvitationState.VALID:
        context["state"] = state
        return render(
            request,
            "courses/cohorts/invitation_unusable.html",
            context,
            status=404 if state == InvitationState.UNKNOWN else 410,
        )

    account = User.objects.filter(email__iexact=invitation.email).first()
    user = request.user
    if account is None:
        if user.is_authenticated:
            context["signed_in_as"] = user
            return render(request, "courses/cohorts/invitation_wrong_account.html", context)
        return _accept_as_new_user(request, token, invitation, context)

    if not user.is_authenticated:
        context["login_url"] = f"{reverse('account_login')}?next={request.path}"
        return render(request, "courses/cohorts/invitation_sign_in.html", context)
    if user.pk != account.pk:
        context["signed_in_as"] = user
        return render(request, "courses/cohorts/invitation_wrong_account.html", context)
    if request.method == "POST":
        try:
            enrolment = invitation_services.invitation_accept_existing_user(token=token, user=user)
        except InvitationError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        messages.success(request, f"You have joined {enrolment.cohort}. Your next step is below.")
        return redirect("courses:my_learning")
    return render(request, "courses/cohorts/invitation_confirm.html", context)


def _accept_as_new_user(request, token, invitation, context) -> HttpResponse:
    form = AcceptInvitationForm(
        request.POST or None,
        email=invitation.email,
        initial={"full_name": invitation.full_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = invitation_services.invitation_accept_new_user(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except InvitationError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            login(request, enrolment.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                f"Welcome, {enrolment.user.get_short_name()}. You have joined "
                f"{enrolment.cohort}. Your first step is below.",
            )
            return redirect("courses:my_learning")
    context["form"] = form
    return render(request, "courses/cohorts/invitation_accept.html", context)


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
    if not (user_has_role(user=request.user, role=Role.SUPERVISOR) or request.user.is_superuser):
        raise Http404
    return render(
        request,
        "courses/cohorts/supervisor_home.html",
        {
            "trainees": selectors.supervisor_trainees(request.user),
        },
    )


@login_required
@require_POST
def cohort_reset_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = access.get_cohort_for_staff(request.user, pk)
    services.cohort_reset_calendar_token(cohort=cohort, by=request.user)
    messages.success(request, "The calendar link has changed. Send the new one to trainees.")
    return redirect("courses:cohort_detail", pk=cohort.pk)
