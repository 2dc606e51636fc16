"""Nothing sent to a signed-in person may be kept by the browser: after sign-out on a shared
computer, the back button must not bring case-review content back."""

from django.urls import reverse

import pytest

from tests.accreditation.award_builders import approve, make_ready, submit
from tests.accreditation.factories import stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(tess, review, ali):
    make_ready(tess, review)
    return approve(submit(tess), ali)


def _assert_not_stored(response, url):
    assert response.status_code == 200, url
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, (url, response.get("Cache-Control"))
    assert "public" not in directives, url


def test_it_tells_the_browser_not_to_keep_any_page_a_trainee_sees(client, tess, certificate):
    client.force_login(tess)
    urls = [
        reverse("courses:my_learning"),
        reverse("accounts_profile"),
        reverse("accreditation:stage_detail", args=[stage(certificate.application.review, 1).pk]),
        reverse("accreditation:application"),
        reverse("notifications:list"),
        reverse("accreditation:my_certificates"),
        # Public pages too, once someone is signed in: the layout shows who they are.
        reverse("certificate_verify_code", args=[certificate.verification_code]),
        "/",
    ]

    for url in urls:
        _assert_not_stored(client.get(url), url)


def test_it_tells_the_browser_not_to_keep_a_staff_page(client, ali, certificate):
    client.force_login(ali)

    for url in [
        reverse("accreditation:assessment_queue"),
        reverse("accreditation:certificate_manage", args=[certificate.pk]),
    ]:
        _assert_not_stored(client.get(url), url)


def test_it_leaves_public_pages_for_anonymous_visitors_to_their_own_caching(client, certificate):
    for url in ["/", reverse("certificate_verify"), reverse("public_register")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.get("Cache-Control", ""), url

    # The verification page keeps the header it sets itself.
    response = client.get(reverse("certificate_verify_code", args=[certificate.verification_code]))
    assert response["Cache-Control"] == "no-cache, max-age=0"


def test_it_stops_sending_no_store_once_the_person_signs_out(client, tess):
    client.force_login(tess)
    _assert_not_stored(client.get(reverse("courses:my_learning")), "my_learning")

    client.post(reverse("account_logout"))

    response = client.get(reverse("certificate_verify"))
    assert "no-store" not in response.get("Cache-Control", "")
