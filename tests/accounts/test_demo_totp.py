"""`make totp EMAIL=...` (manage.py demo_totp) from a demo staff login's first sign-in on."""

from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

import pytest
from allauth.mfa.models import Authenticator

from learning_platform.accounts.demo import DEMO_PASSWORD, seed_demo_users
from learning_platform.accounts.management.commands.demo_totp import current_code
from tests.factories import give_totp

pytestmark = pytest.mark.django_db


def _demo_totp(email: str) -> str:
    out = StringIO()
    call_command("demo_totp", email, stdout=out)
    return out.getvalue().strip()


@pytest.mark.parametrize("email", ["ada@example.org", "sam@example.org", "ali@example.org"])
def test_it_prints_a_code_that_signs_demo_staff_in_at_their_first_sign_in(client, settings, email):
    seed_demo_users()
    settings.DEBUG = True

    response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")

    response = client.post(reverse("mfa_authenticate"), {"code": _demo_totp(email)})

    assert response.status_code == 302
    assert client.get(reverse("accounts_profile")).status_code == 200


def test_it_gives_demo_trainees_no_authenticator(settings):
    seed_demo_users()

    assert set(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list(
            "user__email", flat=True
        )
    ) == {"ada@example.org", "sam@example.org", "ali@example.org"}


def test_it_keeps_an_authenticator_a_demo_supervisor_set_up_herself(settings):
    users = seed_demo_users()
    Authenticator.objects.filter(user=users["sam"]).delete()
    own_secret = give_totp(users["sam"])
    settings.DEBUG = True

    seed_demo_users()

    assert Authenticator.objects.filter(user=users["sam"], type="totp").count() == 1
    assert _demo_totp("sam@example.org") == current_code(own_secret)


def test_it_refuses_to_print_a_code_with_debug_off(settings):
    seed_demo_users()
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        _demo_totp("sam@example.org")
