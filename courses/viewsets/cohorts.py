"""Wagtail admin for cohorts (with their training days), enrolments and organisations. Writes
that carry rules go through the services."""

from django import forms
from django.urls import reverse

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

import django_filters

from learning_platform.accounts.models import Organisation, User
from learning_platform.accounts.roles import Role
from learning_platform.accounts.selectors import active_users_with_role
from learning_platform.converters import ID_CONVERTER
from learning_platform.wagtail_admin import SelectRelatedIndexView, with_add_handler

from ..models import Cohort, Enrolment
from ..services import assignments
from ..services import cohorts as services


def _supervisors():
    return active_users_with_role(role=Role.SUPERVISOR)


class ServiceErrorMixin:
    """A rule the service refuses (cohort full, already enrolled) becomes an error on the form,
    with what was entered kept, rather than a server error."""

    service_errors: tuple[type[Exception], ...] = ()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except self.service_errors as error:
            form.add_error(None, str(error))
            # Wagtail sets this only when form.is_valid() fails; form_invalid reads it.
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


# Cohorts ------------------------------------------------------------------------------------


class CohortAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "supervisors" in self.fields:
            self.fields["supervisors"].queryset = _supervisors()
            self.fields["supervisors"].help_text = "Only people in the Supervisor group."

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be on or after the start date.")
        return cleaned


class CohortFilterSet(WagtailFilterSet):
    class Meta:
        model = Cohort
        fields = {"status": ["exact"], "course": ["exact"], "start_date": ["gte", "lte"]}


class CohortIndexView(SelectRelatedIndexView):
    select_related = ("course",)


class CohortViewSet(ModelViewSet):
    pk_path_converter = ID_CONVERTER
    model = Cohort
    name = "cohorts"
    index_view_class = CohortIndexView
    url_prefix = "programme/cohorts"
    icon = "group"
    menu_label = "Cohorts"
    add_to_admin_menu = False
    copy_view_enabled = False
    filterset_class = CohortFilterSet
    search_fields = ["name", "funding_strand"]
    search_backend_name = None
    list_display = [
        "name",
        "course",
        "start_date",
        "end_date",
        "status",
        "capacity",
        TitleColumn(
            "cohort_page",
            label="Run the cohort",
            accessor=lambda cohort: "Register, invitations, progress",
            get_url=lambda cohort: reverse("courses:cohort_detail", args=[cohort.pk]),
        ),
    ]
    list_export = ["name", "course", "funding_strand", "start_date", "end_date", "status"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("course"),
            FieldPanel("funding_strand"),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")], heading="Dates"),
            FieldRowPanel([FieldPanel("capacity"), FieldPanel("status")]),
            FieldPanel("supervisors", widget=forms.CheckboxSelectMultiple),
            InlinePanel(
                "training_days",
                heading="Training days",
                label="Training day",
                panels=[
                    FieldPanel("title"),
                    FieldRowPanel(
                        [FieldPanel("date"), FieldPanel("starts_at"), FieldPanel("ends_at")]
                    ),
                    FieldPanel("venue"),
                    FieldPanel("online_link"),
                ],
            ),
        ],
        base_form_class=CohortAdminForm,
    )


# Enrolments ---------------------------------------------------------------------------------


class EnrolmentFilterSet(WagtailFilterSet):
    supervisor = django_filters.ModelChoiceFilter(
        queryset=lambda request: _supervisors(), label="Supervisor"
    )

    class Meta:
        model = Enrolment
        fields = {"cohort": ["exact"], "status": ["exact"]}


class EnrolmentCreateForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = _supervisors()
        self.fields["user"].queryset = User.objects.filter(is_active=True)
        self.fields[
            "user"
        ].help_text = (
            "Someone who already has an account. To bring in someone new, send an invitation."
        )


