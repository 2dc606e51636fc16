"""The project's access matrix (tests/platform/access_matrix.py): every URL pattern we define,
tried as every persona. Which patterns are ours is decided in tests/platform/url_patterns.py.

A status code cannot tell a refusal that redirects from an action carried out (both are "302").
What each state-changing URL did is judged by the outcome tables, which POST valid data as every
persona and compare every row of our tables before and after:
tests/platform/test_access_outcomes.py and tests/accreditation/test_access_outcomes.py. What a
page shows each persona is checked by the per-app tables in tests/courses and tests/accreditation,
which build the same worlds used here (tests/worlds.py).
"""

from urllib.parse import urlsplit

from django.urls import reverse

import pytest

from accreditation.events import AccreditationEvent
from notifications.services import notify
from tests.worlds import INVITATION_TOKEN, block_id

from .access_matrix import ACCREDITATION, COURSES, LOGIN, MATRIX, PERSONAS, REDIRECT
from .url_patterns import first_party_patterns, walk_patterns

pytestmark = pytest.mark.django_db


def test_it_has_a_row_for_every_first_party_url_pattern():
    patterns = first_party_patterns()

    missing = {name: patterns[name] for name in patterns if name not in MATRIX}

    assert not missing, f"URL patterns with no row in MATRIX: {missing}"


def test_it_has_no_row_for_a_pattern_that_is_gone():
    existing = {name for name, *_ in walk_patterns() if name}

    stale = sorted(set(MATRIX) - existing)

    assert not stale, f"MATRIX rows for URL patterns that no longer exist: {stale}"


def test_it_counts_our_screens_and_not_the_libraries():
    patterns = first_party_patterns()

    # Our own views, our URLconf and our admin viewsets are all found...
    for name in ("health", "courses:cohort_grid", "account_change_password", "cohorts:edit"):
        assert name in patterns, name
    # ...and library screens are not.
    for name in ("account_login", "wagtailadmin_home", "wagtaildocs_serve", "admin:index"):
        assert name not in patterns, name
    assert not any(
        route.startswith("django-admin/") and "login" not in route for route in patterns.values()
    )


# The objects each world provides -------------------------------------------------------------


@pytest.fixture
def courses_world(ctx, tess):
    from courses.models import Invitation

    first, second = ctx["first"], ctx["second"]
    notification = notify(
        recipient=tess, event=AccreditationEvent.STAGE_APPROVED, link="/accreditation/"
    )
    return {
        "cohort": ctx["cohort"].pk,
        "calendar_token": ctx["calendar_token"],
        "day": ctx["day"].pk,
        "tess_enrolment": ctx["tess_enrolment"].pk,
        "first_module": first.pk,
        "reflection_block": block_id(first, "reflective_question"),
        "second_module": second.pk,
        "check_block": block_id(second, "knowledge_check"),
        "invitation_token": INVITATION_TOKEN,
        "invitation": Invitation.objects.get(email="new.trainee@example.org").pk,
        "organisation": tess.organisation_id,
        "user": tess.pk,
        "notification": notification.pk,
    }


def _outcome(response) -> str:
    if response.status_code in (301, 302, 303):
        target = urlsplit(response["Location"]).path
        if target in {reverse("account_login"), "/admin/login/", "/django-admin/login/"}:
            return LOGIN
        return REDIRECT
    return str(response.status_code)


@pytest.mark.parametrize("world_name", [COURSES, ACCREDITATION])
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_answers_each_persona_as_the_matrix_says(client, request, persona, world_name):
    objects = request.getfixturevalue(f"{world_name}_world")
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    wrong = []
    for name, row in MATRIX.items():
        if row.world != world_name:
            continue
        url = reverse(name, args=[objects[key] for key in row.args])
        send = client.post if row.method == "POST" else client.get
        got = _outcome(send(url, row.data(objects)))
        if got != row.expect[persona]:
            wrong.append(f"{row.method} {name} ({url}): expected {row.expect[persona]}, got {got}")

    assert not wrong, f"{persona}:\n" + "\n".join(wrong)
