"""Reads for the public site. Each returns what one page shows, in a fixed number of queries."""

import re
from datetime import datetime

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import connection
from django.urls import reverse

from wagtail import hooks
from wagtail.models import Page, PageQuerySet, Site
from wagtail.search.backends.base import BaseSearchResults
from wagtail.search.query import And, Or, PlainText, SearchQuery

from .models import (
    EnquiryFormPage,
    EnquiryNotification,
    LegalPage,
    LegalPageKind,
    NewsIndexPage,
    NewsPage,
    ProgrammePhasePage,
    PublicationPage,
    enquiry_emails_unsent,
)

SEARCH_RESULTS_PER_PAGE = 10


def enquiries_unsent_ids(*, created_before: datetime, resent_fewer_than: int) -> list[int]:
    """Submissions whose staff e-mail or acknowledgement has not gone, received before
    ``created_before``, that the sweeper has tried fewer than ``resent_fewer_than`` times."""
    return list(
        EnquiryNotification.objects.filter(
            enquiry_emails_unsent(),
            created_at__lt=created_before,
            automatic_resends__lt=resent_fewer_than,
        )
        .order_by("pk")
        .values_list("submission_id", flat=True)
    )


def paginate(*, items, page_number: str | None, per_page: int = 10) -> PaginatorPage:
    """The requested page of items; a missing or nonsense page number gives the nearest page."""
    return Paginator(items, per_page).get_page(page_number)


def news_latest(*, within: Page, limit: int = 3) -> list[NewsPage]:
    return list(
        NewsPage.objects.live().public().descendant_of(within).order_by("-date", "-pk")[:limit]
    )


def news_index_within(*, within: Page) -> NewsIndexPage | None:
    return NewsIndexPage.objects.live().public().descendant_of(within).first()


def news_in_index(*, index: Page) -> PageQuerySet:
    return NewsPage.objects.live().public().child_of(index).order_by("-date", "-pk")


def programme_phases(*, within: Page) -> list[ProgrammePhasePage]:
    return list(
        ProgrammePhasePage.objects.live().public().descendant_of(within).order_by("phase_number")
    )


def publications_for_phase(*, phase: int) -> list[PublicationPage]:
    return list(
        PublicationPage.objects.live()
        .public()
        .filter(phase=phase)
        .select_related("document")
        .order_by("-year", "title")
    )


def publications_in_index(*, index: Page, publication_type: str | None = None) -> PageQuerySet:
    publications = PublicationPage.objects.live().public().child_of(index)
    if publication_type:
        publications = publications.filter(publication_type=publication_type)
    return publications.select_related("document").order_by("-year", "title")


def section_pages(*, parent: Page) -> list[Page]:
    return list(parent.get_children().live().public())


def _word_forms(word: str) -> list[str]:
    """A word with its English singular or plural, so "episode" finds "episodes" and the
    other way round, where the search backend does not stem words itself.

    PostgreSQL's English text search configuration stems words (and drops stop words, so
    adding forms there would turn "what" into a required "whats"); SQLite's full-text index
    keeps every word as written."""
    forms = [word]
    if connection.vendor != "sqlite" or len(word) < 3 or not word.isalpha():
        return forms
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    elif word.endswith("es"):
        forms += [word[:-1], word[:-2]]
    elif word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    else:
        forms.append(word + "s")
        if word.endswith(("s", "x", "z", "ch", "sh")):
            forms.append(word + "es")
        elif word.endswith("y") and word[-2] not in "aeiou":
            forms.append(word[:-1] + "ies")
    return forms


def site_search_query(*, text: str) -> SearchQuery | None:
    """Every word must match, in any of its forms; None when there is no word to look for."""
    words = re.findall(r"\w+", text.lower())
    if not words:
        return None
    terms = []
    for word in words:
        forms = _word_forms(word)
        terms.append(Or([PlainText(form) for form in forms]) if len(forms) > 1 else PlainText(word))
    return And(terms) if len(terms) > 1 else terms[0]


def search_pages(*, query: str, site: Site | None, user) -> BaseSearchResults | list:
    """Live, public pages of this site that match the query and that this person may read,
    best match first.

    Apps that index text not everyone may read (module bodies, for one) register a
    ``hide_from_site_search`` hook: given the person, it returns a filter matching the pages
    to leave out for them.
    """
    search_query = site_search_query(text=query)
    if search_query is None or site is None:
        return []
    pages = Page.objects.live().public().descendant_of(site.root_page, inclusive=True)
    for hidden_for in hooks.get_hooks("hide_from_site_search"):
        pages = pages.exclude(hidden_for(user))
    return pages.specific().search(search_query)


def legal_page_url(*, kind: str) -> str:
    """The footer's fixed address for a legal page: it leads to the page wherever it lives."""
    return reverse(f"legal_{LegalPageKind(kind).value}")


def legal_page(*, kind: str, site: Site | None) -> LegalPage | None:
    """The site's live, public legal page of this kind, if it has one."""
    if site is None:
        return None
    return (
        LegalPage.objects.live()
        .public()
        .descendant_of(site.root_page)
        .filter(kind=kind)
        .order_by("path")
        .first()
    )


def enquiry_page(*, site: Site | None) -> EnquiryFormPage | None:
    if site is None:
        return None
    return (
        EnquiryFormPage.objects.live()
        .public()
        .descendant_of(site.root_page)
        .order_by("path")
        .first()
    )
