from dataclasses import dataclass

from django.http import HttpRequest

from wagtail.models import Site

from . import public_cache


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str
    url_path: str


def _nav_items(request: HttpRequest) -> list[NavItem]:
    site = Site.find_for_request(request)
    if site is None:
        return []
    return [
        NavItem(title=page.title, url=page.get_url(request=request), url_path=page.url_path)
        for page in site.root_page.get_children().live().in_menu()
    ]


def navigation(request):
    """Top-level pages shown in the main navigation and the footer. Every page shows them, so
    they are kept in the shared cache per host until a page is published, moved or withdrawn;
    read once per request."""

    def items():
        if not hasattr(request, "_nav_items"):
            request._nav_items = public_cache.fragment(
                public_cache.PAGES, f"nav|{request.get_host()}", lambda: _nav_items(request)
            )
        return request._nav_items

    return {"nav_items": items}
