from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from modelcluster.fields import ParentalManyToManyField

from courses.blocks import ModuleBodyBlock


class CourseIndexPage(Page):
    intro = RichTextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    subpage_types = ["courses.CoursePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = CoursePage.objects.child_of(self).live().public()
        return context


class CoursePage(Page):
    overview = RichTextField(blank=True)
    learning_outcomes = RichTextField(blank=True)
    audience = models.CharField(max_length=255, blank=True)
    format = models.CharField(
        max_length=255,
        blank=True,
        help_text='For example "4 days face-to-face in two blocks, then a supervised review".',
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("overview"),
        MultiFieldPanel(
            [FieldPanel("audience"), FieldPanel("format")],
            heading="Who it is for and how it runs",
        ),
        FieldPanel("learning_outcomes"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("overview"),
        index.SearchField("learning_outcomes"),
        index.SearchField("audience"),
        # What the course page itself shows of each module, so anyone can find the course by
        # a module's title or overview (the module page is found only by those who may read
        # its body).
        index.SearchField("module_summaries"),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]

    def modules(self):
        """The course's published modules, in the order they sit in the page tree."""
        return ModulePage.objects.child_of(self).live().defer_streamfields().order_by("path")

    def module_summaries(self) -> str:
        return "\n".join(
            f"{title}\n{overview}"
            for title, overview in self.modules().values_list("title", "overview")
        )

    def get_context(self, request, *args, **kwargs):
        from courses.selectors.progress import course_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_page_context(course=self, user=request.user))
        return context


def validate_prerequisites(*, module: "ModulePage", parent: Page | None, prerequisites) -> None:
    """A prerequisite must be an earlier module of the same course, and never the module itself.

    Requiring only earlier modules also rules out cycles, which would lock trainees out.
    """
    errors = []
    for prerequisite in prerequisites:
        if module.pk and prerequisite.pk == module.pk:
            errors.append("A module cannot be a prerequisite of itself.")
        elif parent is None or not prerequisite.path.startswith(parent.path):
            errors.append(f"“{prerequisite.title}” is not a module of this course.")
        elif module.path and prerequisite.path > module.path:
            errors.append(
                f"“{prerequisite.title}” comes after this module; only earlier modules can be "
                "prerequisites."
            )
    if errors:
        raise ValidationError({"prerequisites": errors})


class ModulePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.parent_page
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        self.course = parent
        if "prerequisites" in self.fields:
            choices = ModulePage.objects.none()
            if parent is not None:
                choices = ModulePage.objects.child_of(parent).order_by("path")
                if self.instance.pk:
                    choices = choices.exclude(pk=self.instance.pk)
            self.fields["prerequisites"].queryset = choices

    def clean(self):
        cleaned_data = super().clean()
        prerequisites = cleaned_data.get("prerequisites")
        if prerequisites:
            try:
                validate_prerequisites(
                    module=self.instance, parent=self.course, prerequisites=prerequisites
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


class ModulePage(Page):
    """A module; its overview is public, its body is for enrolled trainees and staff."""

    overview = models.TextField(blank=True, help_text="Public summary of the module.")
    estimated_minutes = models.PositiveIntegerField(null=True, blank=True)
    body = StreamField(ModuleBodyBlock(), blank=True)
    prerequisites = ParentalManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="required_by",
        help_text="Modules a trainee must complete before starting this one.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("overview"),
        FieldPanel("estimated_minutes"),
        FieldPanel(
            "prerequisites",
            widget=forms.CheckboxSelectMultiple,
            help_text="Earlier modules of this course that a trainee must complete first.",
        ),
        FieldPanel("body"),
    ]
    # The body is indexed too (its text, reflective questions and knowledge checks): site search
    # shows a module only to those who may read its body (courses.wagtail_hooks).
    search_fields = [
        *Page.search_fields,
        index.SearchField("overview"),
        index.SearchField("body"),
    ]

    base_form_class = ModulePageForm
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    def serve(self, request, *args, **kwargs):
        from courses.views.learning import module_page

        return module_page(request, self)

    def get_context(self, request, *args, **kwargs):
        # Used by Wagtail's preview; a served page builds the same context in its view.
        from courses.module_page import module_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(module_page_context(user=request.user, module=self))
        return context

    def required_block_ids(self) -> tuple[set[str], set[str]]:
        """The ids of the knowledge checks and of the reflective questions in the body.

        Reads the raw stream, so no chooser block (a document) is fetched from the database.
        """
        checks, reflections = set(), set()
        for item in self.body.raw_data:
            if item["type"] == "knowledge_check":
                checks.add(item.get("id"))
            elif item["type"] == "reflective_question":
                reflections.add(item.get("id"))
        return checks, reflections

    def find_block(self, *, block_id: str, block_type: str):
        """The body's block with this id and type, or None."""
        for i, item in enumerate(self.body.raw_data):
            if item.get("id") == block_id and item["type"] == block_type:
                return self.body[i]
        return None
