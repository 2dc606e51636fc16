from django.urls import reverse

from wagtail import hooks
from wagtail.admin.widgets.button import Button

from .personal_data.erasure import ERASE_ACTION, user_may_erase


@hooks.register("register_user_listing_buttons")
def erase_personal_data_button(user, request_user):
    if user.erased_at is not None or user.pk == request_user.pk or not user_may_erase(request_user):
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
