"""The programme's phases and its publications (reports, guides, leaflets)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import BodyBlock
from .pages import CONTENT_SEARCH_FIELDS

# Page methods import ..selectors inside the method body, because it imports these models.


class ProgrammePhase(models.IntegerChoices):
    PRELIMINARY_EXPLORATIONS = 1, "Phase 1: Preliminary explorations"
    ADAPTED_MODEL = 2, "Phase 2: Developing the adapted model"
    EVIDENCE_BASE = 3, "Phase 3: Developing the evidence base"
    REVIEWER_POOL = 4, "Phase 4: Building a pool of trained reviewers"


class PublicationType(models.TextChoices):
    REPORT = "report", "Report"
    GUIDE = "guide", "Guide"
    AT_A_GLANCE = "at_a_glance", "At a glance"
    INFORMATION = "information", "Information"


class ProgrammePhasePage(Page):
    """One phase of the programme's development, with the publications it produced."""

    phase_number = models.PositiveSmallIntegerField(choices=ProgrammePhase.choices)
    is_current = models.BooleanField(
        default=False, help_text="Show this phase as the programme's current work."
    )
    intro = models.TextField(blank=True, help_text="The opening paragraph under the title.")
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("phase_number"), FieldPanel("is_current")]),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        *CONTENT_SEARCH_FIELDS,
        index.FilterField("phase_number"),
    ]

    parent_page_types = ["content.HomePage", "content.StandardPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "programme phase page"

    def clean(self):
        super().clean()
        clash = (
            ProgrammePhasePage.objects.filter(phase_number=self.phase_number)
            .exclude(pk=self.pk)
            .exclude(alias_of__isnull=False)
        )
        if self.phase_number and clash.exists():
            raise ValidationError({"phase_number": "Another page already describes this phase."})

    @property
    def phase_label(self) -> str:
        return ProgrammePhase(self.phase_number).label

    def get_context(self, request, *args, **kwargs):
        from ..selectors import publications_for_phase

        context = super().get_context(request, *args, **kwargs)
        context["publications"] = publications_for_phase(phase=self.phase_number)
        return context


class PublicationIndexPage(Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    subpage_types = ["content.PublicationPage"]

    def get_context(self, request, *args, **kwargs):
        from ..selectors import paginate, publications_in_index

        context = super().get_context(request, *args, **kwargs)
        chosen_type = request.GET.get("type", "")
        if chosen_type not in PublicationType.values:
            chosen_type = ""
        publications = publications_in_index(index=self, publication_type=chosen_type or None)
        context["publication_types"] = PublicationType.choices
        context["chosen_type"] = chosen_type
        context["publications"] = paginate(
            items=publications, page_number=request.GET.get("page"), per_page=20
        )
        return context


class PublicationPage(Page):
    """A report, guide or leaflet; the file itself is a Wagtail document."""

    reference = models.CharField(
        max_length=100, blank=True, help_text='The series and number, e.g. "SCIE Report 49".'
    )
    publication_type = models.CharField(max_length=20, choices=PublicationType.choices)
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    summary = models.TextField(help_text="A few sentences: who it is for and what it says.")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The publication's file, usually a PDF.",
    )
    phase = models.PositiveSmallIntegerField(
        choices=ProgrammePhase.choices,
        null=True,
        blank=True,
        help_text="The programme phase this publication came out of, if any.",
    )
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("reference"), FieldPanel("publication_type")]),
                FieldRowPanel([FieldPanel("year"), FieldPanel("phase")]),
            ],
            heading="About this publication",
        ),
        FieldPanel("summary"),
        FieldPanel("document"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("reference"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("publication_type"),
        index.FilterField("year"),
    ]

    parent_page_types = ["content.PublicationIndexPage"]
    subpage_types: list[str] = []

    @property
    def publication_type_label(self) -> str:
        return PublicationType(self.publication_type).label
