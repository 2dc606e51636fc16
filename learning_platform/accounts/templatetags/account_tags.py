from django import template

from ..selectors import user_home_url

register = template.Library()


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    """Where the signed-in person's own work starts (see user_home_url)."""
    return user_home_url(context["request"].user)
