"""Behind the reverse proxy, rate limits and the security log see each visitor's own address."""

import logging

from django.test import Client
from django.urls import reverse

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGGER = "learning_platform.security"
PROXY = "10.0.0.1"
ALICE_IP = "198.51.100.7"
BOB_IP = "203.0.113.9"
TOO_MANY = "Too many failed login attempts"


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def _via_proxy(ip: str) -> Client:
    # The proxy connects from its own address and appends the visitor's to X-Forwarded-For;
    # whatever the visitor sent itself stays to the left.
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.66, {ip}")


def _fail_login(client: Client, n: int):
    # A different address each time, so only the per-IP limit (10 a minute) can trip.
    return client.post(
        reverse("account_login"), {"login": f"nobody{n}@example.org", "password": "wrong-123"}
    )


def _security_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


def test_it_limits_two_visitors_behind_the_same_proxy_separately(behind_one_proxy, tess, caplog):
    alice, bob = _via_proxy(ALICE_IP), _via_proxy(BOB_IP)
    caplog.set_level(logging.INFO, logger=LOGGER)

    for n in range(10):
        assert TOO_MANY not in _fail_login(alice, n).content.decode()
    assert TOO_MANY in _fail_login(alice, 10).content.decode()

    # Bob shares the proxy's address but not Alice's limit.
    assert TOO_MANY not in _fail_login(bob, 0).content.decode()
    response = bob.post(reverse("account_login"), {"login": tess.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in bob.session

    lines = _security_lines(caplog)
    assert f"login_failed identifier=nobody0@example.org ip={ALICE_IP}" in lines
    assert f"login_failed identifier=nobody0@example.org ip={BOB_IP}" in lines
    assert f"login user_id={tess.pk} ip={BOB_IP}" in lines
    assert not [line for line in lines if PROXY in line or "192.0.2.66" in line]


def test_it_logs_a_refusal_with_the_visitors_own_address(behind_one_proxy, tess, caplog):
    alice = _via_proxy(ALICE_IP)
    alice.force_login(tess)
    caplog.set_level(logging.INFO, logger=LOGGER)

    assert alice.get("/django-admin/login/").status_code == 403

    assert [
        line for line in _security_lines(caplog) if line.startswith("access_denied status=403")
    ] == [
        f"access_denied status=403 user_id={tess.pk} method=GET "
        f"url_name=django_admin_login_redirect ids=- ip={ALICE_IP}"
    ]


def test_it_ignores_forwarded_for_unless_a_proxy_is_trusted(tess, caplog):
    # The default (TRUSTED_PROXY_COUNT unset): a visitor cannot pick the address logged for them.
    visitor = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ALICE_IP)
    caplog.set_level(logging.INFO, logger=LOGGER)

    visitor.post(reverse("account_login"), {"login": tess.email, "password": PASSWORD})

    assert f"login user_id={tess.pk} ip={PROXY}" in _security_lines(caplog)


def test_it_reads_the_address_from_a_header_the_proxy_sets(settings, tess, caplog):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    visitor = Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=BOB_IP)
    caplog.set_level(logging.INFO, logger=LOGGER)

    visitor.post(reverse("account_login"), {"login": tess.email, "password": PASSWORD})

    assert f"login user_id={tess.pk} ip={BOB_IP}" in _security_lines(caplog)
