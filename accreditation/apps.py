from django.apps import AppConfig


class AccreditationConfig(AppConfig):
    name = "accreditation"
    verbose_name = "Accreditation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the digest email's extra template variables with the notifications app.
        from . import notification_texts  # noqa: F401
