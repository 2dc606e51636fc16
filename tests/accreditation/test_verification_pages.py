import datetime

from django.urls import reverse

import pytest

from accreditation.models import Certificate
from accreditation.services import certificates as services
from learning_platform import public_cache

from .award_builders import approve, make_ready, submit

# The certificate with its holder, scheme and events; the site's menu comes from the cache.
VERIFY_QUERIES = 1

NOT_FOUND = "We could not find a certificate with those details."


@pytest.fixture
def certificate(tess, review, ali):
    tess.organisation.name = "Secret Employer Ltd"
    tess.organisation.save()
    make_ready(tess, review)
    return approve(submit(tess), ali)


def _code_url(certificate):
    return reverse("certificate_verify_code", args=[certificate.verification_code])


def test_it_verifies_by_code_and_shows_only_what_the_public_may_know(client, certificate):
    response = client.get(_code_url(certificate))

    html = response.content.decode()
    assert response.status_code == 200
    assert "This certificate is valid" in html
    assert "Tess Trainee" in html
    assert certificate.number in html
    assert "Learning Together lead reviewer accreditation" in html
    assert f"{certificate.issued_at:%-d %B %Y}" in html
    assert f"{certificate.valid_until:%-d %B %Y}" in html
    assert "Status as of" in html
    assert "tess@example.org" not in html
    assert "Secret Employer Ltd" not in html
    assert response["Cache-Control"] == "no-cache, max-age=0"


def test_it_verifies_by_number_and_surname(client, certificate):
    response = client.post(
        reverse("certificate_verify"),
        {"number": certificate.number.lower(), "surname": "TRAINEE"},
    )

    assert response.status_code == 200
    assert "This certificate is valid" in response.content.decode()


def test_it_needs_the_right_surname_with_the_number(client, certificate):
    response = client.post(
        reverse("certificate_verify"), {"number": certificate.number, "surname": "Partner"}
    )

    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()
    assert "Tess" not in response.content.decode()


def test_it_sends_a_code_from_the_form_to_its_page(client, certificate):
    response = client.post(reverse("certificate_verify"), {"code": certificate.verification_code})
    assert response.status_code == 302
    assert response["Location"] == _code_url(certificate)


@pytest.mark.parametrize(
    "code", ["AAAAAAAAAAAAAAAAAAAA", "short", "has spaces in it here ok", "%3Cscript%3E" * 3]
)
def test_it_says_plainly_when_a_code_is_unknown_or_malformed(client, certificate, code):
    response = client.get(f"/verify/{code}/")

    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


def test_it_explains_what_to_enter(client, db):
    response = client.post(reverse("certificate_verify"), {})
    assert response.status_code == 400
    assert "Enter a verification code, or a certificate number" in response.content.decode()


def test_it_shows_a_revocation_at_once(client, certificate, ali):
    services.certificate_revoke(certificate=certificate, by=ali, reason="Misconduct")

    html = client.get(_code_url(certificate)).content.decode()
    assert "This certificate has been revoked" in html
    assert "Misconduct" not in html  # the reason is not public


def test_it_shows_a_suspension(client, certificate, ali):
    services.certificate_suspend(certificate=certificate, by=ali, reason="Complaint")
    assert "This certificate is suspended" in client.get(_code_url(certificate)).content.decode()


def test_it_computes_expiry_from_the_valid_until_date(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=datetime.date.today() - datetime.timedelta(days=1)
    )

    html = client.get(_code_url(certificate)).content.decode()
    assert "This certificate has expired" in html
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ISSUED  # expiry is never stored


def test_it_runs_a_fixed_number_of_queries(client, certificate, ali, django_assert_num_queries):
    # The first request after a cache clear also draws the site's menu.
    client.get(_code_url(certificate))
    # A certificate's change drops its page, but not the menu.
    public_cache.invalidate(public_cache.CERTIFICATES)
    with django_assert_num_queries(VERIFY_QUERIES):
        response = client.get(_code_url(certificate))
    assert response.status_code == 200
    # Drawn once, the page is served to the next anonymous visitor from the shared cache.
    with django_assert_num_queries(0):
        assert client.get(_code_url(certificate)).content == response.content

    # A long history of suspensions and reinstatements is read in the same queries.
    for n in range(15):
        services.certificate_suspend(certificate=certificate, by=ali, reason=f"Complaint {n}")
        services.certificate_reinstate(certificate=certificate, by=ali, reason=f"Cleared {n}")
    with django_assert_num_queries(VERIFY_QUERIES):
        response = client.get(_code_url(certificate))
    assert certificate.events.count() >= 30
