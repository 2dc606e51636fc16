from django.urls import reverse

import pytest

from learning_platform.accounts.roles import Role
from tests.factories import PASSWORD, give_totp, make_persona

pytestmark = pytest.mark.django_db

STAFF_ROLES = [Role.SUPERVISOR, Role.ASSESSOR, Role.PROGRAMME_ADMIN]


def _sign_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_it_sends_staff_without_mfa_to_totp_setup(client, role):
    user = make_persona("Staff Member", "staff@example.org", role, mfa=False)
    _sign_in(client, user.email)

    response = client.get(reverse("accounts_profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_it_lets_staff_with_mfa_through_after_the_code(client, role):
    user = make_persona("Staff Member", "staff@example.org", role, mfa=False)
    secret = give_totp(user)
    response = _sign_in(client, user.email)
    # The password alone is not enough: allauth asks for the code.
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    from learning_platform.accounts.management.commands.demo_totp import current_code

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("accounts_profile")).status_code == 200


def test_it_does_not_ask_trainees_for_mfa(client, tess):
    _sign_in(client, tess.email)

    assert client.get(reverse("accounts_profile")).status_code == 200


def test_it_requires_mfa_for_superusers(client):
    from learning_platform.accounts.models import User

    user = User.objects.create_superuser("root@example.org", PASSWORD, full_name="Root")
    client.force_login(user)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_it_lets_staff_reach_the_setup_page_and_sign_out(client):
    user = make_persona("Staff Member", "staff@example.org", Role.ASSESSOR, mfa=False)
    _sign_in(client, user.email)

    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_it_keeps_the_whole_address_to_return_to_after_setup(client):
    user = make_persona("Staff Member", "staff@example.org", Role.ASSESSOR, mfa=False)
    client.force_login(user)

    response = client.get("/search/?q=guide&page=2")

    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('mfa_activate_totp')}?next=%2Fsearch%2F%3Fq%3Dguide%26page%3D2"
    )


def test_it_shows_new_staff_their_backup_codes_and_the_way_to_their_work(client, time_machine):
    from django.utils import timezone

    from allauth.mfa.models import Authenticator

    from learning_platform.accounts.management.commands.demo_totp import current_code

    time_machine.move_to(timezone.now(), tick=False)
    user = make_persona("Staff Member", "staff@example.org", Role.ASSESSOR, mfa=False)
    _sign_in(client, user.email)
    setup = client.get(reverse("mfa_activate_totp"))
    assert "Set up your authenticator app" in setup.content.decode()

    response = client.post(
        reverse("mfa_activate_totp"), {"code": current_code(setup.context["form"].secret)}
    )
    # Straight to the codes: no second password prompt just after proving the new app.
    codes = client.get(response["Location"])

    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert codes.status_code == 200
    page = codes.content.decode()
    assert "Your backup codes" in page
    assert f'href="{reverse("accreditation:assessment_queue")}">Continue to your work' in page
    assert Authenticator.objects.filter(user=user).count() == 2  # the app and the codes
    # Later, the codes are a sensitive page again.
    time_machine.shift(600)
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 302


@pytest.mark.parametrize(
    "name",
    [
        "mfa_generate_recovery_codes",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_index",
    ],
)
def test_it_sends_staff_to_totp_setup_before_any_recovery_code_page(client, name):
    user = make_persona("Staff Member", "staff@example.org", Role.ASSESSOR, mfa=False)
    _sign_in(client, user.email)

    for send in (client.get, client.post):
        response = send(reverse(name))

        assert response.status_code == 302
        assert response["Location"] == f"{reverse('mfa_activate_totp')}?next=" + (
            reverse(name).replace("/", "%2F")
        )
    assert not user.authenticator_set.exists()


def test_it_lets_staff_manage_recovery_codes_once_totp_is_set_up(client, ali):
    client.force_login(ali)

    response = client.get(reverse("mfa_generate_recovery_codes"))

    # Past the two-factor check; allauth itself then asks for the password again.
    assert not response.get("Location", "").startswith(reverse("mfa_activate_totp"))
