from django.core import mail
from django.urls import reverse

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt

from learning_platform.accounts.management.commands.demo_totp import current_code
from learning_platform.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _sign_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_it_signs_in_a_verified_user_by_email(client, tess):
    response = _sign_in(client, "TESS@example.org")

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == tess.pk


@pytest.mark.parametrize(
    ("persona", "home"),
    [
        ("tess", "/learning/"),
        ("sam", "/accreditation/supervision/queue/"),
        ("ali", "/accreditation/assessment/"),
        ("ada", "/learning/cohorts/"),
    ],
)
def test_it_takes_each_person_to_their_own_work_after_signing_in(client, request, persona, home):
    user = request.getfixturevalue(persona)

    response = _sign_in(client, user.email)

    if Authenticator.objects.filter(user=user).exists():
        # Staff give a code from their authenticator app first, then go on to their work.
        assert response["Location"] == reverse("mfa_authenticate")
        secret = decrypt(Authenticator.objects.get(user=user).data["secret"])
        response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == home


def test_it_goes_where_the_sign_in_page_was_asked_to(client, tess):
    response = client.post(
        reverse("account_login") + "?next=/notifications/",
        {"login": tess.email, "password": PASSWORD},
    )

    assert response["Location"] == "/notifications/"


def test_it_holds_back_an_unverified_user_and_sends_a_verification_email(client):
    user = UserFactory(email="new@example.org")
    EmailAddress.objects.filter(user=user).update(verified=False)

    response = _sign_in(client, "new@example.org")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.org"]
    assert "confirm" in mail.outbox[0].body.lower()


def test_it_shows_an_error_summary_for_a_wrong_password(client, tess):
    response = _sign_in(client, tess.email, "not-the-password")

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_rate_limits_repeated_failed_logins(client, tess):
    for _ in range(5):
        _sign_in(client, tess.email, "wrong")

    response = _sign_in(client, tess.email, PASSWORD)

    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_it_keeps_signup_closed_without_an_invitation(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "walk-in@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert not User.objects.filter(email="walk-in@example.org").exists()
    assert "Accounts are by invitation" in response.content.decode()


def test_it_sends_a_password_reset_email(client, tess):
    response = client.post(reverse("account_reset_password"), {"email": tess.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
