from django import template

from ..selectors.reviews import user_has_review

register = template.Library()


@register.filter
def has_review(user) -> bool:
    """`{% if user|has_review %}`: the user carries out a supervised review (as trainee or
    partner)."""
    return user_has_review(user=user)
