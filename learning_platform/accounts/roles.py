"""Roles are Django groups. This module names them, says what each may do, and holds every
check of whether a person holds a role.

A role check asks about group membership (by the ``Role`` names), never about a model
permission, so a page and the service behind it cannot disagree about who someone is.
Superusers count as programme staff. Inactive and anonymous users hold no role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from .models import User


class Role(models.TextChoices):
    TRAINEE = "Trainee", "Trainee reviewer"
    SUPERVISOR = "Supervisor", "Supervisor"
    ASSESSOR = "Assessor", "Assessor"
    PROGRAMME_ADMIN = "Programme administrator", "Programme administrator"


# Roles whose holders must use multi-factor authentication before doing anything else.
MFA_REQUIRED_ROLES = frozenset({Role.SUPERVISOR, Role.ASSESSOR, Role.PROGRAMME_ADMIN})


def user_role_names(user: User) -> set[str]:
    """The names of the person's groups, kept on the user for the rest of the request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def user_has_role(user: User, role: str) -> bool:
    return role in user_role_names(user)


def _holds(user: User, role: Role) -> bool:
    return user.is_authenticated and user.is_active and user_has_role(user, role)


def user_is_programme_staff(user: User) -> bool:
    """Programme administrators and superusers. They run cohorts (invitations, registers,
    enrolments, assignments), read every review and issue certificates in bulk."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user_has_role(user, Role.PROGRAMME_ADMIN))
    )


def user_is_supervisor(user: User) -> bool:
    return _holds(user, Role.SUPERVISOR)


def user_is_assessor(user: User) -> bool:
    return _holds(user, Role.ASSESSOR)


def user_is_trainee(user: User) -> bool:
    return _holds(user, Role.TRAINEE)


# Model permissions per role, as "app_label.codename". Permissions for apps that are not
# installed yet are skipped, so the table can name the whole product.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.TRAINEE: (),
    Role.SUPERVISOR: (),
    Role.ASSESSOR: (),
    Role.PROGRAMME_ADMIN: (
        "wagtailadmin.access_admin",
        "accounts.add_organisation",
        "accounts.change_organisation",
        "accounts.view_organisation",
        "accounts.view_user",
        "courses.add_cohort",
        "courses.change_cohort",
        "courses.view_cohort",
        "courses.add_trainingday",
        "courses.change_trainingday",
        "courses.delete_trainingday",
        "courses.view_trainingday",
        "courses.add_attendance",
        "courses.change_attendance",
        "courses.view_attendance",
        "courses.add_enrolment",
        "courses.change_enrolment",
        "courses.view_enrolment",
        "courses.add_invitation",
        "courses.delete_invitation",
        "courses.view_invitation",
        "accreditation.add_accreditationscheme",
        "accreditation.change_accreditationscheme",
        "accreditation.view_accreditationscheme",
        "accreditation.add_stagedefinition",
        "accreditation.change_stagedefinition",
        "accreditation.delete_stagedefinition",
        "accreditation.view_stagedefinition",
        "accreditation.add_contributoryfactorcategory",
        "accreditation.change_contributoryfactorcategory",
        "accreditation.view_contributoryfactorcategory",
        "accreditation.add_reviewtype",
        "accreditation.change_reviewtype",
        "accreditation.view_reviewtype",
        "accreditation.add_factorlevel",
        "accreditation.change_factorlevel",
        "accreditation.view_factorlevel",
        "accreditation.add_findingcategory",
        "accreditation.change_findingcategory",
        "accreditation.view_findingcategory",
        "accreditation.add_assessmentcriterion",
        "accreditation.change_assessmentcriterion",
        "accreditation.delete_assessmentcriterion",
        "accreditation.view_assessmentcriterion",
        "accreditation.add_cpdactivitytype",
        "accreditation.change_cpdactivitytype",
        "accreditation.view_cpdactivitytype",
        "accreditation.add_region",
        "accreditation.change_region",
        "accreditation.view_region",
        "accreditation.change_certificatesettings",
        "accreditation.view_certificatesettings",
        "accreditation.add_supervisedreview",
        "accreditation.change_supervisedreview",
        "accreditation.view_supervisedreview",
    ),
}


def sync_role_permissions(sender=None, **kwargs) -> None:
    """Create the role groups and grant their permissions; safe to run after every migrate."""
    from django.contrib.auth.models import Group, Permission

    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in ROLE_PERMISSIONS.get(role, ()):
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.add(*wanted)
    _grant_page_and_collection_permissions()


def _grant_page_and_collection_permissions() -> None:
    from django.contrib.auth.models import Group, Permission

    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    group = Group.objects.filter(name=Role.PROGRAMME_ADMIN.value).first()
    root_page = Page.get_first_root_node()
    if group is None or root_page is None:
        return
    for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"):
        permission = Permission.objects.filter(
            content_type__app_label="wagtailcore", codename=codename
        ).first()
        if permission:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=permission
            )
    root_collection = Collection.get_first_root_node()
    if root_collection is None:
        return
    for app_label, codename in (
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
    ):
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
