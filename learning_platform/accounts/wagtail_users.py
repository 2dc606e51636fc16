"""The Wagtail admin's user screens, fitted to our User: one full name, organisation, job title."""

from django.urls import path, reverse

from wagtail.admin.widgets.button import Button
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import EditView, UserViewSet

from learning_platform.converters import ID_CONVERTER

from .models import User
from .personal_data.admin_views import UserEraseView
from .roles import user_is_programme_staff

_PROFILE_FIELDS = {"full_name", "organisation", "job_title"}


class AccountUserCreationForm(UserCreationForm):
    first_name = None
    last_name = None

    class Meta(UserCreationForm.Meta):
        model = User
        fields = {"email", "is_superuser", "groups"} | _PROFILE_FIELDS


class AccountUserEditForm(UserEditForm):
    first_name = None
    last_name = None

    class Meta(UserEditForm.Meta):
        model = User
        fields = {"email", "is_active", "is_superuser", "groups"} | _PROFILE_FIELDS


class AccountUserEditView(EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        person, admin = self.object, self.request.user
        if user_is_programme_staff(admin) and person.erased_at is None and person.pk != admin.pk:
            buttons.append(
                Button(
                    "Erase personal data",
                    url=reverse("wagtailusers_users:erase", args=[self.object.pk]),
                    icon_name="warning",
                    priority=90,
                )
            )
        return buttons


class AccountUserViewSet(UserViewSet):
    pk_path_converter = ID_CONVERTER
    create_template_name = "accounts/wagtail_users/create.html"
    edit_template_name = "accounts/wagtail_users/edit.html"
    edit_view_class = AccountUserEditView

    @property
    def erase_view(self):
        return UserEraseView.as_view(
            index_url_name=self.get_url_name("index"),
            edit_url_name=self.get_url_name("edit"),
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(f"erase/<{self.pk_path_converter}:pk>/", self.erase_view, name="erase"),
        ]

    def get_form_class(self, for_update: bool = False):
        return AccountUserEditForm if for_update else AccountUserCreationForm
