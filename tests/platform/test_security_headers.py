import json

from django.conf import settings as django_settings

import pytest

from tests.factories import PASSWORD
from tests.production import PRODUCTION_ENV, manage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/accounts/login/", "/search/", "/verify/"])
def test_it_sends_a_strict_content_security_policy_outside_the_admin(client, path):
    response = client.get(path)

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_it_leaves_the_wagtail_admin_to_its_own_policy(client, ada):
    client.force_login(ada)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


# Headers on every page, and the cookies production sends ------------------------------------

PUBLIC_PAGE = "/verify/"


def test_it_switches_off_browser_features_no_page_uses(client):
    response = client.get(PUBLIC_PAGE)

    policy = response["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in policy.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial"):
        assert features[feature] == "()", feature
    # Embedded module videos still need these.
    assert "fullscreen" not in features
    assert "picture-in-picture" not in features


def test_it_sends_the_content_and_framing_headers_on_a_public_page(client):
    response = client.get(PUBLIC_PAGE)

    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" not in response["Content-Security-Policy"]
    # HSTS is for production over HTTPS only: a development server must not pin the browser.
    assert "Strict-Transport-Security" not in response


def _production_settings() -> dict:
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k) "
        "for k in ['SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE',"
        " 'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_HTTPONLY', 'CSRF_COOKIE_SAMESITE',"
        " 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD',"
        " 'SECURE_SSL_REDIRECT', 'SECURE_CONTENT_TYPE_NOSNIFF', 'SECURE_REFERRER_POLICY',"
        " 'X_FRAME_OPTIONS']}))"
    )
    result = manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def production():
    return _production_settings()


def test_it_sets_secure_httponly_samesite_cookies_in_production(production):
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_HTTPONLY"] is True
    assert production["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert production["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_SSL_REDIRECT"] is True


def test_it_sends_the_production_cookies_and_hsts_over_https(client, settings, production, tess):
    for name, value in production.items():
        setattr(settings, name, value)

    login = client.get("/accounts/login/", secure=True)
    response = client.post(
        "/accounts/login/", {"login": tess.email, "password": PASSWORD}, secure=True
    )

    assert response.status_code == 302
    session = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    csrf = login.cookies[django_settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"
    hsts = login["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts
    assert "preload" in hsts
    # Plain HTTP is sent to HTTPS.
    insecure = client.get("/verify/")
    assert insecure.status_code == 301
    assert insecure["Location"].startswith("https://")
