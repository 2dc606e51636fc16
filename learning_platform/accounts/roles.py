"""Roles are Django groups. This module names them and says what each may do."""

from django.db import models


class Role(models.TextChoices):
    TRAINEE = "Trainee", "Trainee reviewer"
    SUPERVISOR = "Supervisor", "Supervisor"
    ASSESSOR = "Assessor", "Assessor"
    PROGRAMME_ADMIN = "Programme administrator", "Programme administrator"


# Roles whose holders must use multi-factor authentication before doing anything else.
MFA_REQUIRED_ROLES = frozenset({Role.SUPERVISOR, Role.ASSESSOR, Role.PROGRAMME_ADMIN})

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
        "accreditation.add_patterntype",
        "accreditation.change_patterntype",
        "accreditation.view_patterntype",
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
