"""Wagtail admin for invitations, the one screen where staff invite people: the list of every
cohort's invitations by cohort and state, inviting one person, inviting a CSV file of people,
sending a fresh link and withdrawing an invitation. Making one goes through the invitation
service, which checks and sends it."""

from django import forms
from django.urls import path, reverse
from django.utils.html import format_html

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

import django_filters

from learning_platform.converters import ID_CONVERTER
from learning_platform.wagtail_admin import SelectRelatedIndexView, with_add_handler

from ..models import Invitation
from ..services.invitations.checks import InvitationError, invitation_expiry_days
from ..services.invitations.lifecycle import invitation_create
from ..validators import reject_control_characters
from .cohorts import ServiceErrorMixin
from .invitation_actions import (
    InvitationImportView,
    InvitationResendView,
    invitation_import_template,
)


class InvitationStateFilter(django_filters.ChoiceFilter):
    def __init__(self, **kwargs):
        super().__init__(
            choices=Invitation.State.choices,
            label="State",
            widget=forms.RadioSelect,
            empty_label="All",
            method=self.filter_state,
            **kwargs,
        )

    @staticmethod
    def filter_state(queryset, name, value):
        return queryset.in_state(value) if value else queryset


class InvitationFilterSet(WagtailFilterSet):
    state = InvitationStateFilter()

    class Meta:
        model = Invitation
        fields = {"cohort": ["exact"]}


class InvitationAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "full_name" in self.fields:
            self.fields["full_name"].validators.append(reject_control_characters("name"))
        if "job_title" in self.fields:
            self.fields["job_title"].validators.append(reject_control_characters("job title"))
        if "email" in self.fields:
            days = invitation_expiry_days()
            self.fields["email"].help_text = (
                "They will get an email with a link that works once and expires after "
                f"{days} day{'' if days == 1 else 's'}."
            )


class InvitationCreateView(ServiceErrorMixin, generic.CreateView):
    """Invite one person. ``?cohort=<id>`` (from the cohort page) chooses the cohort."""

    service_errors = (InvitationError,)
    error_message = "There is a problem: the invitation was not sent."

    def get_initial_form_instance(self):
        cohort = self.request.GET.get("cohort", "")
        return Invitation(cohort_id=int(cohort)) if cohort.isdigit() else None

    def get_success_message(self, instance):
        return f"Invitation sent to {instance.email}."

    def save_instance(self):
        data = self.form.cleaned_data
        return invitation_create(
            cohort=data["cohort"],
            email=data["email"],
            full_name=data["full_name"],
            organisation=data.get("organisation"),
            job_title=data.get("job_title", ""),
            invited_by=self.request.user,
        )


class InvitationIndexView(SelectRelatedIndexView):
    select_related = ("cohort",)

    @property
    def header_buttons(self):
        cohort = self.request.GET.get("cohort", "")
        query = f"?cohort={cohort}" if cohort.isdigit() else ""
        return [
            *super().header_buttons,
            HeaderButton(
                "Invite from a CSV file",
                url=reverse("invitations:import") + query,
                icon_name="upload",
            ),
        ]

    @property
    def add_url(self):
        url = super().add_url
        cohort = self.request.GET.get("cohort", "")
        return f"{url}?cohort={cohort}" if url and cohort.isdigit() else url


def _email_sent(invitation: Invitation):
    return invitation.emailed_at or "Not sent yet"


def _resend_link(invitation: Invitation) -> str:
    if invitation.state != Invitation.State.PENDING:
        return ""
    return format_html(
        '<a class="button button-small button-secondary" href="{}">Send a new link'
        '<span class="w-sr-only"> to {}</span></a>',
        reverse("invitations:resend", args=[invitation.pk]),
        invitation.full_name,
    )


class InvitationViewSet(ModelViewSet):
    pk_path_converter = ID_CONVERTER
    model = Invitation
    name = "invitations"
    url_prefix = "programme/invitations"
    icon = "mail"
    menu_label = "Invitations"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "cohort",
        "full_name",
        "email",
        "organisation",
        "job_title",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
    ]
    index_view_class = InvitationIndexView
    add_view_class = InvitationCreateView
    filterset_class = InvitationFilterSet
    search_fields = ["email", "full_name"]
    search_backend_name = None
    list_display = [
        "email",
        "full_name",
        "cohort",
        Column("state", label="State", accessor=lambda invitation: invitation.state.label),
        Column("emailed_at", label="Email sent", accessor=_email_sent),
        "expires_at",
        Column("resend", label="Link", accessor=_resend_link),
    ]
    list_export = ["email", "full_name", "cohort", "created_at", "expires_at", "accepted_at"]
    add_handler = ObjectList(
        [
            FieldPanel("cohort"),
            FieldPanel("full_name"),
            FieldPanel("email"),
            FieldPanel("organisation"),
            FieldPanel("job_title"),
        ],
        base_form_class=InvitationAdminForm,
    )
    # The cohort and address are fixed once sent: the emailed link belongs to that inbox.
    edit_handler = ObjectList(
        [FieldPanel("full_name"), FieldPanel("organisation"), FieldPanel("job_title")],
        base_form_class=InvitationAdminForm,
    )

    def get_add_view_kwargs(self, **kwargs):
        return with_add_handler(self, super().get_add_view_kwargs, **kwargs)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("import/", InvitationImportView.as_view(), name="import"),
            path("import/template/", invitation_import_template, name="import_template"),
            path(f"<{ID_CONVERTER}:pk>/resend/", InvitationResendView.as_view(), name="resend"),
        ]
