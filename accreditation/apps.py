from django.apps import AppConfig


class AccreditationConfig(AppConfig):
    name = "accreditation"
    verbose_name = "Accreditation"
    default_auto_field = "django.db.models.BigAutoField"
