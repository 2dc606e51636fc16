from django.contrib.messages import get_messages
from django.urls import reverse

import pytest

from learning_platform.accounts.selectors import user_home_url

pytestmark = pytest.mark.django_db


def test_it_sends_the_wagtail_admin_login_through_allauth(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/admin/" in response["Location"]


def test_it_redirects_the_wagtail_login_form_to_allauth(client):
    response = client.get("/admin/login/?next=/admin/pages/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/pages/"


def test_it_redirects_the_django_admin_login_to_allauth(client):
    response = client.get("/django-admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert response.status_code == 200


def test_it_lets_an_administrator_with_mfa_into_the_wagtail_admin(client, ada):
    client.force_login(ada)

    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("persona", ["tess", "sam", "ali"])
def test_it_refuses_the_wagtail_admin_to_signed_in_people_without_a_redirect_loop(
    client, persona, request
):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert response.redirect_chain == []
    page = response.content.decode()
    assert "You do not have access to this page" in page
    assert f'href="{user_home_url(user=user)}"' in page
    assert "You do not have permission" not in page
    assert list(get_messages(response.wsgi_request)) == []
    # The next page shows no queued "no permission" banners either.
    assert "You do not have permission" not in client.get(user_home_url(user=user)).content.decode()


def test_it_refuses_a_signed_in_trainee_the_wagtail_login_instead_of_sending_her_back(client, tess):
    client.force_login(tess)

    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 403


def test_it_refuses_a_signed_in_trainee_the_django_admin_without_a_redirect_loop(
    client, tess, caplog
):
    client.force_login(tess)

    with caplog.at_level("INFO", logger="learning_platform.security"):
        response = client.get("/django-admin/", follow=True)

    assert response.status_code == 403
    assert response.redirect_chain == []
    assert (
        f"access_denied status=403 user_id={tess.pk} method=GET url_name=admin:index" in caplog.text
    )


def test_it_lets_a_superuser_with_mfa_into_the_django_admin(client):
    from learning_platform.accounts.models import User
    from tests.factories import PASSWORD, give_totp

    root = User.objects.create_superuser("root@example.org", PASSWORD, full_name="Root Admin")
    give_totp(root)
    client.force_login(root)

    assert client.get("/django-admin/").status_code == 200
    assert client.get("/django-admin/login/")["Location"].startswith(reverse("account_login"))
