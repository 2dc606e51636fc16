"""The Wagtail admin's "Erase personal data" screen for a user."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import FormView

from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin

from allauth.account.decorators import reauthentication_required

from ..models import User
from ..roles import user_is_programme_staff
from .erasure import ErasureRefused, user_erase, user_erasure_refusal
from .forms import ErasureConfirmForm
from .summary import user_erasure_summary


class UserEraseView(BaseObjectMixin, WagtailAdminTemplateMixin, FormView):
    model = User
    form_class = ErasureConfirmForm
    template_name = "accounts/wagtail_users/erase.html"
    page_title = "Erase personal data"
    header_icon = "warning"
    index_url_name = ""
    edit_url_name = ""

    def dispatch(self, request, *args, **kwargs):
        # Programme administrators and superusers only; the MFA middleware has already made
        # sure they set up two-factor authentication.
        if not user_is_programme_staff(request.user):
            raise PermissionDenied
        return self.dispatch_reauthenticated(request, *args, **kwargs)

    # The password is asked again, as before an export: erasure cannot be undone, so a session
    # left open at someone's desk must not be enough. After the permission check, so that
    # anyone else is refused outright rather than asked for a password first.
    @method_decorator(reauthentication_required)
    def dispatch_reauthenticated(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return self.object.full_name or self.object.email

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": "Users"},
            {"url": reverse(self.edit_url_name, args=[self.object.pk]), "label": str(self.object)},
            {"url": "", "label": self.page_title},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "expected_email": self.object.email}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        refusal = user_erasure_refusal(user=self.object, by=self.request.user)
        context.update(
            person=self.object,
            refusal=refusal,
            summary=None if refusal else user_erasure_summary(self.object),
            cancel_url=reverse(self.edit_url_name, args=[self.object.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        refusal = user_erasure_refusal(user=self.object, by=request.user)
        if refusal:
            messages.error(request, refusal)
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user_id = self.object.pk
        try:
            user_erase(user=self.object, by=self.request.user)
        except ErasureRefused as refusal:
            messages.error(self.request, str(refusal))
            return redirect(self.request.path)
        messages.success(
            self.request,
            f"The personal data of user #{user_id} has been erased. The account is now "
            f"“Erased user #{user_id}” and cannot sign in.",
        )
        return redirect(self.index_url_name)
