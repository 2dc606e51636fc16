"""The invitations screen's own actions beside list, add and delete: inviting a CSV file of
people to a cohort (with an empty template to fill in), and sending one invitation a fresh link.

Programme staff only. The Wagtail admin turns away anyone without admin access; these views
fetch what they act on through courses.access, which refuses anyone else."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from learning_platform.accounts.roles import user_is_programme_staff

from .. import access
from ..forms import InvitationImportForm
from ..models import Cohort
from ..selectors import cohorts as selectors
from ..services.invitations import csv_import, lifecycle
from ..services.invitations.checks import InvitationError

NAME = "invitations"


def invitations_url(cohort: Cohort | None = None, **filters) -> str:
    """The invitations list, filtered to one cohort (and any other filters) when given."""
    if cohort is not None:
        filters = {"cohort": cohort.pk, **filters}
    url = reverse(f"{NAME}:index")
    return f"{url}?{urlencode(filters)}" if filters else url


class CohortInvitationImportForm(InvitationImportForm):
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.select_related("course"),
        label="Cohort",
        error_messages={"required": "Choose the cohort to invite these people to."},
    )

    field_order = ["cohort", "file"]


class InvitationAdminMixin(WagtailAdminTemplateMixin):
    header_icon = "mail"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{NAME}:index"), "label": "Invitations"},
            {"url": "", "label": self.page_title},
        ]


class InvitationImportView(InvitationAdminMixin, TemplateView):
    """Every row is checked before anything is saved: all the file's people are invited, or
    nobody is and the page shows each row's problems."""

    template_name = "courses/admin/invitation_import.html"
    page_title = "Invite people from a CSV file"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = CohortInvitationImportForm(initial={"cohort": request.GET.get("cohort")})
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = CohortInvitationImportForm(request.POST, request.FILES)
        report = None
        if form.is_valid():
            cohort = access.get_cohort_for_staff(request.user, form.cleaned_data["cohort"].pk)
            report = csv_import.invitations_import_csv(
                cohort=cohort, upload=form.cleaned_data["file"], invited_by=request.user
            )
            if report.saved:
                messages.success(
                    request, f"{len(report.accepted)} invitations saved and being sent."
                )
                return redirect(invitations_url(cohort))
        context = self.get_context_data(form=form, report=report)
        return self.render_to_response(context, status=400)

    def get_context_data(self, form, report=None, **kwargs):
        context = super().get_context_data(**kwargs)
        cohort = form["cohort"].value()
        cohort = Cohort.objects.filter(pk=cohort).first() if str(cohort or "").isdigit() else None
        context.update(
            form=form,
            report=report,
            cohort=cohort,
            places_left=selectors.cohort_places_left(cohort=cohort) if cohort else None,
            template_url=reverse(f"{NAME}:import_template"),
        )
        return context


def invitation_import_template(request: HttpRequest) -> HttpResponse:
    """An empty CSV file with the columns an import reads, to fill in with a spreadsheet."""
    if not user_is_programme_staff(request.user):
        raise PermissionDenied
    # A byte order mark, so Excel opens the file as UTF-8 and keeps accented names intact.
    response = HttpResponse(
        "\ufeff" + csv_import.invitations_csv_template(),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="invitations-template.csv"'
    return response


class InvitationResendView(InvitationAdminMixin, TemplateView):
    """Asks first, then replaces the invitation's link with a new one and emails it; the link
    in any earlier email stops working."""

    template_name = "courses/admin/invitation_resend.html"
    page_title = "Send a new link"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.invitation = access.get_invitation_for_staff(request.user, kwargs["pk"])

    def get_page_subtitle(self):
        return self.invitation.email

    def get_context_data(self, **kwargs):
        return super().get_context_data(invitation=self.invitation, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            invitation = lifecycle.invitation_resend(
                invitation_id=self.invitation.pk, by=request.user
            )
        except InvitationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"A new invitation was sent to {invitation.email}. The link in any earlier "
                "email no longer works.",
            )
        return redirect(invitations_url(self.invitation.cohort))
