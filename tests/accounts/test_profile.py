from django.urls import reverse

import pytest

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_it_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("accounts_profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_saves_name_organisation_and_job_title(client, tess):
    board = OrganisationFactory(name="Camden Safeguarding Children Partnership")
    client.force_login(tess)

    response = client.post(
        reverse("accounts_profile"),
        {"full_name": "Tess T. Trainee", "organisation": board.pk, "job_title": "Team manager"},
    )

    assert response.status_code == 302
    tess.refresh_from_db()
    assert (tess.full_name, tess.organisation, tess.job_title) == (
        "Tess T. Trainee",
        board,
        "Team manager",
    )


def test_it_keeps_input_and_explains_a_missing_name(client, tess):
    client.force_login(tess)

    response = client.post(
        reverse("accounts_profile"), {"full_name": "", "job_title": "Senior practitioner"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert 'href="#id_full_name"' in body
    assert 'value="Senior practitioner"' in body
    tess.refresh_from_db()
    assert tess.full_name == "Tess Trainee"
