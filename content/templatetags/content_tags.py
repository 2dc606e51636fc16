from urllib.parse import quote

from django import template

register = template.Library()


@register.inclusion_tag("content/includes/share_links.html", takes_context=True)
def share_links(context, page=None):
    """Plain share links (no scripts, no tracking) for the page being shown."""
    page = page or context.get("page")
    request = context.get("request")
    if page is None or request is None:
        return {"share_url": ""}
    share_url = request.build_absolute_uri(page.get_url(request))
    return {
        "share_url": share_url,
        "url_quoted": quote(share_url, safe=""),
        "title_quoted": quote(page.title, safe=""),
        "title": page.title,
    }
