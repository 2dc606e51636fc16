from django.urls import reverse

import pytest

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


def test_it_keeps_a_trainee_out_of_the_wagtail_admin(client, tess):
    client.force_login(tess)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert not response["Location"].startswith("/admin/")
