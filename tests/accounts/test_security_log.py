"""Authentication events and refusals reach the security log, and no secret ever does."""

import logging
import re

from django.core import mail
from django.test import Client
from django.urls import reverse

import pytest
from allauth.mfa.models import Authenticator

from learning_platform.accounts.management.commands.demo_totp import current_code
from learning_platform.accounts.roles import Role
from tests.factories import PASSWORD, give_totp, make_persona

pytestmark = pytest.mark.django_db

LOGGER = "learning_platform.security"
NEW_PASSWORD = "an-entirely-new-passphrase-77"


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)

    def lines() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.name == LOGGER]

    return lines


def _assert_absent(caplog, *secrets: str) -> None:
    for record in caplog.records:
        text = f"{record.getMessage()} {record.args!r}"
        for secret in secrets:
            assert secret not in text, (secret, record.getMessage())


def _event(lines, prefix: str) -> list[str]:
    return [line for line in lines if line.startswith(prefix)]


def test_it_logs_sign_in_sign_out_and_a_failed_password(client, tess, security_log, caplog):
    client.post(reverse("account_login"), {"login": tess.email, "password": "wrong-guess-123"})
    client.post(reverse("account_login"), {"login": tess.email, "password": PASSWORD})
    client.post(reverse("account_logout"))

    lines = security_log()
    assert _event(lines, "login_failed identifier=tess@example.org")
    assert _event(lines, f"login user_id={tess.pk}")
    assert _event(lines, f"logout user_id={tess.pk}")
    _assert_absent(caplog, PASSWORD, "wrong-guess-123")


def test_it_logs_each_two_factor_change_without_codes_or_secrets(
    client, security_log, caplog, django_capture_on_commit_callbacks
):
    staff = make_persona("Staff Member", "staff@example.org", Role.SUPERVISOR, mfa=False)
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    setup_code = current_code(secret)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": setup_code})
    codes = Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES)
    first_recovery_code = codes.wrap().get_unused_codes()[0]
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_generate_recovery_codes"))
    # Sign in again with a recovery code, then switch TOTP off.
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    fresh_codes = Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES)
    recovery_code = fresh_codes.wrap().get_unused_codes()[0]
    client.post(reverse("mfa_authenticate"), {"code": recovery_code})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("mfa_deactivate_totp"))

    lines = security_log()
    assert _event(lines, f"mfa_authenticator_added user_id={staff.pk} type=totp")
    assert _event(lines, f"mfa_authenticator_reset user_id={staff.pk} type=recovery_codes")
    assert _event(lines, f"mfa_authenticator_used user_id={staff.pk} type=recovery_codes")
    assert _event(lines, f"mfa_authenticator_removed user_id={staff.pk} type=totp")
    _assert_absent(caplog, PASSWORD, secret, setup_code, first_recovery_code, recovery_code)


def test_it_logs_a_wrong_two_factor_code(client, security_log, caplog):
    staff = make_persona("Staff Member", "staff@example.org", Role.ASSESSOR, mfa=False)
    give_totp(staff)
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})

    client.post(reverse("mfa_authenticate"), {"code": "000000"})

    assert _event(security_log(), f"mfa_failed user_id={staff.pk} type=totp")
    _assert_absent(caplog, PASSWORD, "000000")


def test_it_logs_password_changes_and_resets_without_the_password(
    client, tess, security_log, caplog
):
    client.post(reverse("account_login"), {"login": tess.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    reset = Client()
    reset.post(reverse("account_reset_password"), {"email": tess.email})
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    key_url = reset.get(link.group(1))["Location"]
    reset.post(
        key_url,
        {"password1": "yet-another-passphrase-31", "password2": "yet-another-passphrase-31"},
    )

    lines = security_log()
    assert _event(lines, f"password_changed user_id={tess.pk}")
    assert _event(lines, f"password_reset user_id={tess.pk}")
    key = link.group(1).rstrip("/").rsplit("/", 1)[-1]
    _assert_absent(caplog, PASSWORD, NEW_PASSWORD, "yet-another-passphrase-31", key)


def test_it_logs_an_added_email_address(client, tess, security_log):
    client.post(reverse("account_login"), {"login": tess.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    client.post(reverse("account_email"), {"action_add": "", "email": "tess.work@example.org"})

    assert _event(security_log(), f"email_added user_id={tess.pk}")


# Refusals ----------------------------------------------------------------------------------


def test_it_logs_a_404_from_an_access_helper_with_the_url_name_and_id(client, uma, security_log):
    from tests.courses.factories import CohortFactory

    cohort = CohortFactory()
    client.force_login(uma)

    response = client.get(reverse("courses:cohort_detail", args=[cohort.pk]) + "?q=secret-q")

    assert response.status_code == 404
    [line] = _event(security_log(), "access_denied")
    assert line.startswith(
        f"access_denied status=404 user_id={uma.pk} method=GET "
        f"url_name=courses:cohort_detail ids=pk={cohort.pk}"
    )
    assert "secret-q" not in line


def test_it_logs_a_refused_token_without_the_token(client, security_log, caplog):
    token = "guessed-invitation-token-0042"

    response = client.get(reverse("courses:invitation_accept", args=[token]))

    assert response.status_code == 404
    [line] = _event(security_log(), "access_denied")
    assert "user_id=None" in line and "url_name=courses:invitation_accept" in line
    _assert_absent(caplog, token)


def test_it_logs_a_403(tess, security_log):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(tess)

    response = strict.post(reverse("accounts_profile"), {"full_name": "Tess T"})

    assert response.status_code == 403
    assert _event(
        security_log(),
        f"access_denied status=403 user_id={tess.pk} method=POST url_name=accounts_profile",
    )


def test_it_does_not_log_ordinary_pages_or_unknown_addresses(client, tess, security_log):
    client.force_login(tess)

    assert client.get(reverse("accounts_profile")).status_code == 200
    assert client.get("/no-such-page/").status_code == 404

    assert _event(security_log(), "access_denied") == []
