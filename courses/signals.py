from wagtail.models import Page
from wagtail.search import index


def reindex_course_of_module(sender, instance, **kwargs):
    """A course page is indexed with its modules' titles and overviews: keep them current."""
    if kwargs.get("raw") or not instance.path:
        return
    course = Page.objects.filter(path=instance.path[: -instance.steplen]).specific().first()
    if course is not None:
        index.insert_or_update_object(course)
