from django import template
from django.urls import reverse

from learning_platform.accounts.roles import Role
from learning_platform.accounts.selectors import user_role_names

register = template.Library()


@register.filter
def has_role(user, role: str) -> bool:
    """`{% if user|has_role:"Supervisor" %}`. Role names are cached on the user for the request."""
    return role in user_role_names(user=user)


@register.filter
def runs_cohorts(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or Role.PROGRAMME_ADMIN.value in user_role_names(user=user)
    )


@register.simple_tag(takes_context=True)
def cohort_calendar_urls(context, cohort) -> dict[str, str]:
    """The cohort's calendar feed: its web address, and the webcal:// one that calendar apps
    open to subscribe. The token in both is the only key the feed has."""
    request = context["request"]
    path = reverse("courses:cohort_calendar", args=[cohort.pk, cohort.calendar_token])
    return {
        "address": request.build_absolute_uri(path),
        "webcal": "webcal://" + request.get_host() + path,
    }
