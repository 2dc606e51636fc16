"""The Wagtail admin's user screens, fitted to our User: one full name, organisation, job title."""

from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

from .models import User

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


class AccountUserViewSet(UserViewSet):
    create_template_name = "accounts/wagtail_users/create.html"
    edit_template_name = "accounts/wagtail_users/edit.html"

    def get_form_class(self, for_update: bool = False):
        return AccountUserEditForm if for_update else AccountUserCreationForm
