"""Every URL of applications, assessment, certificates, verification, the register and the
dashboard, tried as every persona: exactly who gets in."""

from django.urls import reverse

import pytest

from accreditation.services.applications import application_save_draft

from .award_builders import approve, make_ready, submit
from .factories import SupervisedReviewFactory

PERSONAS = ["anonymous", "tess", "pat", "uma", "sam", "ali", "ada"]
SIGNED_IN = set(PERSONAS) - {"anonymous"}
TRAINEES = {"tess", "pat", "uma"}


@pytest.fixture
def world(tess, pat, uma, sam, ali, ada, review, django_capture_on_commit_callbacks):
    """Tess's application approved with its certificate rendered; Uma has a draft of her own."""
    make_ready(tess, review)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = approve(submit(tess), ali)
    SupervisedReviewFactory(trainee=uma, supervisor=sam)
    draft = application_save_draft(trainee=uma, reflective_statement="Draft")
    certificate.refresh_from_db()
    return {"certificate": certificate, "application": certificate.application, "draft": draft}


def _cases(world):
    certificate, application = world["certificate"], world["application"]
    return [
        ("GET", reverse("accreditation:application"), TRAINEES),
        ("GET", reverse("accreditation:application_check"), TRAINEES),
        ("GET", reverse("accreditation:application_withdraw"), TRAINEES),
        ("GET", reverse("accreditation:assessment_queue"), {"ali"}),
        ("GET", reverse("accreditation:assessment_portfolio", args=[application.pk]), {"ali"}),
        ("GET", reverse("accreditation:assessment_portfolio", args=[world["draft"].pk]), set()),
        ("POST", reverse("accreditation:assessment_decide", args=[application.pk]), {"ali"}),
        ("GET", reverse("accreditation:assessment_certificates"), {"ali"}),
        ("GET", reverse("accreditation:certificate_manage", args=[certificate.pk]), {"ali"}),
        ("POST", reverse("accreditation:certificate_manage", args=[certificate.pk]), {"ali"}),
        ("GET", reverse("accreditation:my_certificates"), SIGNED_IN),
        ("GET", reverse("accreditation:certificate_pdf", args=[certificate.pk]), {"tess", "ali"}),
        ("POST", reverse("accreditation:certificate_register", args=[certificate.pk]), {"tess"}),
        ("GET", reverse("accreditation:dashboard"), {"ada"}),
        ("GET", reverse("accreditation:dashboard_csv"), {"ada"}),
        ("GET", reverse("certificate_verify"), set(PERSONAS)),
        (
            "GET",
            reverse("certificate_verify_code", args=[certificate.verification_code]),
            set(PERSONAS),
        ),
        ("GET", reverse("public_register"), set(PERSONAS)),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_in_exactly_the_right_people(client, world, persona, request):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    outcomes = {}
    for method, url, allowed in _cases(world):
        response = client.get(url) if method == "GET" else client.post(url, {})
        outcomes[(method, url)] = response.status_code
        if persona in allowed:
            # In: a page, a file, a form with errors (an empty POST) or a redirect after a change.
            assert response.status_code in (200, 302, 400), (method, url, response.status_code)
            if response.status_code == 302:
                assert "/accounts/login/" not in response["Location"], (method, url)
        elif persona == "anonymous":
            assert response.status_code == 302, (method, url, response.status_code)
            assert response["Location"].startswith("/accounts/login/"), (method, url)
        else:
            assert response.status_code == 404, (method, url, response.status_code)
    assert outcomes


def test_it_sends_the_pdf_as_a_private_attachment(client, world, tess):
    client.force_login(tess)
    response = client.get(reverse("accreditation:certificate_pdf", args=[world["certificate"].pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store, private"
    number = world["certificate"].number
    assert response["Content-Disposition"] == f'attachment; filename="{number}.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
