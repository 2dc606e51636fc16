"""Checking a certificate by number and surname is rate limited; checking by code need not be."""

import secrets

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from accreditation.models import Certificate
from accreditation.services.certificates import new_verification_code
from learning_platform.env import env_rates

from .award_builders import approve, make_ready, submit

PROXY = "10.0.0.1"
ALICE_IP = "198.51.100.7"
BOB_IP = "203.0.113.9"
LIMITED = "Too many checks by certificate number"


@pytest.fixture
def certificate(tess, review, ali):
    make_ready(tess, review)
    return approve(submit(tess), ali)


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def _via_proxy(ip: str) -> Client:
    # The visitor's own entry is the one the proxy appends; whatever it sent stays to the left.
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.66, {ip}")


def _lookup(client: Client, number: str, surname: str = "Trainee"):
    return client.post(reverse("certificate_verify"), {"number": number, "surname": surname})


def _limits(setting: str) -> dict[str, int]:
    """{"ip": 30, "key": 5} from "30/h/ip,5/h/key"."""
    return {part.split("/")[2]: int(part.split("/")[0]) for part in setting.split(",")}


def test_it_limits_lookups_by_number_per_client_address(behind_one_proxy, settings, certificate):
    per_address = _limits(settings.CERTIFICATE_LOOKUP_RATE_LIMIT)["ip"]
    alice, bob = _via_proxy(ALICE_IP), _via_proxy(BOB_IP)

    # Walking the numbers: a different number each time, so only the per-address limit trips.
    for n in range(per_address):
        assert _lookup(alice, f"LT-2026-{90000 + n:05d}").status_code == 404
    refused = _lookup(alice, certificate.number)

    assert refused.status_code == 429
    html = refused.content.decode()
    assert LIMITED in html
    assert "Try again in 60 minutes, after" in html
    assert "This certificate is valid" not in html
    assert 3590 <= int(refused["Retry-After"]) <= 3600
    # Bob shares the proxy's address but not Alice's limit.
    assert "This certificate is valid" in _lookup(bob, certificate.number).content.decode()
    # The code printed on the certificate still works for Alice.
    by_code = alice.get(reverse("certificate_verify_code", args=[certificate.verification_code]))
    assert by_code.status_code == 200


def test_it_limits_lookups_of_one_certificate_number_from_any_address(
    behind_one_proxy, settings, certificate
):
    per_number = _limits(settings.CERTIFICATE_LOOKUP_RATE_LIMIT)["key"]
    surnames = [f"Guess{n}" for n in range(per_number)]

    # Many addresses guessing one holder's surname.
    for n, surname in enumerate(surnames):
        assert (
            _lookup(_via_proxy(f"198.51.100.{n + 10}"), certificate.number, surname).status_code
            == 404
        )
    refused = _lookup(_via_proxy(BOB_IP), certificate.number.lower())

    assert refused.status_code == 429
    assert LIMITED in refused.content.decode()
    # Another number from the same address is not held back by this one.
    assert _lookup(_via_proxy(BOB_IP), "LT-2026-99999").status_code == 404


def test_it_reads_the_limits_from_the_environment(monkeypatch, settings, certificate):
    monkeypatch.setenv("CERTIFICATE_LOOKUP_RATE_LIMIT", " 2/m/ip , 10/h/key ")
    settings.ACCOUNT_RATE_LIMITS = {
        "certificate_lookup": env_rates("CERTIFICATE_LOOKUP_RATE_LIMIT", "30/h/ip,5/h/key")
    }
    client = Client()

    assert _lookup(client, "LT-2026-90001").status_code == 404
    assert _lookup(client, "LT-2026-90002").status_code == 404
    refused = _lookup(client, certificate.number)

    assert refused.status_code == 429
    assert "Try again in 1 minute, after" in refused.content.decode()


@pytest.mark.parametrize("value", ["", "30 per hour", "30/h/user", "30/h/ip;5/h/key", "h/30/ip"])
def test_it_refuses_a_limit_it_cannot_read(monkeypatch, value):
    monkeypatch.setenv("CERTIFICATE_LOOKUP_RATE_LIMIT", value)

    with pytest.raises(ImproperlyConfigured, match="CERTIFICATE_LOOKUP_RATE_LIMIT"):
        env_rates("CERTIFICATE_LOOKUP_RATE_LIMIT", "30/h/ip,5/h/key")


def test_it_does_not_count_a_form_that_never_reached_a_lookup(settings, client, certificate):
    settings.ACCOUNT_RATE_LIMITS = {"certificate_lookup": "1/h/ip"}

    assert _lookup(client, "not a number").status_code == 400
    assert _lookup(client, certificate.number, surname="").status_code == 400

    assert _lookup(client, certificate.number).status_code == 200


def test_it_keeps_code_lookups_unlimited_and_each_guess_costs_one_indexed_query(
    client, certificate
):
    field = Certificate._meta.get_field("verification_code")
    # A unique column has its own index: a guess is one exact-match probe, never a scan.
    assert field.unique
    # 120 random bits per code: guessing one of even a million certificates takes ~2**100 tries.
    codes = {new_verification_code() for _ in range(100)}
    assert len(codes) == 100
    assert {len(code) for code in codes} == {20}

    for _ in range(40):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/verify/{secrets.token_urlsafe(15)}/")
        assert response.status_code == 404
        lookups = [q["sql"] for q in queries if "accreditation_certificate" in q["sql"]]
        assert len(lookups) == 1
        assert "verification_code" in lookups[0]

    # Anything not shaped like a code is refused before the database is asked.
    for malformed in ["short", "x" * 41, "has.dots.in.it.somewhere", "%27%20OR%201%3D1--xxxxxxx"]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/verify/{malformed}/")
        assert response.status_code == 404
        assert not [q for q in queries if "accreditation_certificate" in q["sql"]]

    # After all those guesses the real code still answers at once.
    response = client.get(reverse("certificate_verify_code", args=[certificate.verification_code]))
    assert response.status_code == 200
