from django.contrib.auth.models import Group

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from learning_platform.accounts.models import Organisation, User
from learning_platform.accounts.roles import Role

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Safeguarding Partnership {n}")
    kind = Organisation.Kind.SAFEGUARDING_PARTNERSHIP
    region = "London"


class UserFactory(factory.django.DjangoModelFactory):
    """A user who can sign in: verified primary email address and a known password."""

    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test User {n}")
    job_title = "Social worker"
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get_or_create(name=str(role))[0] for role in extracted])


def give_totp(user: User) -> str:
    """Activate TOTP for a user and return the secret, as the setup page would."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def make_persona(full_name: str, email: str, role: Role | None, *, mfa: bool = True) -> User:
    user = UserFactory(full_name=full_name, email=email, roles=[role] if role else [])
    if role is not None and role != Role.TRAINEE and mfa:
        give_totp(user)
    return user
