from django.urls import reverse

from wagtail import hooks
from wagtail.admin.widgets.button import Button

from .bulk_actions import AccountSetActiveStateBulkAction
from .personal_data.erasure import ERASE_ACTION
from .roles import user_is_programme_staff

# Registered after Wagtail's own action of the same type (hooks run in `order`), which it replaces.
hooks.register("register_bulk_action", AccountSetActiveStateBulkAction, order=100)


@hooks.register("register_user_listing_buttons")
def erase_personal_data_button(user, request_user):
    if (
        user.erased_at is not None
        or user.pk == request_user.pk
        or not user_is_programme_staff(request_user)
    ):
        return []
    return [
        Button(
            "Erase personal data",
            url=reverse("wagtailusers_users:erase", args=[user.pk]),
            icon_name="warning",
            priority=90,
        )
    ]


@hooks.register("register_log_actions")
def register_account_log_actions(actions):
    actions.register_action(ERASE_ACTION, "User: erase personal data", "Personal data erased")


@hooks.register("register_account_menu_item")
def sign_in_details_menu_item(request):
    # The admin's own account page no longer changes the email address or password (see the
    # WAGTAIL_*_ENABLED settings); this points staff to the pages that do, safely.
    return {
        "url": reverse("account_email"),
        "label": "Change email address",
        "help_text": "Your sign-in address: the new one is confirmed by email before it is used.",
    }


@hooks.register("register_account_menu_item")
def password_menu_item(request):
    return {
        "url": reverse("account_change_password"),
        "label": "Change password",
        "help_text": "You will be asked for your current password.",
    }
