from django.apps import AppConfig


class AccreditationConfig(AppConfig):
    name = "accreditation"
    verbose_name = "Accreditation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from courses.selectors.activity import register_activity

        from . import signals
        from .selectors.activity import trainee_activity_sources, trainee_has_nothing_left_to_do

        # Accreditation work counts as the trainee's activity for the inactivity reminders.
        register_activity(
            sources=trainee_activity_sources, nothing_left_to_do=trainee_has_nothing_left_to_do
        )
        # Changes to certificates and their holders drop the cached public pages.
        signals.connect()
