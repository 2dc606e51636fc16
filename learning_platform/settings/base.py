"""Settings shared by every environment. Everything that varies comes from the environment."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

from learning_platform.env import (
    env_bool,
    env_int,
    env_int_list,
    env_list,
    env_pem,
    env_rates,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "learning_platform"

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "learning_platform.accounts",
    "content",
    "courses",
    "accreditation",
    "notifications",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "learning_platform.accounts.apps.AccountUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Inside CommonMiddleware, which sets Content-Length after the title is changed.
    "learning_platform.form_errors.ErrorTitleMiddleware",
    # Before the CSRF check, which reads a form's whole body.
    "learning_platform.body_limits.BodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before the MFA check, so an idle session ends before anything else is asked of it.
    "learning_platform.accounts.middleware.SessionIdleTimeoutMiddleware",
    "learning_platform.accounts.middleware.RequireMFAMiddleware",
    # After the MFA check: staff still setting up two-factor are sent there first.
    "learning_platform.admin_access.AdminAccessMiddleware",
    "learning_platform.security.AccessDeniedLogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "learning_platform.security.PermissionsPolicyMiddleware",
    "learning_platform.security.SignedInNoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    # After every middleware that decides who the visitor is. A page served from the cache goes
    # back out through all the middleware above, which add their headers as to any response.
    "learning_platform.public_cache.AnonymousPublicCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "learning_platform.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "learning_platform.context_processors.navigation",
                "learning_platform.accounts.context_processors.idle_timeout",
                "notifications.context_processors.unread_notifications",
            ],
            "libraries": {"tables": "learning_platform.templatetags.tables"},
        },
    },
]

# Every form's built-in error messages in the site's own words (see form_errors.py).
FORM_RENDERER = "learning_platform.form_errors.SiteFormRenderer"

WSGI_APPLICATION = "learning_platform.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_cache_url = env_str("CACHE_URL")
if _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
else:
    # A database table is shared by every web process, so rate limits hold across them.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cache_table",
        }
    }

# How long an anonymous visitor's public page is kept in the shared cache at most (see
# learning_platform/public_cache.py); 0 turns the cache off. Events that change a page drop it
# at once, so this only bounds what the cache holds.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 60 * 60)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# django-allauth: email is the login; verification is mandatory; signup only by invitation.
ACCOUNT_ADAPTER = "learning_platform.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Learning Together] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env_str("HTTP_PROTOCOL", "http")
# Changing the email address or the password, or any two-factor setting, asks for the password
# again once the last sign-in is older than the timeout.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Behind a reverse proxy REMOTE_ADDR is the proxy's address, so per-IP rate limits would lump
# every visitor together and the security log would name only the proxy. allauth then reads the
# client's address from the X-Forwarded-For entry this many proxies from the right (only
# proxies we run may be counted: the left-hand entries are whatever the client sent), or from
# a single header a trusted proxy sets (e.g. X-Real-IP, CF-Connecting-IP), which wins if set.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER") or None
# Checking a certificate by number and surname: per client address and per certificate number,
# so neither one address walking the numbers nor many addresses guessing one holder's surname
# gets far. Counted in the cache with allauth's own limits (see learning_platform/ratelimits.py).
CERTIFICATE_LOOKUP_RATE_LIMIT = env_rates("CERTIFICATE_LOOKUP_RATE_LIMIT", "30/h/ip,5/h/key")
# Checking a pasted or uploaded credential on /verify/, per client address, as the lookup above.
CREDENTIAL_CHECK_RATE_LIMIT = env_rates("CREDENTIAL_CHECK_RATE_LIMIT", "30/h/ip")
# Enquiries sent through the contact form, per client address (ip) and per address the
# acknowledgement goes to (key): each enquiry emails the address typed in, so the limit per key
# keeps the form from being used to flood a stranger's inbox.
ENQUIRY_RATE_LIMIT = env_rates("ENQUIRY_RATE_LIMIT", "10/h/ip,3/h/key")
# Messages sent to a reviewer through the public register's contact form, per client address:
# each one emails a holder, so one address cannot flood the register's reviewers.
REGISTER_CONTACT_RATE_LIMIT = env_rates("REGISTER_CONTACT_RATE_LIMIT", "5/h/ip")
ACCOUNT_RATE_LIMITS = {
    "certificate_lookup": CERTIFICATE_LOOKUP_RATE_LIMIT,
    "credential_check": CREDENTIAL_CHECK_RATE_LIMIT,
    "enquiry": ",".join(r for r in ENQUIRY_RATE_LIMIT.split(",") if r.endswith("/ip")),
    "enquiry_to_address": ",".join(r for r in ENQUIRY_RATE_LIMIT.split(",") if r.endswith("/key")),
    "register_contact": REGISTER_CONTACT_RATE_LIMIT,
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Learning Together"
# Accept the code from the period either side of now: phone clocks drift, and a code typed in
# the last second of its period would otherwise fail. Each code still works only once.
MFA_TOTP_TOLERANCE = 1

# Sessions live in the database with their user's id, so deactivating someone ends them all.
SESSION_ENGINE = "learning_platform.accounts.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 2)
# A signed-in session ends after this long without a request, whatever the cookie's age. The
# idle middleware refreshes the session at most once a minute, so it is not written every request.
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script here reads the CSRF cookie (forms carry the token), so scripts may not read it.
CSRF_COOKIE_HTTPONLY = True

# Response headers on every page, in every environment (production adds HSTS and secure cookies).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page uses are switched off. Fullscreen, autoplay and picture-in-picture
# stay allowed because module videos are embedded players that use them.
PERMISSIONS_POLICY: dict[str, list[str]] = dict.fromkeys(
    [
        "accelerometer",
        "ambient-light-sensor",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ],
    [],
)

# A strict Content Security Policy everywhere but the two admin sites, whose own scripts and
# styles need inline code: no inline script or style, nothing from other origins except video
# embeds in modules, and a nonce for any script that must be inline.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
        ],
        # No page here is meant to be framed: the same as X-Frame-Options: DENY.
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

LANGUAGE_CODE = "en-gb"
# One date format everywhere ("3 December 2026"): see learning_platform/formats/en_GB. The two
# settings below are what Django falls back to where no language is active.
FORMAT_MODULE_PATH = ["learning_platform.formats"]
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Largest evidence file a trainee may upload, in bytes (checked before anything is stored).
EVIDENCE_MAX_UPLOAD_BYTES = env_int("EVIDENCE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Seconds an SMTP connection may wait on the mail server: a server that hangs then fails the
# send with a timeout (retried later) instead of holding a worker until its time limit.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Learning Together <learningtogether@scie.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who receives enquiries from the public contact form when the form page names nobody.
ENQUIRY_RECIPIENTS = env_list("ENQUIRY_RECIPIENTS", ["learningtogether@scie.example"])
# How long a cohort invitation link stays usable.
INVITATION_EXPIRY_DAYS = env_int("INVITATION_EXPIRY_DAYS", 14)

# Celery: with no broker configured, tasks run eagerly in-process (development and tests).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# An unacknowledged message (its worker died mid-task) goes back on the queue after this many
# seconds. Keep it above the longest task, or a slow task is handed to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Periodic jobs, run by one `celery beat` (times are Europe/London, as CELERY_TIMEZONE says).
# Each job is idempotent, so a missed or doubled run delays or repeats nothing it has done.
CELERY_BEAT_SCHEDULE = {
    "sweep-stuck-work": {
        "task": "learning_platform.sweeps.sweep_stuck_work",
        "schedule": crontab(minute="*/5"),
    },
    "stage-waiting-reminders": {
        "task": "accreditation.periodic.send_stage_waiting_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "supervisor-weekly-digest": {
        "task": "accreditation.periodic.send_supervisor_digests",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    "certificate-expiry-warnings": {
        "task": "accreditation.periodic.send_certificate_expiry_warnings",
        "schedule": crontab(hour=8, minute=30),
    },
    "trainee-inactivity-reminders": {
        "task": "courses.periodic.send_trainee_inactivity_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    # 03:15 is outside the hour the clocks change in, so it runs exactly once every day.
    "evidence-retention-purge": {
        "task": "accreditation.periodic.purge_expired_evidence",
        "schedule": crontab(hour=3, minute=15),
    },
}
# Days after an application is decided (approved or declined) before its evidence files go.
EVIDENCE_RETENTION_DAYS = env_int("EVIDENCE_RETENTION_DAYS", 365)
# Days a message sent to a holder through the register's contact form is kept (it has been
# emailed to them; the copy here is only for abuse reports), then the daily purge deletes it.
CONTACT_MESSAGE_RETENTION_DAYS = env_int("CONTACT_MESSAGE_RETENTION_DAYS", 90)
# Days a submitted stage waits before its supervisor is reminded.
STAGE_REMINDER_DAYS = env_int("STAGE_REMINDER_DAYS", 7)
# Days without any activity before a trainee (and their supervisor's digest) hears about it.
TRAINEE_INACTIVITY_DAYS = env_int("TRAINEE_INACTIVITY_DAYS", 30)
# Days before valid_until at which a certificate holder is warned, one warning per threshold.
CERTIFICATE_EXPIRY_WARNING_DAYS = env_int_list("CERTIFICATE_EXPIRY_WARNING_DAYS", [90, 30])
# First wait before a failed notification email is tried again (doubling each time), and how
# long a worker's claim on an email holds before the sweeper may hand it to another.
NOTIFICATION_EMAIL_RETRY_SECONDS = env_int("NOTIFICATION_EMAIL_RETRY_SECONDS", 60)
NOTIFICATION_EMAIL_CLAIM_TIMEOUT = env_int("NOTIFICATION_EMAIL_CLAIM_TIMEOUT", 600)

# Open Badges credentials are signed (ES256) with the issuer's key, a P-256 private key in PEM.
# Unset in development: one is made on first use and kept in private storage. Production refuses
# to start without it. The keys used before a rotation stay published in the JWKS, so the
# credentials they signed still verify: PEM blocks, private or public, one after another.
CREDENTIAL_SIGNING_KEY = env_pem("CREDENTIAL_SIGNING_KEY")
CREDENTIAL_PREVIOUS_KEYS = env_pem("CREDENTIAL_PREVIOUS_KEYS")

# Wagtail
WAGTAIL_SITE_NAME = "Learning Together"
WAGTAILADMIN_BASE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "account_login"
# Sign-in details are allauth's alone: its password reset is rate-limited and logged, and its
# email and password changes ask for the password again, verify the new address and are logged.
# Wagtail's own reset (/admin/password_reset/) and the email and password fields of its account
# page (/admin/account/) would do none of that, so they are switched off.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "csv", "txt"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
SITE_URL = WAGTAILADMIN_BASE_URL
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "learning_platform.security": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
        },
        # Django warns of every 4xx with the full path, which can hold an invitation or calendar
        # token. Refusals go to the security log instead, without the path; errors still show.
        "django.request": {"level": "ERROR"},
    },
}
