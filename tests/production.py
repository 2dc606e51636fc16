"""A production environment for the tests that start the project with its production settings."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "learningtogether.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/learning_together",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "CREDENTIAL_SIGNING_KEY": ec.generate_private_key(ec.SECP256R1())
    .private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    .decode(),
}


def manage(*args, env):
    """Run a manage.py command in a fresh process with the production settings and ``env``."""
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
