"""The world's people and organisations: trainees, supervisors, assessors and programme staff,
each able to sign in with the demo password (hashed once for all of them), staff with the demo
authenticator secret, as `seed_demo`'s logins do."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt

from accreditation.models import Region
from learning_platform.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from learning_platform.accounts.models import Organisation, User
from learning_platform.accounts.roles import MFA_REQUIRED_ROLES, Role

from .base import DOMAIN, PREFIX, World, insert

FIRST_NAMES = (
    "Aisha", "Alex", "Amir", "Bethan", "Callum", "Chloe", "Daniel", "Deborah", "Eleni", "Emeka",
    "Fiona", "Gareth", "Grace", "Hannah", "Harpreet", "Imran", "Isla", "Jamal", "Joanne", "Kate",
    "Kwame", "Laura", "Leon", "Maria", "Martin", "Megan", "Nadia", "Niall", "Olu", "Owen",
    "Priya", "Rachel", "Rhys", "Ruth", "Samira", "Sean", "Sophie", "Tariq", "Thomas", "Una",
    "Vikram", "Wendy", "Yusuf", "Zara",
)  # fmt: skip
SURNAMES = (
    "Adeyemi", "Ahmed", "Bailey", "Begum", "Brennan", "Campbell", "Chen", "Clarke", "Davies",
    "Dhillon", "Evans", "Fletcher", "Gallagher", "Green", "Hughes", "Hussain", "Jones", "Kaur",
    "Kelly", "Khan", "Lewis", "Lloyd", "Macdonald", "Mensah", "Morgan", "Murphy", "Nowak",
    "Okafor", "Owen", "Patel", "Price", "Quinn", "Rahman", "Roberts", "Robinson", "Shah",
    "Singh", "Smith", "Taylor", "Thomas", "Walker", "Watson", "Williams", "Wright",
)  # fmt: skip
# Fictional places, so no name is mistaken for a real partnership's.
PLACE_STARTS = (
    "Ash", "Bram", "Cold", "Elm", "Fen", "Grey", "Holm", "Lark", "Mill", "Oak", "Pen", "Red",
    "Stone", "Thorn", "Wold", "Yarrow",
)  # fmt: skip
PLACE_ENDS = ("ford", "mere", "bridge", "field", "ham", "ley", "wick", "borough")
ORGANISATION_KINDS = {
    Organisation.Kind.SAFEGUARDING_PARTNERSHIP: ("Safeguarding Children Partnership", 60),
    Organisation.Kind.ADULTS_BOARD: ("Safeguarding Adults Board", 20),
    Organisation.Kind.SAFEGUARDING_BOARD: ("Local Safeguarding Children Board", 10),
    Organisation.Kind.EMPLOYER: ("Council", 10),
}
JOB_TITLES = {
    Role.TRAINEE: (
        "Social worker",
        "Detective sergeant",
        "Health visitor",
        "Designated nurse",
        "Team manager",
        "Safeguarding lead",
        "Education safeguarding lead",
        "Adult social care manager",
        "Probation officer",
        "Independent safeguarding consultant",
    ),
    Role.SUPERVISOR: ("Lead reviewer", "Accredited lead reviewer", "Senior lead reviewer"),
    Role.ASSESSOR: ("Accreditation assessor", "Accreditation lead"),
    Role.PROGRAMME_ADMIN: ("Programme manager", "Programme officer"),
}
EMAIL_STEMS = {
    Role.TRAINEE: "trainee",
    Role.SUPERVISOR: "supervisor",
    Role.ASSESSOR: "assessor",
    Role.PROGRAMME_ADMIN: "admin",
}


@dataclass(frozen=True)
class Person:
    """Someone to create: the part of their row the world decides."""

    joined: datetime.date
    organisation: Organisation | None = None


def organisations_create(world: World) -> list[Organisation]:
    """Partnerships and boards that commission reviews, and a few employers."""
    rng = world.rng
    regions = list(Region.objects.order_by("sort_order", "name").values_list("name", flat=True))
    places = [start + end for start in PLACE_STARTS for end in PLACE_ENDS]
    rng.shuffle(places)
    kinds = list(ORGANISATION_KINDS)
    weights = [ORGANISATION_KINDS[kind][1] for kind in kinds]
    count = world.plan.organisations
    # At least one of each kind that commissions reviews, whatever the scale.
    chosen = kinds[:3] + rng.choices(kinds, weights, k=max(0, count - 3))
    return insert(
        Organisation,
        (
            Organisation(
                name=f"{PREFIX}{_place(places, index)} {ORGANISATION_KINDS[kind][0]}",
                kind=kind,
                region=rng.choice(regions) if regions else "",
            )
            for index, kind in enumerate(chosen[:count])
        ),
    )


def _place(places: list[str], index: int) -> str:
    # Past the list (a world larger than scale 4), the names repeat with a number.
    place = places[index % len(places)]
    return place if index < len(places) else f"{place} {index // len(places) + 1}"


def full_name(world: World) -> str:
    return f"{world.rng.choice(FIRST_NAMES)} {world.rng.choice(SURNAMES)}"


def people_create(
    world: World, *, role: Role, people: list[Person], stem: str = "", is_staff: bool = False
) -> list[User]:
    """Users with the role, a verified primary address (sign-in requires one) and, for the roles
    that must use two-factor authentication, the demo authenticator."""
    rng = world.rng
    password = world.made.setdefault("password", make_password(DEMO_PASSWORD))
    stem = stem or EMAIL_STEMS[role]
    width = max(3, len(str(len(people))))
    users = insert(
        User,
        (
            User(
                email=f"{stem}.{number:0{width}d}@{DOMAIN}",
                full_name=full_name(world),
                organisation=person.organisation,
                job_title=rng.choice(JOB_TITLES[role]),
                password=password,
                is_staff=is_staff,
                date_joined=world.moment(person.joined, 9 + rng.random() * 8),
            )
            for number, person in enumerate(people, start=1)
        ),
    )
    group = Group.objects.get(name=role.value)
    insert(
        User.groups.through,
        (User.groups.through(user_id=user.pk, group_id=group.pk) for user in users),
    )
    insert(
        EmailAddress,
        (EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users),
    )
    if role in MFA_REQUIRED_ROLES or is_staff:
        secret = world.made.setdefault("totp_secret", {"secret": encrypt(DEMO_TOTP_SECRET)})
        insert(
            Authenticator,
            (
                Authenticator(
                    user=user,
                    type=Authenticator.Type.TOTP,
                    data=secret,
                    created_at=user.date_joined,
                )
                for user in users
            ),
        )
    return users
