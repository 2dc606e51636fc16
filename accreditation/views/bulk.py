"""Bulk certificate issuance in the Wagtail admin: choose a cohort's approved applications, issue
or re-render their certificates, follow the job's progress, and download the ZIP of the PDFs.

Programme staff only. The Wagtail admin turns away anyone without admin access; these views also
refuse (403) anyone in the admin who is not programme staff."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.views.generic import TemplateView

from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

import learning_platform.converters  # noqa: F401 (registers <id:...>)
from learning_platform.accounts.roles import user_is_programme_staff

from ..access import get_bulk_issue_for_user, get_cohort_for_bulk_issue
from ..exceptions import TransitionError
from ..models import BulkIssue
from ..selectors.bulk import (
    bulk_issue_failures,
    bulk_issue_progress,
    bulk_issues_recent,
    cohort_approved_applications,
    cohorts_for_bulk_issue,
)
from ..services.bulk import (
    bulk_issue_retry_failed,
    bulk_issue_start_for_applications,
    bulk_issue_start_for_cohort,
)
from .downloads import private_download

NAME = "bulk_issues"


def _url(view: str, *args) -> str:
    return reverse(f"{NAME}:{view}", args=args)


class BulkIssueForm(forms.Form):
    kind = forms.ChoiceField(
        label="What to do",
        choices=BulkIssue.Kind.choices,
        widget=forms.RadioSelect,
        initial=BulkIssue.Kind.ISSUE,
        error_messages={"required": "Choose whether to issue certificates or re-render PDFs."},
    )
    scope = forms.ChoiceField(
        label="Which applications",
        choices=[
            ("selected", "The applications I select below"),
            ("cohort", "The whole cohort (every approved application this action applies to)"),
        ],
        widget=forms.RadioSelect,
        initial="selected",
        error_messages={"required": "Choose the selected applications or the whole cohort."},
    )


class StaffOnlyMixin(WagtailAdminTemplateMixin):
    header_icon = "clipboard-list"

    def dispatch(self, request, *args, **kwargs):
        if not user_is_programme_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": _url("index"), "label": "Certificates in bulk"},
            *self.extra_breadcrumbs(),
        ]

    def extra_breadcrumbs(self) -> list[dict]:
        return []


class IndexView(StaffOnlyMixin, TemplateView):
    template_name = "accreditation/bulk/index.html"
    page_title = "Certificates in bulk"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cohorts=cohorts_for_bulk_issue(), jobs=bulk_issues_recent(), **kwargs
        )


class StartView(StaffOnlyMixin, TemplateView):
    template_name = "accreditation/bulk/start.html"
    page_title = "Issue certificates in bulk"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.cohort = None

    def get_cohort(self):
        if self.cohort is None:
            self.cohort = get_cohort_for_bulk_issue(self.request.user, self.kwargs["pk"])
        return self.cohort

    def get_page_subtitle(self):
        return str(self.get_cohort())

    def extra_breadcrumbs(self):
        return [{"url": "", "label": str(self.get_cohort())}]

    def get_context_data(self, form=None, error="", selected=(), **kwargs):
        applications = list(cohort_approved_applications(cohort=self.get_cohort()))
        return super().get_context_data(
            cohort=self.get_cohort(),
            form=form or BulkIssueForm(),
            applications=applications,
            error=error,
            selected={str(pk) for pk in selected},
            **kwargs,
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = BulkIssueForm(request.POST)
        raw = request.POST.getlist("applications")
        if not form.is_valid():
            error = " ".join(m for errors in form.errors.values() for m in errors)
            return self.render_to_response(
                self.get_context_data(form=form, error=error, selected=raw)
            )
        try:
            selected = None if form.cleaned_data["scope"] == "cohort" else [int(v) for v in raw]
        except ValueError:
            return self.render_to_response(
                self.get_context_data(
                    form=form, error="The selection was not understood; choose again."
                )
            )
        kind = form.cleaned_data["kind"]
        try:
            if selected is None:
                bulk = bulk_issue_start_for_cohort(
                    cohort=self.get_cohort(), by=request.user, kind=kind
                )
            else:
                bulk = bulk_issue_start_for_applications(
                    cohort=self.get_cohort(), application_ids=selected, by=request.user, kind=kind
                )
        except TransitionError as error:
            return self.render_to_response(
                self.get_context_data(form=form, error=str(error), selected=raw)
            )
        messages.success(
            request, f"Started: {bulk.get_kind_display().lower()} for {bulk.total} application(s)."
        )
        return redirect(_url("detail", bulk.pk))


class JobMixin(StaffOnlyMixin):
    def get_bulk(self) -> BulkIssue:
        if not hasattr(self, "_bulk"):
            self._bulk = get_bulk_issue_for_user(self.request.user, self.kwargs["pk"])
        return self._bulk

    def get_page_subtitle(self):
        bulk = self.get_bulk()
        return f"{bulk.cohort}, {date_format(localtime(bulk.created_at), 'DATETIME_FORMAT')}"

    def extra_breadcrumbs(self):
        return [{"url": "", "label": f"Job {self.get_bulk().pk}"}]


class DetailView(JobMixin, TemplateView):
    template_name = "accreditation/bulk/detail.html"
    page_title = "Bulk issue"

    def get_context_data(self, **kwargs):
        bulk = self.get_bulk()
        return super().get_context_data(
            bulk=bulk,
            progress=bulk_issue_progress(bulk=bulk),
            failures=bulk_issue_failures(bulk=bulk),
            status_url=_url("status", bulk.pk),
            detail_url=_url("detail", bulk.pk),
            download_url=_url("download", bulk.pk),
            retry_url=_url("retry", bulk.pk),
            **kwargs,
        )


class RetryView(JobMixin, TemplateView):
    """GET asks to confirm; POST puts the failed items back in the queue."""

    template_name = "accreditation/bulk/retry.html"
    page_title = "Retry failed items"

    def get_context_data(self, **kwargs):
        bulk = self.get_bulk()
        return super().get_context_data(
            bulk=bulk, progress=bulk_issue_progress(bulk=bulk), **kwargs
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        bulk = self.get_bulk()
        try:
            count = bulk_issue_retry_failed(bulk=bulk, by=request.user)
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{count} failed item(s) are queued again.")
        return redirect(_url("detail", bulk.pk))


def status(request: HttpRequest, pk: int) -> JsonResponse:
    if not user_is_programme_staff(request.user):
        raise PermissionDenied
    bulk = get_bulk_issue_for_user(request.user, pk)
    progress = bulk_issue_progress(bulk=bulk)
    response = JsonResponse(
        {
            "id": bulk.pk,
            "kind": bulk.kind,
            "status": progress.status,
            "status_label": progress.status_label,
            "total": progress.total,
            "done": progress.done,
            "failed": progress.failed,
            "pending": progress.total - progress.settled,
            "percent": progress.percent,
            "finished": progress.finished,
            "zip_url": _url("download", bulk.pk) if progress.has_zip else None,
            "failures": [
                {
                    "application": item.application_id,
                    "trainee": item.application.trainee.get_full_name(),
                    "error": item.error,
                }
                for item in bulk_issue_failures(bulk=bulk)
            ],
        }
    )
    response["Cache-Control"] = "no-store"
    return response


def download(request: HttpRequest, pk: int) -> FileResponse:
    if not user_is_programme_staff(request.user):
        raise PermissionDenied
    bulk = get_bulk_issue_for_user(request.user, pk)
    return private_download(
        bulk.zip_file,
        filename=(bulk.zip_file.name or "").rsplit("/", 1)[-1],
        content_type="application/zip",
    )


class BulkIssueMenuItem(MenuItem):
    def is_shown(self, request):
        return user_is_programme_staff(request.user)


class BulkIssueViewSet(ViewSet):
    name = NAME
    url_prefix = "accreditation/bulk-issues"
    icon = "clipboard-list"
    menu_label = "Certificates in bulk"
    menu_item_class = BulkIssueMenuItem

    def get_urlpatterns(self):
        return [
            path("", IndexView.as_view(), name="index"),
            path("cohorts/<id:pk>/", StartView.as_view(), name="start"),
            path("<id:pk>/", DetailView.as_view(), name="detail"),
            path("<id:pk>/status/", status, name="status"),
            path("<id:pk>/download/", download, name="download"),
            path("<id:pk>/retry/", RetryView.as_view(), name="retry"),
        ]
