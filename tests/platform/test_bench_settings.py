"""Production keeps its database connections, and the benchmarks' bare view exists only under
their own settings."""

import json

from django.urls import reverse

import pytest

from tests.production import PRODUCTION_ENV, manage

pytestmark = pytest.mark.django_db

SHOW_DATABASE = (
    "import json; from django.conf import settings as s; "
    "d = s.DATABASES['default']; "
    "print(json.dumps([d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], s.ROOT_URLCONF]))"
)


def test_it_keeps_production_connections_open_and_checks_them_before_reuse():
    result = manage("shell", "-v", "0", "-c", SHOW_DATABASE, env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [600, True, "learning_platform.urls"]


def test_it_takes_the_connection_age_from_the_environment():
    result = manage(
        "shell", "-v", "0", "-c", SHOW_DATABASE, env={**PRODUCTION_ENV, "CONN_MAX_AGE": "0"}
    )

    assert json.loads(result.stdout)[:2] == [0, True]


def test_it_serves_no_bare_view_on_the_site(client, home):
    assert client.get("/bench/ok/").status_code == 404


def test_it_serves_the_bare_view_under_the_bench_urls(client, settings):
    settings.ROOT_URLCONF = "learning_platform.bench_urls"

    response = client.get(reverse("bench_ok"))

    assert (response.status_code, response.content) == (200, b"ok")
