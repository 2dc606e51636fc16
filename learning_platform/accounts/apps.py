from django.apps import AppConfig

from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    name = "learning_platform.accounts"
    label = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"
    # apps.py holds two AppConfigs; without this Django would pick neither for the app.
    default = True

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import signals
        from .roles import sync_role_permissions

        signals.connect()
        post_migrate.connect(sync_role_permissions, dispatch_uid="accounts_sync_role_permissions")


class AccountUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms for our User model."""

    user_viewset = "learning_platform.accounts.wagtail_users.AccountUserViewSet"
