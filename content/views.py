from django.template.response import TemplateResponse

from wagtail.models import Site

from .selectors import SEARCH_RESULTS_PER_PAGE, paginate, search_pages


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = search_pages(query=query, site=Site.find_for_request(request))
    page = paginate(results, request.GET.get("page"), per_page=SEARCH_RESULTS_PER_PAGE)
    return TemplateResponse(
        request,
        "content/search.html",
        {"query": query, "results": page, "result_count": page.paginator.count},
    )
