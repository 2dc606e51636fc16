from wagtail.models import Site


def navigation(request):
    """Top-level pages shown in the main navigation; one query, cached on the request."""

    def items():
        if not hasattr(request, "_nav_items"):
            site = Site.find_for_request(request)
            if site is None:
                request._nav_items = []
            else:
                root = site.root_page
                request._nav_items = list(root.get_children().live().in_menu())
        return request._nav_items

    return {"nav_items": items}
