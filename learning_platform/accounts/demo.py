"""Demo logins, one per role, for trying the site locally. Used by `manage.py seed_demo`."""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from allauth.account.models import EmailAddress

from .models import Organisation, User
from .roles import MFA_REQUIRED_ROLES, Role

DEMO_PASSWORD = "learning-together-demo"

CAMDEN = "Camden Safeguarding Children Partnership"
SCIE = "Social Care Institute for Excellence"

ORGANISATIONS = (
    {"name": CAMDEN, "kind": Organisation.Kind.SAFEGUARDING_PARTNERSHIP, "region": "London"},
    {"name": SCIE, "kind": Organisation.Kind.SCIE, "region": "London"},
)


@dataclass(frozen=True)
class DemoUser:
    key: str
    full_name: str
    email: str
    role: Role
    organisation: str
    job_title: str
    is_staff: bool = False


DEMO_USERS = (
    DemoUser(
        "ada",
        "Ada Administrator",
        "ada@example.org",
        Role.PROGRAMME_ADMIN,
        SCIE,
        "Programme manager",
        is_staff=True,
    ),
    DemoUser("sam", "Sam Supervisor", "sam@example.org", Role.SUPERVISOR, SCIE, "Lead reviewer"),
    DemoUser("ali", "Ali Assessor", "ali@example.org", Role.ASSESSOR, SCIE, "Accreditation lead"),
    DemoUser("tess", "Tess Trainee", "tess@example.org", Role.TRAINEE, CAMDEN, "Social worker"),
    DemoUser("pat", "Pat Partner", "pat@example.org", Role.TRAINEE, CAMDEN, "Detective sergeant"),
    DemoUser("uma", "Uma Unrelated", "uma@example.org", Role.TRAINEE, CAMDEN, "Health visitor"),
)


@transaction.atomic
def seed_demo_users(stdout=None) -> dict[str, User]:
    """Create the demo organisations and users if missing; return the users by first name.

    Every run resets the demo password, so the printed logins always work.
    """
    organisations = {}
    for spec in ORGANISATIONS:
        organisation, created = Organisation.objects.get_or_create(
            name=spec["name"], defaults={"kind": spec["kind"], "region": spec["region"]}
        )
        organisations[organisation.name] = organisation
        if created and stdout is not None:
            stdout.write(f"  created organisation {organisation}")

    users = {}
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=demo.email,
            defaults={
                "full_name": demo.full_name,
                "job_title": demo.job_title,
                "organisation": organisations[demo.organisation],
                "is_staff": demo.is_staff,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=demo.role.value))
        # Email verification is mandatory, so a demo login needs a verified primary address.
        EmailAddress.objects.update_or_create(
            user=user, email=demo.email, defaults={"verified": True, "primary": True}
        )
        users[demo.key] = user
        if created and stdout is not None:
            stdout.write(f"  created user {user.email} ({demo.role.label})")
    return users


def login_table(users: dict[str, User]) -> str:
    """The demo logins as a plain-text table, with how staff get past two-factor setup."""
    rows = [("Role", "Name", "Email")]
    notes = []
    for demo in DEMO_USERS:
        if demo.key not in users:
            continue
        rows.append((demo.role.label, demo.full_name, demo.email))
        if demo.role in MFA_REQUIRED_ROLES:
            notes.append(
                f"  {demo.email}: scan the QR code on the setup page, "
                f"or run `make totp EMAIL={demo.email}`"
            )
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = [f"Demo logins (password for every one: {DEMO_PASSWORD})", ""]
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    if notes:
        lines += [
            "",
            "Staff must set up two-factor authentication at their first sign-in.",
            "In development, to get past it:",
            *notes,
        ]
    return "\n".join(line.rstrip() for line in lines)
