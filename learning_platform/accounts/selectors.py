from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from allauth.mfa.models import Authenticator

from .models import User
from .personal_data.registry import user_name_is_published
from .roles import MFA_REQUIRED_ROLES, Role, user_role_names


def active_users_with_role(*, role: Role):
    """Everyone active who holds the role, by name: the choices for a supervisor field."""
    return User.objects.filter(groups__name=role.value, is_active=True).order_by("full_name")


def user_requires_mfa(*, user: User) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(user_role_names(user=user) & {str(r) for r in MFA_REQUIRED_ROLES})


def user_has_totp(*, user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_mfa_setup_pending(*, user: User) -> bool:
    """Whether the person must set up two-factor authentication before anything else. Kept on
    the user for the request, so the check before the view and the page's navigation share one
    query."""
    cached = getattr(user, "_mfa_setup_pending", None)
    if cached is None:
        cached = user_requires_mfa(user=user) and not user_has_totp(user=user)
        if user.is_authenticated:
            user._mfa_setup_pending = cached
    return cached


def user_activated_totp_within(*, user: User, seconds: int) -> bool:
    since = timezone.now() - timedelta(seconds=seconds)
    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP, created_at__gte=since
    ).exists()


def user_name_is_locked(*, user: User) -> bool:
    """Whether the person's name is on a record issued to them that others can still read, so
    they may no longer change it themselves. The apps holding such records answer through their
    privacy modules."""
    return user_name_is_published(user)


# Where each role's work starts, most senior first: someone with two roles lands on the first.
_HOME_BY_ROLE = (
    (Role.PROGRAMME_ADMIN, "courses:cohort_list"),
    (Role.ASSESSOR, "accreditation:assessment_queue"),
    (Role.SUPERVISOR, "accreditation:supervisor_queue"),
    (Role.TRAINEE, "courses:my_learning"),
)


def user_home_url(*, user: User) -> str:
    """The page a person starts from after signing in: their own work, not the public home."""
    roles = user_role_names(user=user)
    for role, url_name in _HOME_BY_ROLE:
        if role.value in roles:
            return reverse(url_name)
    return "/"
