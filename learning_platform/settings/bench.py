"""Production settings for the benchmarks in bench/, on one machine over plain HTTP.

Everything production does (DEBUG off, Redis cache, persistent connections, the manifest static
storage, every middleware) with four differences a benchmark on 127.0.0.1 needs: the secrets
production takes from the environment get throwaway defaults, cookies and redirects do not
insist on HTTPS, and the URLs add a bare view (``/bench/ok/``) that every figure is measured
against. The bare view exists only here (learning_platform/bench_urls.py), never in production.
"""

import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

_SCRATCH = Path(os.environ.get("BENCH_SCRATCH", Path(tempfile.gettempdir()) / "lt-bench"))
_SCRATCH.mkdir(parents=True, exist_ok=True)
_KEY = _SCRATCH / "credential-issuer-key.pem"
if not _KEY.exists():
    _KEY.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )

os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lt_scale")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/2")
os.environ.setdefault("CREDENTIAL_SIGNING_KEY_FILE", str(_KEY))
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from .production import *  # noqa: E402, F403

ROOT_URLCONF = "learning_platform.bench_urls"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# Logs at INFO would write a line per request to the terminal the figures are printed on.
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
