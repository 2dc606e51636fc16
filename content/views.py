from django.conf import settings
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from wagtail.models import Site

from .models import LegalPageKind
from .selectors import SEARCH_RESULTS_PER_PAGE, enquiry_page, paginate, search_pages
from .selectors import legal_page as find_legal_page


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = search_pages(query=query, site=Site.find_for_request(request), user=request.user)
    page = paginate(
        items=results, page_number=request.GET.get("page"), per_page=SEARCH_RESULTS_PER_PAGE
    )
    return TemplateResponse(
        request,
        "content/search.html",
        {"query": query, "results": page, "result_count": page.paginator.count},
    )


def legal_page(request, kind: str):
    """Lead to the site's page of this kind; until an editor publishes one, say so plainly and
    say how to reach the programme team, rather than answer with a broken link."""
    site = Site.find_for_request(request)
    page = find_legal_page(kind=kind, site=site)
    if page is not None:
        return redirect(page.url)
    return TemplateResponse(
        request,
        "content/legal_page_missing.html",
        {
            "title": LegalPageKind(kind).label,
            "contact_page": enquiry_page(site=site),
            "contact_email": settings.ENQUIRY_RECIPIENTS[0] if settings.ENQUIRY_RECIPIENTS else "",
        },
    )
