from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses and cohorts"
    default_auto_field = "django.db.models.BigAutoField"
