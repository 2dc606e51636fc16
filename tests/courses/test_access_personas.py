"""Every cohort URL, tried as every persona. Anything a persona may not see is a 404."""

from django.urls import reverse
from django.utils import timezone

import pytest

from courses.models import Invitation
from tests.courses.factories import InvitationFactory, TrainingDayFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "tess", "pat", "uma", "sam", "ali", "ada"]


@pytest.fixture
def setup(cohort, tess_enrolment, pat_enrolment):
    # A day that has come, so its register can be taken.
    day = TrainingDayFactory(cohort=cohort, date=timezone.localdate())
    return {"cohort": cohort, "day": day, "enrolment": tess_enrolment}


def _get(client, request, persona, url):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client.get(url)


# Who gets 200; everyone else who is signed in gets 404, anonymous visitors go to sign in.
CASES = {
    "cohort_detail": {"tess", "pat", "sam", "ada"},
    "cohort_grid": {"sam", "ada"},
    "cohort_grid_csv": {"sam", "ada"},
    "cohort_grid_xlsx": {"sam", "ada"},
    "attendance_register": {"ada"},
    "enrolment_status": {"ada"},
}


def _url(name, setup):
    if name == "attendance_register":
        return reverse(f"courses:{name}", args=[setup["cohort"].pk, setup["day"].pk])
    if name == "enrolment_status":
        return reverse(f"courses:{name}", args=[setup["enrolment"].pk])
    return reverse(f"courses:{name}", args=[setup["cohort"].pk])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(CASES))
def test_it_shows_cohort_pages_only_to_those_allowed(client, request, setup, persona, name):
    response = _get(client, request, persona, _url(name, setup))

    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif persona in CASES[name]:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lists_only_the_cohorts_a_persona_belongs_to(client, request, setup, persona):
    response = _get(client, request, persona, reverse("courses:cohort_list"))

    if persona == "anonymous":
        assert response.status_code == 302
        return
    names = [c.name for c in response.context["cohorts"]]
    expected = ["London boards 2026"] if persona in {"tess", "pat", "sam", "ada"} else []
    assert names == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_serves_the_calendar_to_anyone_with_the_token_and_no_one_without(
    client, request, setup, persona
):
    cohort = setup["cohort"]
    good = reverse("courses:cohort_calendar", args=[cohort.pk, cohort.calendar_token])
    bad = reverse("courses:cohort_calendar", args=[cohort.pk, "not-the-token"])

    assert _get(client, request, persona, good).status_code == 200
    assert client.get(bad).status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_ada_post_an_invitation_or_a_register(client, request, setup, persona):
    cohort, day = setup["cohort"], setup["day"]
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    invite = client.post(
        reverse("invitations:add"),
        {"cohort": cohort.pk, "full_name": "New Person", "email": "new@example.org"},
    )
    register = client.post(
        reverse("courses:attendance_register", args=[cohort.pk, day.pk]), {"present": []}
    )

    if persona == "ada":
        assert invite.status_code == 302 and register.status_code == 302
        assert Invitation.objects.filter(email="new@example.org").exists()
    else:
        # The Wagtail admin refuses (403) anyone signed in without access to it.
        assert invite.status_code in (302, 403, 404) and register.status_code in (302, 404)
        assert not Invitation.objects.filter(email="new@example.org").exists()
        assert not day.attendance.exists()


@pytest.mark.parametrize("persona", ["tess", "sam", "ali"])
def test_it_keeps_the_invitation_admin_from_everyone_but_staff(client, request, setup, persona):
    invitation = InvitationFactory(cohort=setup["cohort"])
    client.force_login(request.getfixturevalue(persona))

    for url in (
        "/admin/programme/invitations/",
        "/admin/programme/invitations/new/",
        f"/admin/programme/invitations/inspect/{invitation.pk}/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403)


def test_it_lets_ada_use_the_invitation_admin(
    client, ada, setup, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(cohort=setup["cohort"], email="listed@example.org")
    client.force_login(ada)

    assert (
        "listed@example.org"
        in client.get("/admin/programme/invitations/?state=pending").content.decode()
    )
    assert client.get(f"/admin/programme/invitations/inspect/{invitation.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/programme/invitations/new/",
            {"cohort": setup["cohort"].pk, "full_name": "Via Admin", "email": "via@example.org"},
        )
    assert response.status_code == 302
    assert Invitation.objects.get(email="via@example.org").invited_by == ada
