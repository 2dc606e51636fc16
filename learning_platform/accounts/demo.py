"""Demo logins, one per role, for trying the site locally. Used by `manage.py seed_demo`."""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP

from .models import Organisation, User
from .roles import MFA_REQUIRED_ROLES, Role

DEMO_PASSWORD = "learning-together-demo"
# The demo staff's authenticator secret (base32, as an authenticator app takes it). Published in
# the README: like the password, it only ever exists in a database seeded with DEBUG on.
DEMO_TOTP_SECRET = "LEARNINGTOGETHERDEMOSTAFFTOTPKEY"

KINGSMERE = "Kingsmere Safeguarding Children Partnership"
SCIE = "Social Care Institute for Excellence"
# Fictional partnerships for the accredited demo reviewers.
NORTHSHIRE = "Northshire Safeguarding Adults Board"
RIVERSIDE = "Riverside Safeguarding Children Partnership"
THAMESIDE = "Thameside Safeguarding Children Partnership"

ORGANISATIONS = (
    {"name": KINGSMERE, "kind": Organisation.Kind.SAFEGUARDING_PARTNERSHIP, "region": "London"},
    {"name": SCIE, "kind": Organisation.Kind.SCIE, "region": "London"},
    {"name": NORTHSHIRE, "kind": Organisation.Kind.ADULTS_BOARD, "region": "North West"},
    {"name": THAMESIDE, "kind": Organisation.Kind.SAFEGUARDING_PARTNERSHIP, "region": "London"},
    {
        "name": RIVERSIDE,
        "kind": Organisation.Kind.SAFEGUARDING_PARTNERSHIP,
        "region": "West Midlands",
    },
)


@dataclass(frozen=True)
class DemoUser:
    key: str
    full_name: str
    email: str
    role: Role
    organisation: str
    job_title: str
    # What signing in as this person shows a newcomer (the login table's last column).
    shows: str
    is_staff: bool = False


DEMO_USERS = (
    DemoUser(
        "ada",
        "Ada Administrator",
        "ada@example.org",
        Role.PROGRAMME_ADMIN,
        SCIE,
        "Programme manager",
        "the Wagtail admin: cohorts, invitations, certificates in bulk",
        is_staff=True,
    ),
    DemoUser(
        "sam",
        "Sam Supervisor",
        "sam@example.org",
        Role.SUPERVISOR,
        SCIE,
        "Lead reviewer",
        "the sign-off queue; supervises every demo trainee",
    ),
    DemoUser(
        "ali",
        "Ali Assessor",
        "ali@example.org",
        Role.ASSESSOR,
        SCIE,
        "Accreditation lead",
        "the assessment queue, with Wren's application waiting",
    ),
    DemoUser(
        "tess",
        "Tess Trainee",
        "tess@example.org",
        Role.TRAINEE,
        KINGSMERE,
        "Social worker",
        "a review in progress (Child K), with Pat",
    ),
    DemoUser(
        "pat",
        "Pat Partner",
        "pat@example.org",
        Role.TRAINEE,
        KINGSMERE,
        "Detective sergeant",
        "Tess's review partner",
    ),
    DemoUser(
        "uma",
        "Uma Unrelated",
        "uma@example.org",
        Role.TRAINEE,
        KINGSMERE,
        "Health visitor",
        "a trainee not enrolled on a cohort",
    ),
    DemoUser(
        "vic",
        "Vic Verified",
        "vic@example.org",
        Role.TRAINEE,
        RIVERSIDE,
        "Independent safeguarding consultant",
        "an accredited reviewer: valid certificate, listed on the register",
    ),
    DemoUser(
        "wren",
        "Wren Waiting",
        "wren@example.org",
        Role.TRAINEE,
        RIVERSIDE,
        "Designated nurse",
        "an application referred back, resubmitted and waiting for Ali",
    ),
    DemoUser(
        "sid",
        "Sid Suspended",
        "sid@example.org",
        Role.TRAINEE,
        NORTHSHIRE,
        "Adult social care team manager",
        "a suspended certificate",
    ),
    DemoUser(
        "rex",
        "Rex Revoked",
        "rex@example.org",
        Role.TRAINEE,
        THAMESIDE,
        "Education safeguarding lead",
        "a revoked certificate",
    ),
    DemoUser(
        "rene",
        "Rene Renewing",
        "rene@example.org",
        Role.TRAINEE,
        NORTHSHIRE,
        "Safeguarding adults manager",
        "a certificate in its renewal window, with a CPD log: renew it",
    ),
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
        if demo.role in MFA_REQUIRED_ROLES:
            _give_demo_authenticator(user)
        users[demo.key] = user
        if created and stdout is not None:
            stdout.write(f"  created user {user.email} ({demo.role.label})")
    return users


def _give_demo_authenticator(user: User) -> None:
    """Staff sign in with a code from the demo secret (`make totp` prints it) from the first
    sign-in on. An authenticator the person has set up themselves is kept."""
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return
    TOTP.activate(user, DEMO_TOTP_SECRET)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)


def text_table(rows: list[tuple[str, ...]]) -> list[str]:
    """Rows as aligned plain-text lines, the first row a heading underlined with dashes."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        lines.append(line.rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return lines


def login_table(users: dict[str, User]) -> str:
    """The demo logins as a plain-text table, with how staff get past two-factor setup."""
    rows = [("Role", "Name", "Email", "Shows")]
    notes = []
    for demo in DEMO_USERS:
        if demo.key not in users:
            continue
        rows.append((demo.role.label, demo.full_name, demo.email, demo.shows))
        if demo.role in MFA_REQUIRED_ROLES:
            notes.append(f"  {demo.email}: make totp EMAIL={demo.email}")
    lines = [f"Demo logins (password for every one: {DEMO_PASSWORD})", "", *text_table(rows)]
    if notes:
        lines += [
            "",
            "Staff sign in with a code from an authenticator app as well as the password.",
            f"The demo staff share the authenticator secret {DEMO_TOTP_SECRET}: add it to an",
            "authenticator app, or print the current code in a second terminal:",
            *notes,
        ]
    return "\n".join(line.rstrip() for line in lines)
