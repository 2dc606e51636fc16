from django import template

from ..selectors.progress import user_has_learning

register = template.Library()


@register.filter
def has_learning(user) -> bool:
    """`{% if user|has_learning %}`: the user has an active or completed enrolment."""
    return user_has_learning(user)
