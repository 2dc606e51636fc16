"""Supervision: the supervisor's log with its record form, a trainee's My supervision list with
confirm buttons and counts against the scheme, and a session page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from learning_platform.accounts.roles import user_is_supervisor

from .. import access
from ..exceptions import TransitionError
from ..forms import SupervisionSessionForm
from ..selectors import reviews as review_selectors
from ..selectors import supervision as selectors
from ..services import reviews as review_services
from ..services import supervision as services


@login_required
@require_http_methods(["GET", "POST"])
def supervision_log(request: HttpRequest) -> HttpResponse:
    if not user_is_supervisor(request.user):
        raise Http404
    form = SupervisionSessionForm(request.POST or None, supervisor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.supervision_session_record(
                supervisor=request.user,
                kind=data["kind"],
                date=data["date"],
                duration_minutes=data["duration_minutes"],
                attendees=data["attendees"],
                notes=data["notes"],
                during_report_writing=data["during_report_writing"],
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "Session recorded. Each trainee who attended is asked to confirm it."
            )
            return redirect("accreditation:supervision_log")
    return render(
        request,
        "accreditation/supervision/supervision_log.html",
        {
            "form": form,
            "sessions": list(selectors.sessions_for_supervisor(supervisor=request.user)),
            "has_trainees": form.fields["attendees"].queryset.exists(),
        },
    )


@login_required
def my_supervision(request: HttpRequest) -> HttpResponse:
    review = review_selectors.review_for_trainee(user=request.user)
    scheme = review.scheme if review else review_services.default_scheme()
    counts = (
        selectors.supervision_counts_for_trainee(user=request.user, scheme=scheme)
        if scheme
        else None
    )
    return render(
        request,
        "accreditation/supervision/my_supervision.html",
        {
            "review": review,
            "scheme": scheme,
            "counts": counts,
            "attendance": list(selectors.attendance_for_trainee(trainee=request.user)),
        },
    )


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_for_user(request.user, pk)
    attendees = list(session.attendees.select_related("trainee").order_by("trainee__full_name"))
    mine = next((a for a in attendees if a.trainee_id == request.user.pk), None)
    return render(
        request,
        "accreditation/supervision/session_detail.html",
        {"session": session, "attendees": attendees, "my_attendance": mine},
    )


@login_required
@require_POST
def session_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_for_user(request.user, pk)
    try:
        services.supervision_attendance_confirm(session=session, trainee=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Attendance confirmed: {session}.")
    return redirect("accreditation:my_supervision")
