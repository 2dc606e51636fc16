"""News: an index page listing news pages, newest first."""

import datetime

from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import BodyBlock
from .pages import CONTENT_SEARCH_FIELDS

# Page methods import ..selectors inside the method body, because it imports these models.


class NewsIndexPage(Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    subpage_types = ["content.NewsPage"]

    class Meta:
        verbose_name = "news index page"

    def get_context(self, request, *args, **kwargs):
        from ..selectors import news_in_index, paginate

        context = super().get_context(request, *args, **kwargs)
        context["news_items"] = paginate(
            items=news_in_index(index=self), page_number=request.GET.get("page")
        )
        return context


class NewsPage(Page):
    date = models.DateField("date published", default=datetime.date.today)
    intro = models.TextField(help_text="One or two sentences; shown in lists of news too.")
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, *CONTENT_SEARCH_FIELDS, index.FilterField("date")]

    parent_page_types = ["content.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "news page"
