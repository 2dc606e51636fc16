"""Supervision: the supervisor's sign-off queue, their log with its record form, a trainee's My
supervision list with confirm buttons and counts against the scheme, and a session page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from learning_platform.accounts.roles import user_is_supervisor

from .. import access
from ..exceptions import TransitionError
from ..forms import SupervisionSessionForm
from ..models import SupervisionSession
from ..selectors import reviews as review_selectors
from ..selectors import supervision as selectors
from ..selectors.clock import AT_RISK_DAYS, reviews_at_risk_for_supervisor
from ..services import reviews as review_services
from ..services import supervision as services

SESSIONS_PER_PAGE = 25
REVIEWS_PER_PAGE = 25
# The stages waiting longest; a search by name finds any other.
WAITING_SHOWN = 25


class _FilterForm(forms.Form):
    """A list's search and filters: every field may be left empty, and one that is not valid
    is left out (the form says why) while the others still apply."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.hide_optional = True

    def chosen(self) -> dict[str, str]:
        self.is_valid()
        return {name: self.cleaned_data.get(name, "") for name in self.fields}


class QueueFilterForm(_FilterForm):
    name = forms.CharField(label="Trainee's name", required=False, max_length=200)
    shows = forms.ChoiceField(
        label="Reviews to list", required=False, choices=selectors.ReviewsShown.choices
    )


def _page(request: HttpRequest, items, per_page: int):
    """The page of ``items`` the request asks for."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


@login_required
def supervisor_queue(request: HttpRequest) -> HttpResponse:
    if not user_is_supervisor(request.user):
        raise Http404
    form = QueueFilterForm(request.GET)
    chosen = form.chosen()
    page = _page(
        request,
        selectors.reviews_for_supervisor(supervisor=request.user, **chosen),
        REVIEWS_PER_PAGE,
    )
    return render(
        request,
        "accreditation/supervision/queue.html",
        {
            "form": form,
            "waiting": selectors.stages_waiting_for_sign_off(
                supervisor=request.user, name=chosen["name"], limit=WAITING_SHOWN
            ),
            "at_risk": reviews_at_risk_for_supervisor(
                supervisor=request.user, today=timezone.localdate()
            ),
            "at_risk_days": AT_RISK_DAYS,
            "page": page,
            "reviews": list(page.object_list),
            "filtered": any(chosen.values()),
            "searched": bool(chosen["name"]),
        },
    )


class LogFilterForm(_FilterForm):
    name = forms.CharField(label="Trainee's name", required=False, max_length=200)
    kind = forms.ChoiceField(
        label="Kind of session",
        required=False,
        choices=[("", "Every kind"), *SupervisionSession.Kind.choices],
    )
    shows = forms.ChoiceField(
        label="Confirmation", required=False, choices=selectors.LogShows.choices
    )


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
    # Its own ids: the record form on the same page has a "kind" field too.
    log_filter = LogFilterForm(request.GET, auto_id="filter_%s")
    chosen = log_filter.chosen()
    page = _page(
        request,
        selectors.sessions_for_supervisor(supervisor=request.user, **chosen),
        SESSIONS_PER_PAGE,
    )
    return render(
        request,
        "accreditation/supervision/supervision_log.html",
        {
            "form": form,
            "log_filter": log_filter,
            "page": page,
            "sessions": list(page.object_list),
            "filtered": any(chosen.values()),
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
