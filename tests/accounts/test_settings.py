"""Production settings refuse to start without their secrets and pass `check --deploy` with them."""

import pytest

from tests.production import PRODUCTION_ENV, manage


def test_it_passes_check_deploy_with_no_warnings_when_configured():
    result = manage("check", "--deploy", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_it_refuses_to_start_without_each_required_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_it_refuses_a_short_secret_key():
    result = manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": "short"})

    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_it_takes_the_trusted_proxies_from_the_environment():
    show = (
        "from django.conf import settings; "
        "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    behind_proxy = {**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "2", "TRUSTED_CLIENT_IP_HEADER": ""}
    with_header = {**PRODUCTION_ENV, "TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}

    assert manage("shell", "-v", "0", "-c", show, env=behind_proxy).stdout.split() == ["2", "None"]
    assert manage("shell", "-v", "0", "-c", show, env=with_header).stdout.split()[1] == "X-Real-IP"
