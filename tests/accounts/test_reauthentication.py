"""Changing the email address, the password or a two-factor setting needs a recent sign-in.

A session that has not confirmed the password within ACCOUNT_REAUTHENTICATION_TIMEOUT is sent
to enter it again; after that the change goes ahead.
"""

from datetime import UTC, datetime, timedelta

from django.urls import reverse

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from learning_platform.accounts.management.commands.demo_totp import current_code
from learning_platform.accounts.roles import Role
from tests.factories import PASSWORD, give_totp, make_persona

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# Past the reauthentication timeout (5 minutes) but well inside the idle timeout (30 minutes).
LATER = timedelta(minutes=10)


def _sign_in_trainee(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session


@pytest.fixture
def staff(client, time_machine):
    """An assessor with TOTP and recovery codes, signed in with password and code at START."""
    user = make_persona("Staff Member", "staff@example.org", Role.ASSESSOR, mfa=False)
    secret = give_totp(user)
    time_machine.move_to(START, tick=False)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert "_auth_user_id" in client.session
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    RecoveryCodes.activate(user)
    return user


def _assert_sent_to_reauthenticate(response):
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith(reverse("account_reauthenticate")), response["Location"]


def _reauthenticate(client, response):
    return client.post(response["Location"], {"password": PASSWORD})


def test_it_asks_for_the_password_again_before_adding_an_email_address(client, tess, time_machine):
    time_machine.move_to(START, tick=False)
    _sign_in_trainee(client, tess)
    time_machine.shift(LATER)

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "tess.new@example.org"}
    )

    _assert_sent_to_reauthenticate(response)
    assert not EmailAddress.objects.filter(email="tess.new@example.org").exists()
    _reauthenticate(client, response)
    # The suspended request runs once the password is confirmed.
    assert EmailAddress.objects.filter(user=tess, email="tess.new@example.org").exists()


def test_it_does_not_ask_again_within_the_timeout_after_reauthenticating(
    client, tess, time_machine
):
    time_machine.move_to(START, tick=False)
    _sign_in_trainee(client, tess)
    time_machine.shift(LATER)
    first = client.post(reverse("account_email"), {"action_add": "", "email": "one@example.org"})
    _reauthenticate(client, first)
    time_machine.shift(timedelta(minutes=2))

    response = client.post(reverse("account_email"), {"action_add": "", "email": "two@example.org"})

    assert not response["Location"].startswith(reverse("account_reauthenticate"))
    assert EmailAddress.objects.filter(user=tess, email="two@example.org").exists()


def test_it_asks_for_the_password_again_before_changing_the_password(client, tess, time_machine):
    time_machine.move_to(START, tick=False)
    _sign_in_trainee(client, tess)
    time_machine.shift(LATER)
    change_url = reverse("account_change_password")

    response = client.get(change_url)

    _assert_sent_to_reauthenticate(response)
    after = _reauthenticate(client, response)
    assert after.status_code == 302
    assert after["Location"] == change_url
    assert client.get(change_url).status_code == 200
    changed = client.post(
        change_url,
        {
            "oldpassword": PASSWORD,
            "password1": "a-brand-new-passphrase-42",
            "password2": "a-brand-new-passphrase-42",
        },
    )
    assert changed.status_code == 302
    tess.refresh_from_db()
    assert tess.check_password("a-brand-new-passphrase-42")


def test_it_asks_for_the_password_again_before_turning_totp_off(client, staff, time_machine):
    time_machine.shift(LATER)

    response = client.post(reverse("mfa_deactivate_totp"))

    _assert_sent_to_reauthenticate(response)
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    _reauthenticate(client, response)
    assert not Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()


def test_it_asks_for_the_password_again_before_new_recovery_codes(client, staff, time_machine):
    codes = Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES)
    before = dict(codes.data)
    time_machine.shift(LATER)

    response = client.post(reverse("mfa_generate_recovery_codes"))

    _assert_sent_to_reauthenticate(response)
    codes.refresh_from_db()
    assert codes.data == before
    _reauthenticate(client, response)
    codes = Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES)
    assert codes.data != before


def test_it_still_skips_the_password_for_first_setup_right_after_sign_in(client):
    user = make_persona("New Staff", "newstaff@example.org", Role.SUPERVISOR, mfa=False)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 200
