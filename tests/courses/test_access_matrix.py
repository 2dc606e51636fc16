"""Every course URL, tried as every persona, in one table.

Each named pattern in ``courses.urls`` (and the module page, which Wagtail serves) has a row
saying what each persona gets. A pattern added without a row fails
``test_it_has_a_row_for_every_course_url``. What a signed-in persona may not see is a 404;
anonymous visitors are sent to sign in, except where a secret in the URL is the key.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, reverse

import pytest
from openpyxl import load_workbook

from courses import urls as course_urls
from courses.models import (
    Enrolment,
    Invitation,
    KnowledgeCheckAttempt,
    ReflectionAnswer,
)
from tests.worlds import INVITATION_TOKEN, TESS_REFLECTION, block_id

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "tess", "pat", "uma", "sam", "ali", "ada")
SIGNED_IN = frozenset(PERSONAS) - {"anonymous"}

OK, NOT_FOUND, LOGIN, REDIRECT = "200", "404", "login", "redirect"

BODY_TEXT = "Systems thinking basics."


@dataclass
class Row:
    """How one URL answers each persona, and what else must (not) have happened."""

    url: Callable[[dict], str]
    expect: dict[str, str]
    method: str = "get"
    data: Callable[[dict, str], dict] = lambda ctx, persona: {}
    check: Callable[[dict, str, object], None] | None = None


def _expect(ok=(), redirect=(), anonymous=LOGIN):
    """200 for `ok`, a redirect for `redirect`, 404 for every other signed-in persona."""
    table = dict.fromkeys(SIGNED_IN, NOT_FOUND)
    table.update(dict.fromkeys(ok, OK))
    table.update(dict.fromkeys(redirect, REDIRECT))
    table["anonymous"] = anonymous
    return table


def _html(response) -> str:
    return response.content.decode()


# Checks beyond the status code --------------------------------------------------------------


def _check_my_learning(ctx, persona, response):
    if response.status_code != 200:
        return
    enrolled = persona in {"tess", "pat"}
    assert ("London boards 2026" in _html(response)) is enrolled
    assert ("You are not enrolled on a course yet." in _html(response)) is not enrolled


def _check_reflection_saved(ctx, persona, response):
    mine = ReflectionAnswer.objects.filter(answer=f"Answer from {persona}")
    assert mine.exists() is (persona in {"tess", "pat"})
    if persona in {"sam", "ada"}:
        assert response["Location"] == ctx["first"].url


def _check_attempt_saved(ctx, persona, response):
    # Tess has completed the first module, so she may answer the second; Pat has not.
    tess_attempts = KnowledgeCheckAttempt.objects.filter(progress__enrolment=ctx["tess_enrolment"])
    assert tess_attempts.count() == (1 if persona == "tess" else 0)
    others = KnowledgeCheckAttempt.objects.exclude(progress__enrolment=ctx["tess_enrolment"])
    assert not others.exists()
    if persona != "anonymous" and response.status_code == 302:
        assert response["Location"].startswith(ctx["second"].url)


def _check_progress_record(ctx, persona, response):
    if response.status_code == 200:
        assert TESS_REFLECTION in _html(response).replace("&#x27;", "'")


def _check_cohort_list(ctx, persona, response):
    if response.status_code != 200:
        return
    names = [cohort.name for cohort in response.context["cohorts"]]
    member = persona in {"tess", "pat", "sam", "ada"}
    assert names == (["London boards 2026"] if member else [])


def _check_calendar(ctx, persona, response):
    assert b"BEGIN:VCALENDAR" in response.content
    assert b"Day 1: systems thinking" in response.content
    wrong = reverse("courses:cohort_calendar", args=[ctx["cohort"].pk, "not-the-token"])
    assert ctx["client"].get(wrong).status_code == 404


def _check_calendar_reset(ctx, persona, response):
    ctx["cohort"].refresh_from_db()
    changed = ctx["cohort"].calendar_token != ctx["calendar_token"]
    assert changed is (persona == "ada")


def _check_grid(ctx, persona, response):
    if response.status_code == 200:
        emails = {row.enrolment.user.email for row in response.context["grid"].rows}
        assert emails == {"tess@example.org", "pat@example.org"}


def _check_csv(ctx, persona, response):
    if response.status_code == 200:
        assert response["Cache-Control"] == "no-store, private"
        rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
        assert {row[1] for row in rows[1:]} == {"tess@example.org", "pat@example.org"}


def _check_xlsx(ctx, persona, response):
    if response.status_code == 200:
        assert response["Cache-Control"] == "no-store, private"
        sheet = load_workbook(io.BytesIO(response.getvalue())).active
        emails = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert emails == {"tess@example.org", "pat@example.org"}


def _check_invitation_page(ctx, persona, response):
    html = _html(response)
    if persona == "anonymous":
        assert "Create your account" in html
    else:
        assert "This invitation is for someone else" in html
    assert not Enrolment.objects.filter(user__email="new.trainee@example.org").exists()
    assert Invitation.objects.get(email="new.trainee@example.org").accepted_at is None
    unknown = reverse("courses:invitation_accept", args=["no-such-token"])
    assert ctx["client"].get(unknown).status_code == 404


def _check_assignments(ctx, persona, response):
    enrolment = Enrolment.objects.get(pk=ctx["tess_enrolment"].pk)
    assert (enrolment.supervisor_id is None) is (persona == "ada")
    assert enrolment.review_partner_id is not None


def _check_supervisor_home(ctx, persona, response):
    if response.status_code == 200:
        emails = {item.enrolment.user.email for item in response.context["trainees"]}
        assert emails == {"tess@example.org", "pat@example.org"}


def _check_module_body(ctx, persona, response):
    html = _html(response)
    assert "What Systems thinking covers." in html  # the public overview
    assert (BODY_TEXT in html) is (persona in {"tess", "pat", "sam", "ada"})
    if persona == "anonymous":
        assert "Sign in to continue" in html
    elif persona in {"uma", "ali"}:
        assert "You are not enrolled on this course" in html


def _check_course_page(ctx, persona, response):
    html = _html(response)
    assert "Systems thinking" in html and "Key practice episodes" in html
    assert BODY_TEXT not in html


# The table ----------------------------------------------------------------------------------

ROWS: dict[str, Row] = {
    "my_learning": Row(
        url=lambda ctx: reverse("courses:my_learning"),
        expect=_expect(ok=SIGNED_IN),
        check=_check_my_learning,
    ),
    "reflection_save": Row(
        url=lambda ctx: reverse(
            "courses:reflection_save",
            args=[ctx["first"].pk, block_id(ctx["first"], "reflective_question")],
        ),
        method="post",
        data=lambda ctx, persona: {
            f"reflection-{block_id(ctx['first'], 'reflective_question')}-answer": (
                f"Answer from {persona}"
            )
        },
        # Supervisors and staff may read the module but not answer for a trainee.
        expect=_expect(redirect={"tess", "pat", "sam", "ada"}),
        check=_check_reflection_saved,
    ),
    "knowledge_check_answer": Row(
        url=lambda ctx: reverse(
            "courses:knowledge_check_answer",
            args=[ctx["second"].pk, block_id(ctx["second"], "knowledge_check")],
        ),
        method="post",
        data=lambda ctx, persona: {
            f"check-{block_id(ctx['second'], 'knowledge_check')}-q0": "0",
            f"check-{block_id(ctx['second'], 'knowledge_check')}-q1": "1",
        },
        # Pat may see the module page, which says she cannot start it yet.
        expect=_expect(redirect={"tess", "pat", "sam", "ada"}),
        check=_check_attempt_saved,
    ),
    "enrolment_progress": Row(
        url=lambda ctx: reverse("courses:enrolment_progress", args=[ctx["tess_enrolment"].pk]),
        # Tess's reflections: herself, her supervisor and staff. Not her review partner.
        expect=_expect(ok={"tess", "sam", "ada"}),
        check=_check_progress_record,
    ),
    "cohort_list": Row(
        url=lambda ctx: reverse("courses:cohort_list"),
        expect=_expect(ok=SIGNED_IN),
        check=_check_cohort_list,
    ),
    "cohort_detail": Row(
        url=lambda ctx: reverse("courses:cohort_detail", args=[ctx["cohort"].pk]),
        expect=_expect(ok={"tess", "pat", "sam", "ada"}),
    ),
    "cohort_calendar": Row(
        url=lambda ctx: reverse(
            "courses:cohort_calendar", args=[ctx["cohort"].pk, ctx["calendar_token"]]
        ),
        # Calendar apps cannot sign in: the secret token in the address is the key.
        expect=_expect(ok=SIGNED_IN, anonymous=OK),
        check=_check_calendar,
    ),
    "cohort_reset_calendar": Row(
        url=lambda ctx: reverse("courses:cohort_reset_calendar", args=[ctx["cohort"].pk]),
        method="post",
        expect=_expect(redirect={"ada"}),
        check=_check_calendar_reset,
    ),
    "cohort_grid": Row(
        url=lambda ctx: reverse("courses:cohort_grid", args=[ctx["cohort"].pk]),
        expect=_expect(ok={"sam", "ada"}),
        check=_check_grid,
    ),
    "cohort_grid_csv": Row(
        url=lambda ctx: reverse("courses:cohort_grid_csv", args=[ctx["cohort"].pk]),
        expect=_expect(ok={"sam", "ada"}),
        check=_check_csv,
    ),
    "cohort_grid_xlsx": Row(
        url=lambda ctx: reverse("courses:cohort_grid_xlsx", args=[ctx["cohort"].pk]),
        expect=_expect(ok={"sam", "ada"}),
        check=_check_xlsx,
    ),
    "attendance_register": Row(
        url=lambda ctx: reverse(
            "courses:attendance_register", args=[ctx["cohort"].pk, ctx["day"].pk]
        ),
        expect=_expect(ok={"ada"}),
    ),
    "cohort_assignments": Row(
        url=lambda ctx: reverse("courses:cohort_assignments", args=[ctx["cohort"].pk]),
        method="post",
        # Everyone tries to take Tess's supervisor away (keeping Pat as her partner).
        data=lambda ctx, persona: {
            f"enrolment-{ctx['tess_enrolment'].pk}-supervisor": "",
            f"enrolment-{ctx['tess_enrolment'].pk}-review_partner": str(
                ctx["tess_enrolment"].review_partner_id
            ),
        },
        expect=_expect(redirect={"ada"}),
        check=_check_assignments,
    ),
    "invitation_accept": Row(
        url=lambda ctx: reverse("courses:invitation_accept", args=[INVITATION_TOKEN]),
        # The emailed token is the key; signed in as anyone else, the page says so.
        expect=_expect(ok=SIGNED_IN, anonymous=OK),
        check=_check_invitation_page,
    ),
    "enrolment_status": Row(
        url=lambda ctx: reverse("courses:enrolment_status", args=[ctx["tess_enrolment"].pk]),
        expect=_expect(ok={"ada"}),
    ),
    "supervisor_home": Row(
        url=lambda ctx: reverse("courses:supervisor_home"),
        expect=_expect(ok={"sam"}),
        check=_check_supervisor_home,
    ),
    # Wagtail pages: the overview is public, the body is not.
    "module_page": Row(
        url=lambda ctx: ctx["first"].url,
        expect=_expect(ok=SIGNED_IN, anonymous=OK),
        check=_check_module_body,
    ),
    "course_page": Row(
        url=lambda ctx: ctx["course"].url,
        expect=_expect(ok=SIGNED_IN, anonymous=OK),
        check=_check_course_page,
    ),
}


def _pattern_names(patterns) -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _pattern_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_it_has_a_row_for_every_course_url():
    missing = _pattern_names(course_urls.urlpatterns) - set(ROWS)

    assert not missing, f"courses.urls patterns with no row in the access matrix: {missing}"


def _outcome(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        return LOGIN if location.startswith(reverse("account_login")) else REDIRECT
    return str(response.status_code)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(ROWS))
def test_it_answers_each_persona_as_the_table_says(client, request, ctx, name, persona):
    row = ROWS[name]
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    send = client.post if row.method == "post" else client.get
    response = send(row.url(ctx), row.data(ctx, persona))

    assert _outcome(response) == row.expect[persona], (name, persona)
    if row.check is not None:
        row.check(ctx, persona, response)
