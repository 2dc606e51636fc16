from django.contrib.auth.models import Group

import pytest

from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role
from tests.factories import PASSWORD, OrganisationFactory, give_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    user = User.objects.create_superuser("root@example.org", PASSWORD, full_name="Root Admin")
    give_totp(user)
    return user


def test_it_creates_a_user_with_full_name_and_organisation_in_the_wagtail_admin(client, superuser):
    board = OrganisationFactory(name="Leeds Safeguarding Partnership")
    client.force_login(superuser)
    assert client.get("/admin/users/new/").status_code == 200

    response = client.post(
        "/admin/users/new/",
        {
            "email": "newsup@example.org",
            "full_name": "Nia Supervisor",
            "organisation": board.pk,
            "job_title": "Independent reviewer",
            "password1": "a-long-enough-password-91",
            "password2": "a-long-enough-password-91",
            "groups": [Group.objects.get(name=Role.SUPERVISOR).pk],
        },
    )

    assert response.status_code == 302
    created = User.objects.get(email="newsup@example.org")
    assert (created.full_name, created.organisation, created.job_title) == (
        "Nia Supervisor",
        board,
        "Independent reviewer",
    )
    assert created.groups.filter(name=Role.SUPERVISOR).exists()


def test_it_shows_the_edit_form_with_our_fields(client, superuser, tess):
    client.force_login(superuser)

    body = client.get(f"/admin/users/edit/{tess.pk}/").content.decode()

    assert 'name="full_name"' in body
    assert 'name="first_name"' not in body
