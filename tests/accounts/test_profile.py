import re

from django.urls import reverse

import pytest

from accreditation.models import Certificate
from learning_platform.accounts.forms import NAME_ON_CERTIFICATE_HELP
from tests.accreditation.award_builders import approve, make_ready, submit
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


@pytest.fixture
def certificate(tess, review, ali, django_capture_on_commit_callbacks):
    """Tess's certificate, issued with the name on her account."""
    make_ready(tess, review)
    return approve(submit(tess), ali)


@pytest.mark.parametrize(
    "status", [Certificate.Status.ISSUED, Certificate.Status.SUSPENDED, Certificate.Status.REVOKED]
)
def test_it_keeps_the_name_on_a_certificate_out_of_the_holders_hands(
    client, tess, certificate, status
):
    Certificate.objects.filter(pk=certificate.pk).update(status=status)
    board = OrganisationFactory(name="Camden Safeguarding Children Partnership")
    client.force_login(tess)

    page = client.get(reverse("accounts_profile")).content.decode()
    response = client.post(
        reverse("accounts_profile"),
        {"full_name": "Someone Else", "organisation": board.pk, "job_title": "Team manager"},
    )

    assert re.search(r'<input[^>]* name="full_name"[^>]* disabled[ >]', page)
    assert NAME_ON_CERTIFICATE_HELP in page
    # The rest of the profile still saves; the name does not change.
    assert response.status_code == 302
    tess.refresh_from_db()
    assert (tess.full_name, tess.organisation, tess.job_title) == (
        "Tess Trainee",
        board,
        "Team manager",
    )


def test_it_lets_someone_whose_certificate_is_not_issued_yet_change_their_name(
    client, tess, certificate
):
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.PENDING)
    client.force_login(tess)

    page = client.get(reverse("accounts_profile")).content.decode()
    client.post(reverse("accounts_profile"), {"full_name": "Tess T. Trainee", "job_title": ""})

    assert NAME_ON_CERTIFICATE_HELP not in page
    tess.refresh_from_db()
    assert tess.full_name == "Tess T. Trainee"


def test_it_lets_a_partner_without_a_certificate_change_their_name(client, pat, certificate):
    client.force_login(pat)

    page = client.get(reverse("accounts_profile")).content.decode()
    response = client.post(reverse("accounts_profile"), {"full_name": "Pat Jones", "job_title": ""})

    assert NAME_ON_CERTIFICATE_HELP not in page
    assert response.status_code == 302
    pat.refresh_from_db()
    assert pat.full_name == "Pat Jones"
