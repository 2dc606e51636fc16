"""Reads for the public site. Each returns what one page shows, in a fixed number of queries."""

from datetime import datetime

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator

from wagtail.models import Page, PageQuerySet, Site
from wagtail.search.backends.base import BaseSearchResults

from .models import (
    EnquiryNotification,
    NewsIndexPage,
    NewsPage,
    ProgrammePhasePage,
    PublicationPage,
)

SEARCH_RESULTS_PER_PAGE = 10


def enquiries_unsent_ids(*, created_before: datetime, resent_fewer_than: int) -> list[int]:
    """Submissions whose staff e-mail has not gone, received before ``created_before``, that the
    sweeper has tried fewer than ``resent_fewer_than`` times."""
    return list(
        EnquiryNotification.objects.filter(
            sent_at__isnull=True,
            created_at__lt=created_before,
            automatic_resends__lt=resent_fewer_than,
        )
        .order_by("pk")
        .values_list("submission_id", flat=True)
    )


def paginate(items, page_number: str | None, *, per_page: int = 10) -> PaginatorPage:
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


def search_pages(*, query: str, site: Site | None) -> BaseSearchResults | list:
    """Live, public pages of this site that match the query, best match first."""
    query = query.strip()
    if not query or site is None:
        return []
    return (
        Page.objects.live()
        .public()
        .descendant_of(site.root_page, inclusive=True)
        .specific()
        .search(query)
    )
