"""Every state-changing URL outside accreditation, POSTed by every persona, judged by what it did.

The platform matrix (test_access_matrix.py) reads status codes, and a refusal that redirects
looks the same there as an action carried out. Here each row of ``OUTCOMES`` is sent with valid
form data, against objects its ``arrange`` has put in a state where only the role check can say
no, and the rows themselves decide: ``tests.outcomes.attempt`` takes a digest of every row of
every table of ours before and after the request, then rolls it all back, so one world serves
every row.

The rows are in outcome_rows.py (accounts, notifications, courses) and outcome_rows_admin.py
(the admin's programme and user screens) beside this file.

- A persona in ``allowed`` must change something, and the row's ``check`` must hold (the
  change is the one the URL is for: Tess's reflection saved, the calendar link replaced).
- Any other persona must change nothing at all, in any of our tables, and ``check`` must not
  hold.

Two rows (the data export and "stay signed in") write nothing of ours when they succeed: the
first sends a file, the second touches only the session. They say ``writes=False``; their
``check`` is the evidence for the allowed personas, and nobody may change a table.

Rows nobody here may carry out (deleting a cohort, a user's account details) are refused for
every persona; ``test_it_carries_out_for_a_superuser_what_no_persona_may`` sends the same data
as a superuser and sees it done, so the refusal is the role's and not the form's.

``READ_ONLY`` names the remaining first-party URLs; each is POSTed by every persona with no data
and must change nothing. ``test_it_has_an_outcome_row_or_a_read_only_entry_for_every_url`` fails
when a URL of ours (accreditation's aside: tests/accreditation/test_access_outcomes.py) is in
neither.

What it catches (each break tried in the application code, then undone):

- ``cohort_assignments`` without its ``user_is_programme_staff`` check, with
  ``get_cohort_for_staff`` loosened to ``get_cohort_for_user``: Tess, Pat and Sam take Tess's
  supervisor away. Fails for each of them.
- ``enrolment_status`` fetching the enrolment with ``get_enrolment_for_user`` instead of
  ``get_enrolment_for_staff``: Tess and Sam defer Tess's enrolment. Fails for both.
- ``get_notification_for_user`` without its ``recipient=user`` filter, and
  ``notification_mark_read`` (the service) without its recipient check: everyone signed in
  marks Tess's notification read, from the list and from the notification's page. Fails for
  each persona but Tess. With the filter alone removed, the service's check raises, and the
  table reports that error for the same personas.
- ``courses.delete_cohort`` added to the programme administrator's permissions
  (``ROLE_PERMISSIONS``): Ada deletes the cohort and everything under it. Fails for Ada. The
  status matrix cannot see this one: the refusal and the deletion both redirect.
"""

import copy

from django.urls import reverse

import pytest

from accreditation.events import AccreditationEvent
from accreditation.models import AccreditationScheme
from courses.models import Invitation
from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role
from notifications.services import notify
from tests.factories import make_persona
from tests.outcomes import attempt
from tests.platform.outcome_rows import (
    PERSONAS,
    SITE_ROWS,
    UMA_INVITATION_TOKEN,
    Outcome,
    World,
    _key,
)
from tests.platform.outcome_rows_admin import ADMIN_ROWS
from tests.platform.url_patterns import first_party_patterns
from tests.worlds import INVITATION_TOKEN, block_id

pytestmark = pytest.mark.django_db

# Accreditation's URLs have their own outcome table.
ACCREDITATION_PREFIXES = (
    "accreditation:",
    "certificate_verify",
    "certificate_credential_",
    "credential_check",
    "public_register",
    "supervised_reviews:",
    "accreditation_schemes:",
    "contributory_factor_categories:",
    "finding_categories:",
    "factor_levels:",
    "review_types:",
    "cpd_activity_types:",
    "regions:",
    "bulk_issues:",
)


# The rows live in outcome_rows.py and outcome_rows_admin.py.
OUTCOMES: list[Outcome] = [*SITE_ROWS, *ADMIN_ROWS]


