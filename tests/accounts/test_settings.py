"""Production settings refuse to start without their secrets and pass `check --deploy` with them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "learningtogether.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/learning_together",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def _manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    # Neither comes from a production environment: the test runner sets them for itself.
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args, "--settings=learning_platform.settings.production"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_check_deploy_with_no_warnings_when_configured():
    result = _manage("check", "--deploy", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_it_refuses_to_start_without_each_required_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_it_refuses_a_short_secret_key():
    result = _manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": "short"})

    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_it_takes_the_trusted_proxies_from_the_environment():
    show = (
        "from django.conf import settings; "
        "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    behind_proxy = {**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "2", "TRUSTED_CLIENT_IP_HEADER": ""}
    with_header = {**PRODUCTION_ENV, "TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}

    assert _manage("shell", "-v", "0", "-c", show, env=behind_proxy).stdout.split() == ["2", "None"]
    assert _manage("shell", "-v", "0", "-c", show, env=with_header).stdout.split()[1] == "X-Real-IP"
