from django import template

from ..selectors.reviews import user_has_review

register = template.Library()


@register.filter
def has_review(user) -> bool:
    """`{% if user|has_review %}`: the user carries out a supervised review (as trainee or
    partner)."""
    return user_has_review(user=user)


@register.filter
def days_to_target(days) -> str:
    """`{{ days|days_to_target }}`: "12 days left", "Due today" or "3 days overdue". ``days``
    is a number of days or a timedelta (negative once the target has passed)."""
    if days is None:
        return ""
    days = getattr(days, "days", days)
    if days == 0:
        return "Due today"
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} left"
    return f"{-days} day{'s' if days != -1 else ''} overdue"


@register.filter
def with_article(word: str) -> str:
    """`{{ "intensive"|with_article }}`: "an intensive"; `{{ "full"|with_article }}`: "a full"."""
    word = str(word)
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"
