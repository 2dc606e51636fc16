"""Sign-in details change only through allauth, never through the Wagtail admin's own screens."""

from django.core import mail
from django.urls import reverse

import pytest
from allauth.account.models import EmailAddress

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "an-entirely-new-passphrase-77"


def test_it_switches_off_the_wagtail_password_reset(client, ada):
    assert client.get("/admin/password_reset/").status_code == 404

    response = client.post("/admin/password_reset/", {"email": ada.email})

    assert response.status_code == 404
    assert mail.outbox == []


def test_it_keeps_allauths_password_reset_for_staff(client, ada):
    response = client.post(reverse("account_reset_password"), {"email": ada.email})

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[ada.email]]


def test_it_does_not_change_the_email_or_password_from_the_wagtail_account_page(client, ada):
    client.force_login(ada)
    page = client.get("/admin/account/")
    assert page.status_code == 200

    response = client.post(
        "/admin/account/",
        {
            "name_email-first_name": "Ada",
            "name_email-last_name": "Administrator",
            "name_email-email": "attacker@example.net",
            "password-old_password": PASSWORD,
            "password-new_password1": NEW_PASSWORD,
            "password-new_password2": NEW_PASSWORD,
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
            "locale-preferred_language": "en",
            "locale-current_time_zone": "",
        },
    )

    # The rest of the page saves as before; only the sign-in details are not on it.
    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.email == "ada@example.org"
    assert ada.check_password(PASSWORD)
    assert not EmailAddress.objects.filter(email="attacker@example.net").exists()
    content = page.content.decode()
    assert 'name="name_email-email"' not in content
    assert 'name="password-new_password1"' not in content
    # The page points to the screens that do change them.
    assert reverse("account_email") in content
    assert reverse("account_change_password") in content