# First-party URLs that change nothing: pages, downloads, feeds and the admin's listings.
READ_ONLY = {
    "health",
    "search",
    "legal_accessibility",
    "legal_privacy",
    "legal_cookies",
    "favicon",
    "wagtailadmin_login_redirect",
    "django_admin_login_redirect",
    "notifications:list",
    "courses:my_learning",
    "courses:enrolment_progress",
    "courses:cohort_list",
    "courses:cohort_detail",
    "courses:cohort_calendar",
    "courses:cohort_grid",
    "courses:cohort_grid_csv",
    "courses:cohort_grid_xlsx",
    "invitations:import_template",
    "courses:supervisor_home",
    # The issuer's public credential documents: GET only.
    "credential_jwks",
    "credential_issuer",
    "credential_achievement",
    "credential_status_list",
    *(
        f"{namespace}:{view}"
        for namespace in ("cohorts", "enrolments", "invitations", "organisations")
        for view in ("index", "index_results", "history", "history_results", "usage")
    ),
    "enrolments:inspect",
    "invitations:inspect",
    *(
        f"wagtailusers_users:{view}"
        for view in ("index", "index_results", "history", "history_results", "usage")
    ),
}
# The objects the read-only URLs take, by URL name (admin screens take their viewset's object).
READ_ONLY_ARGS = {
    "courses:enrolment_progress": ("tess_enrolment",),
    "courses:cohort_detail": ("cohort",),
    "courses:cohort_calendar": ("cohort", "calendar_token"),
    "courses:cohort_grid": ("cohort",),
    "courses:cohort_grid_csv": ("cohort",),
    "courses:cohort_grid_xlsx": ("cohort",),
    "invitations:import_template": (),
    "credential_achievement": ("scheme",),
    "credential_status_list": ("status_list",),
}
ADMIN_OBJECT = {
    "cohorts": "cohort",
    "enrolments": "tess_enrolment",
    "invitations": "invitation",
    "organisations": "organisation",
    "wagtailusers_users": "tess",
}


def _read_only_args(name: str) -> tuple[str, ...]:
    if name in READ_ONLY_ARGS:
        return READ_ONLY_ARGS[name]
    namespace, _, view = name.partition(":")
    if namespace in ADMIN_OBJECT and view not in {"index", "index_results"}:
        return (ADMIN_OBJECT[namespace],)
    return ()


def _ours_outside_accreditation() -> set[str]:
    return {name for name in first_party_patterns() if not name.startswith(ACCREDITATION_PREFIXES)}


def test_it_has_an_outcome_row_or_a_read_only_entry_for_every_url():
    ours = _ours_outside_accreditation()
    in_table = {row.name for row in OUTCOMES}

    missing = sorted(ours - in_table - READ_ONLY)
    stale = sorted((in_table | READ_ONLY) - ours)
    both = sorted(in_table & READ_ONLY)

    assert not missing, f"URLs in neither OUTCOMES nor READ_ONLY: {missing}"
    assert not stale, f"Rows for URLs that are not ours or no longer exist: {stale}"
    assert not both, f"URLs both state-changing and read-only: {both}"


# The world ----------------------------------------------------------------------------------


@pytest.fixture
def objects(ctx, tess, pat, uma, sam, ali, ada, pat_enrolment):
    first, second = ctx["first"], ctx["second"]
    return {
        "cohort": ctx["cohort"],
        "calendar_token": ctx["calendar_token"],
        "day": ctx["day"],
        "tess_enrolment": ctx["tess_enrolment"],
        "pat_enrolment": pat_enrolment,
        "first_module": first,
        "reflection_block": block_id(first, "reflective_question"),
        "second_module": second,
        "check_block": block_id(second, "knowledge_check"),
        "invitation_token": INVITATION_TOKEN,
        "uma_invitation_token": UMA_INVITATION_TOKEN,
        "invitation": Invitation.objects.get(email="new.trainee@example.org"),
        "organisation": tess.organisation,
        "notification": notify(
            recipient=tess, event=AccreditationEvent.STAGE_APPROVED, link="/accreditation/"
        ),
        "tess": tess,
        "pat": pat,
        "uma": uma,
        "sam": sam,
        "ada": ada,
        "people": [tess, pat, uma, sam, ali, ada],
        "scheme": AccreditationScheme.objects.first(),
        "status_list": 1,
    }


