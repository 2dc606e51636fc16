from django import template

from ..selectors import user_home_url, user_mfa_setup_pending

register = template.Library()


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    """Where the signed-in person's own work starts (see user_home_url)."""
    return user_home_url(user=context["request"].user)


@register.filter
def mfa_setup_pending(user) -> bool:
    """Whether the person must set up two-factor authentication before anything else: until
    then the site shows them no navigation into it, only the setup and "Sign out"."""
    return user_mfa_setup_pending(user=user)
