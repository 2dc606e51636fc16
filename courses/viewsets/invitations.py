"""Wagtail admin for invitations: the list of every cohort's invitations by state, and making
one. Making one goes through the invitation service, which checks and sends it."""

from django import forms

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

import django_filters

from learning_platform.converters import ID_CONVERTER
from learning_platform.wagtail_admin import SelectRelatedIndexView, with_add_handler

from ..models import Invitation
from ..services.invitations.checks import InvitationError
from ..services.invitations.lifecycle import invitation_create
from .cohorts import ServiceErrorMixin


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
    pass


class InvitationCreateView(ServiceErrorMixin, generic.CreateView):
    service_errors = (InvitationError,)

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
        "expires_at",
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