def _url(name: str, keys: tuple[str, ...], objects: dict) -> str:
    return reverse(name, args=[_key(objects[key]) for key in keys])


def _signed_in_as(client, request, persona) -> User | None:
    if persona == "anonymous":
        return None
    user = request.getfixturevalue(persona)
    client.force_login(user)
    return user


def _post(client, url, data):
    # A request can replace the session (signing in, a password change); the replacement is
    # rolled back with everything else, so the next row starts from the persona's own session.
    cookies = copy.deepcopy(client.cookies)
    try:
        return client.post(url, data)
    finally:
        client.cookies = cookies


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_allowed_personas_change_anything(client, request, objects, persona):
    w = World(client, persona, _signed_in_as(client, request, persona), objects)

    wrong = []
    for row in OUTCOMES:
        url = _url(row.name, row.args, objects)
        sent = {}

        def send(row=row, url=url, sent=sent):
            sent["response"] = _post(client, url, row.data(w))
            return sent["response"]

        try:
            result = attempt(
                send,
                arrange=(lambda row=row: row.arrange(w)) if row.arrange else None,
                check=(lambda row=row, sent=sent: bool(row.check(w, sent["response"])))
                if row.check
                else None,
            )
        except Exception as error:
            # One row's error must not hide the others'. The exception has rolled the
            # savepoint back, so the next row starts from the same world.
            wrong.append(f"{row.title}: raised {error!r}")
            continue
        status = result.response.status_code
        if persona in row.allowed:
            if row.writes and not result.changed:
                wrong.append(f"{row.title}: allowed, but changed nothing ({status})")
            if not row.writes and result.changed:
                wrong.append(
                    f"{row.title}: should write none of our tables, changed {result.changed}"
                )
            if row.check and not result.checked:
                wrong.append(f"{row.title}: allowed, but not done ({status}, {result.changed})")
        else:
            if result.changed:
                wrong.append(f"{row.title}: refused ({status}), but changed {result.changed}")
            if row.check and result.checked:
                wrong.append(f"{row.title}: refused ({status}), but done")

    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_changes_nothing_when_a_read_only_url_is_posted(client, request, objects, persona):
    _signed_in_as(client, request, persona)

    wrong = []
    for name in sorted(READ_ONLY):
        url = _url(name, _read_only_args(name), objects)
        result = attempt(lambda url=url: _post(client, url, {}))
        if result.changed:
            status = result.response.status_code
            wrong.append(f"{name} ({url}): {status}, changed {result.changed}")

    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


def test_it_carries_out_for_a_superuser_what_no_persona_may(client, objects):
    """The rows nobody may carry out hold valid data: they are refused for who is asking."""
    root = make_persona("Root Superuser", "root@example.org", Role.PROGRAMME_ADMIN)
    root.is_superuser = True
    root.save(update_fields=["is_superuser"])
    client.force_login(root)
    w = World(client, "superuser", root, objects)

    not_done = []
    for row in (row for row in OUTCOMES if not row.allowed):
        url = _url(row.name, row.args, objects)
        sent = {}

        def send(row=row, url=url, sent=sent):
            sent["response"] = _post(client, url, row.data(w))
            return sent["response"]

        result = attempt(send, check=lambda row=row, sent=sent: row.check(w, sent["response"]))
        if not (result.changed and result.checked):
            not_done.append(f"{row.title}: {result.response.status_code}, {result.changed}")

    assert not not_done, "\n".join(not_done)