class EnrolmentEditForm(WagtailAdminModelForm):
    new_status = forms.ChoiceField(
        label="Change status",
        required=False,
        help_text="Leave blank to keep the current status.",
    )
    reason = forms.CharField(
        label="Reason for the change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when withdrawing or deferring. Kept in the history.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        enrolment = self.instance
        self.fields["supervisor"].queryset = _supervisors()
        # This cohort's enrolments only: someone who withdrew from another cohort is still a
        # trainee here.
        self.fields["review_partner"].queryset = User.objects.filter(
            pk__in=Enrolment.objects.filter(cohort_id=enrolment.cohort_id)
            .exclude(status=Enrolment.Status.WITHDRAWN)
            .exclude(user_id=enrolment.user_id)
            .values("user_id")
        )
        self.fields[
            "review_partner"
        ].help_text = "Another trainee in this cohort. Their enrolment is paired back to this one."
        allowed = services.ENROLMENT_TRANSITIONS[enrolment.status]
        self.fields["new_status"].choices = [("", "No change")] + [
            (value, label) for value, label in Enrolment.Status.choices if value in allowed
        ]
        self.fields[
            "new_status"
        ].help_text = f"Now {enrolment.get_status_display().lower()}. Leave blank to keep it."

    def clean(self):
        cleaned = super().clean()
        new_status = cleaned.get("new_status")
        if new_status in services.REASON_REQUIRED and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Give a reason for withdrawing or deferring.")
        return cleaned


class EnrolmentCreateView(ServiceErrorMixin, generic.CreateView):
    service_errors = (services.EnrolmentError,)

    def save_instance(self):
        data = self.form.cleaned_data
        return services.enrolment_create(
            user=data["user"],
            cohort=data["cohort"],
            supervisor=data.get("supervisor"),
            by=self.request.user,
        )


class EnrolmentEditView(ServiceErrorMixin, generic.EditView):
    service_errors = (services.EnrolmentError,)

    def save_instance(self):
        data, enrolment = self.form.cleaned_data, self.object
        if {"supervisor", "review_partner"} & set(self.form.changed_data):
            assignments.enrolment_assign(
                enrolment=enrolment,
                supervisor=data.get("supervisor"),
                review_partner=data.get("review_partner"),
                by=self.request.user,
            )
        if data.get("new_status"):
            services.enrolment_transition(
                enrolment=enrolment,
                to_status=data["new_status"],
                user=self.request.user,
                reason=data.get("reason", ""),
            )
        return Enrolment.objects.get(pk=enrolment.pk)


class EnrolmentIndexView(SelectRelatedIndexView):
    select_related = ("user", "cohort", "supervisor", "review_partner")


class EnrolmentViewSet(ModelViewSet):
    pk_path_converter = ID_CONVERTER
    model = Enrolment
    name = "enrolments"
    url_prefix = "programme/enrolments"
    icon = "user"
    menu_label = "Enrolments"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = EnrolmentIndexView
    add_view_class = EnrolmentCreateView
    edit_view_class = EnrolmentEditView
    filterset_class = EnrolmentFilterSet
    search_fields = ["user__full_name", "user__email", "cohort__name"]
    search_backend_name = None
    list_display = ["user", "cohort", "status", "supervisor", "review_partner", "updated_at"]
    list_export = ["user", "cohort", "status", "supervisor", "review_partner"]
    add_handler = ObjectList(
        [FieldPanel("user"), FieldPanel("cohort"), FieldPanel("supervisor")],
        base_form_class=EnrolmentCreateForm,
    )
    edit_handler = ObjectList(
        [
            FieldPanel("supervisor"),
            FieldPanel("review_partner"),
            MultiFieldPanel([FieldPanel("new_status"), FieldPanel("reason")], heading="Status"),
        ],
        base_form_class=EnrolmentEditForm,
    )

    def get_add_view_kwargs(self, **kwargs):
        return with_add_handler(self, super().get_add_view_kwargs, **kwargs)


# Organisations ------------------------------------------------------------------------------


class OrganisationViewSet(ModelViewSet):
    pk_path_converter = ID_CONVERTER
    model = Organisation
    name = "organisations"
    url_prefix = "programme/organisations"
    icon = "site"
    menu_label = "Organisations"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_filter = ["kind", "region"]
    search_fields = ["name", "region"]
    search_backend_name = None
    list_display = ["name", "kind", "region"]
    form_fields = ["name", "kind", "region"]
