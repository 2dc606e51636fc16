from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses and cohorts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .models import ModulePage
        from .signals import reindex_course_of_module

        # Saving a page also happens when it is published, unpublished, added or moved.
        for signal in (post_save, post_delete):
            signal.connect(reindex_course_of_module, sender=ModulePage)
