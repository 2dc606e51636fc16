"""Production: refuses to start without its secrets, a database and a broker."""

from django.core.exceptions import ImproperlyConfigured

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import (
    load_pem_private_key,
    load_pem_public_key,
)

from learning_platform.env import (
    env_bool,
    env_int,
    env_list,
    env_required,
    env_str,
    pem_blocks,
)

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")

env_required("DATABASE_URL")  # the SQLite fallback is for development only
# Keep each worker's PostgreSQL connection between requests (opening one costs more than most
# pages' queries), checked before reuse so a connection the server dropped is replaced.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 600)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
CELERY_BROKER_URL = env_required("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False

# The issuer's key signs every Open Badges credential; a key made on first use would differ
# between machines and vanish with one, so production takes it from the environment only.
if not CREDENTIAL_SIGNING_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        "CREDENTIAL_SIGNING_KEY (or CREDENTIAL_SIGNING_KEY_FILE) must be set in production: the "
        "P-256 private key, in PEM, that signs credentials. See the README's Credentials section."
    )
try:
    _issuer_key = load_pem_private_key(CREDENTIAL_SIGNING_KEY.encode(), password=None)  # noqa: F405
except (ValueError, TypeError) as exc:
    raise ImproperlyConfigured(
        "CREDENTIAL_SIGNING_KEY is not an unencrypted private key in PEM."
    ) from exc
if not (
    isinstance(_issuer_key, ec.EllipticCurvePrivateKey) and _issuer_key.curve.name == "secp256r1"
):
    raise ImproperlyConfigured("CREDENTIAL_SIGNING_KEY must be a P-256 (ES256) private key.")
# The keys still published after a rotation: each must load, or every key document would fail.
_blocks = pem_blocks(CREDENTIAL_PREVIOUS_KEYS)  # noqa: F405
if CREDENTIAL_PREVIOUS_KEYS.strip() and not _blocks:  # noqa: F405
    raise ImproperlyConfigured("CREDENTIAL_PREVIOUS_KEYS holds no key in PEM.")
for _label, _block in _blocks:
    try:
        _key = (
            load_pem_private_key(_block.encode(), password=None)
            if "PRIVATE" in _label
            else load_pem_public_key(_block.encode())
        )
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("A key in CREDENTIAL_PREVIOUS_KEYS cannot be read.") from exc
    if not (
        isinstance(_key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey)
        and _key.curve.name == "secp256r1"
    ):
        raise ImproperlyConfigured("Every key in CREDENTIAL_PREVIOUS_KEYS must be P-256.")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("CACHE_URL") or CELERY_BROKER_URL,
    }
}
if not CACHES["default"]["LOCATION"].startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("CACHE_URL must be a redis:// URL in production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)

if env_str("AWS_STORAGE_BUCKET_NAME"):
    # S3-compatible storage through django-storages; evidence goes to a private bucket.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}  # noqa: F405
    STORAGES["private"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_required("AWS_PRIVATE_STORAGE_BUCKET_NAME"),
            "default_acl": "private",
            "querystring_auth": True,
            # Two renders of one certificate (a redelivered task beside a live worker) must save
            # to two names, or the one whose attach loses would delete the winner's file.
            "file_overwrite": False,
        },
    }

LOGGING["root"]["level"] = "INFO"  # noqa: F405
