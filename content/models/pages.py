"""The home page, section pages and the legal pages (accessibility, privacy, cookies)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import BodyBlock

# Page methods import ..selectors inside the method body, because it imports these models.


class LegalPageKind(models.TextChoices):
    ACCESSIBILITY = "accessibility", "Accessibility statement"
    PRIVACY = "privacy", "Privacy notice"
    COOKIES = "cookies", "Cookies"


# What most pages index besides the title: their opening paragraph and their body.
CONTENT_SEARCH_FIELDS = [index.SearchField("intro"), index.SearchField("body")]


class HomePage(Page):
    intro = models.TextField(blank=True, help_text="The opening paragraph under the title.")
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, *CONTENT_SEARCH_FIELDS]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from ..selectors import news_index_within, news_latest, programme_phases

        context = super().get_context(request, *args, **kwargs)
        phases = programme_phases(within=self)
        context["latest_news"] = news_latest(within=self, limit=3)
        context["news_index"] = news_index_within(within=self)
        context["current_phases"] = [phase for phase in phases if phase.is_current]
        context["previous_phases"] = [phase for phase in phases if not phase.is_current]
        return context


class StandardPage(Page):
    intro = models.TextField(blank=True, help_text="The opening paragraph under the title.")
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, *CONTENT_SEARCH_FIELDS]

    def get_context(self, request, *args, **kwargs):
        from ..selectors import section_pages

        context = super().get_context(request, *args, **kwargs)
        context["section_pages"] = section_pages(parent=self)
        return context


class LegalPage(Page):
    """The accessibility statement, the privacy notice or the cookies page.

    Every page's footer links to each kind through a fixed address (``legal_<kind>``) that finds
    the live page of that kind, so the links keep working when an editor renames or moves one.
    """

    kind = models.CharField(
        max_length=20,
        choices=LegalPageKind.choices,
        help_text="The footer of every page links to the page of each kind.",
    )
    last_updated = models.DateField(
        default=datetime.date.today,
        help_text="Shown under the title. Change it whenever the content changes.",
    )
    intro = models.TextField(blank=True, help_text="The opening paragraph under the title.")
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("last_updated")]),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, *CONTENT_SEARCH_FIELDS]

    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "legal page"

    def clean(self):
        super().clean()
        clash = (
            LegalPage.objects.filter(kind=self.kind)
            .exclude(pk=self.pk)
            .exclude(alias_of__isnull=False)
        )
        if self.kind and clash.exists():
            raise ValidationError(
                {"kind": f"Another page is already the {LegalPageKind(self.kind).label.lower()}."}
            )
