from django.db import models

from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from courses.blocks import ModuleBodyBlock


class CourseIndexPage(Page):
    intro = RichTextField(blank=True)

    subpage_types = ["courses.CoursePage"]
    max_count = 1


class CoursePage(Page):
    overview = RichTextField(blank=True)
    learning_outcomes = RichTextField(blank=True)
    audience = models.CharField(max_length=255, blank=True)
    format = models.CharField(
        max_length=255,
        blank=True,
        help_text='For example "4 days face-to-face in two blocks, then a supervised review".',
    )

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]


class ModulePage(Page):
    """A module; its overview is public, its body is for enrolled trainees and staff."""

    overview = models.TextField(blank=True, help_text="Public summary of the module.")
    estimated_minutes = models.PositiveIntegerField(null=True, blank=True)
    body = StreamField(ModuleBodyBlock(), blank=True)
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="required_by",
        help_text="Modules a trainee must complete before starting this one.",
    )

    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
