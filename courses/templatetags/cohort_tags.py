from django import template

from learning_platform.accounts.roles import Role
from learning_platform.accounts.selectors import user_role_names

register = template.Library()


@register.filter
def has_role(user, role: str) -> bool:
    """`{% if user|has_role:"Supervisor" %}`. Role names are cached on the user for the request."""
    return role in user_role_names(user)


@register.filter
def runs_cohorts(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or Role.PROGRAMME_ADMIN.value in user_role_names(user)
    )
