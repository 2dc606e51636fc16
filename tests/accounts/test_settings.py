"""Production settings refuse to start without their secrets and pass `check --deploy` with them."""

import re

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from joserfc.jwk import ECKey

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
    # The message may name another way to give it (a file) before saying it must be set.
    assert re.search(rf"\b{missing}\b[^\n]* must be set in production", result.stderr)


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


def _private_pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _public_pem(key) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@pytest.mark.parametrize(
    ("signing_key", "message"),
    [
        pytest.param("", "must be set in production", id="blank"),
        pytest.param(
            _private_pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
            "CREDENTIAL_SIGNING_KEY must be a P-256 (ES256) private key.",
            id="rsa",
        ),
        pytest.param(
            _private_pem(ec.generate_private_key(ec.SECP384R1())),
            "CREDENTIAL_SIGNING_KEY must be a P-256 (ES256) private key.",
            id="p-384",
        ),
        pytest.param(
            _public_pem(ec.generate_private_key(ec.SECP256R1())),
            "CREDENTIAL_SIGNING_KEY is not an unencrypted private key in PEM.",
            id="public-only",
        ),
        pytest.param(
            "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----",
            "CREDENTIAL_SIGNING_KEY is not an unencrypted private key in PEM.",
            id="garbled",
        ),
    ],
)
def test_it_refuses_a_credential_signing_key_that_cannot_sign_es256(signing_key, message):
    result = manage("check", env={**PRODUCTION_ENV, "CREDENTIAL_SIGNING_KEY": signing_key})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
    assert "CREDENTIAL_SIGNING_KEY" in result.stderr.splitlines()[-1]


def test_it_takes_the_credential_signing_key_from_a_file_or_one_line(tmp_path):
    pem = _private_pem(ec.generate_private_key(ec.SECP256R1()))
    kid = ECKey.import_key(pem).thumbprint()
    key_file = tmp_path / "credential-issuer.pem"
    key_file.write_text(pem)
    without_key = {k: v for k, v in PRODUCTION_ENV.items() if k != "CREDENTIAL_SIGNING_KEY"}
    show = (
        "from accreditation.services.credential_keys import issuer_keys; "
        "print(issuer_keys().current_kid)"
    )

    for env in (
        {**without_key, "CREDENTIAL_SIGNING_KEY_FILE": str(key_file)},
        # A variable that cannot hold line breaks writes each as "\\n".
        {**PRODUCTION_ENV, "CREDENTIAL_SIGNING_KEY": pem.replace("\n", "\\n")},
    ):
        result = manage("shell", "-v", "0", "-c", show, env=env)

        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == [kid]


def _p256_public_pem() -> str:
    return _public_pem(ec.generate_private_key(ec.SECP256R1()))


@pytest.mark.parametrize(
    ("previous_keys", "message"),
    [
        pytest.param(
            _public_pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
            "Every key in CREDENTIAL_PREVIOUS_KEYS must be P-256.",
            id="rsa-public",
        ),
        pytest.param(
            _p256_public_pem()
            + _private_pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
            "Every key in CREDENTIAL_PREVIOUS_KEYS must be P-256.",
            id="p-256-then-rsa-private",
        ),
        pytest.param(
            _public_pem(ed25519.Ed25519PrivateKey.generate()),
            "Every key in CREDENTIAL_PREVIOUS_KEYS must be P-256.",
            id="ed25519-public",
        ),
        pytest.param(
            _private_pem(ed25519.Ed25519PrivateKey.generate()),
            "Every key in CREDENTIAL_PREVIOUS_KEYS must be P-256.",
            id="ed25519-private",
        ),
        pytest.param(
            "the key from before the rotation",
            "CREDENTIAL_PREVIOUS_KEYS holds no key in PEM.",
            id="no-pem-block",
        ),
    ],
)
def test_it_refuses_a_previous_credential_key_that_is_not_p256(previous_keys, message):
    result = manage("check", env={**PRODUCTION_ENV, "CREDENTIAL_PREVIOUS_KEYS": previous_keys})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
    assert "CREDENTIAL_PREVIOUS_KEYS" in result.stderr.splitlines()[-1]


def test_it_starts_with_a_p256_public_key_among_the_previous_credential_keys():
    previous = _p256_public_pem()
    show = (
        "from accreditation.services.credential_keys import jwks; "
        "print(*[key['kid'] for key in jwks()['keys']])"
    )
    current_kid = ECKey.import_key(PRODUCTION_ENV["CREDENTIAL_SIGNING_KEY"]).thumbprint()

    result = manage(
        "shell", "-v", "0", "-c", show, env={**PRODUCTION_ENV, "CREDENTIAL_PREVIOUS_KEYS": previous}
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [current_kid, ECKey.import_key(previous).thumbprint()]
