from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Public site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals

        # Publishing, moving or deleting a page drops the cached public pages.
        signals.connect()
