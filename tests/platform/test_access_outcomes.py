"""Every state-changing URL outside accreditation, POSTed by every persona, judged by what it did.

The platform matrix (test_access_matrix.py) reads status codes, and a refusal that redirects
looks the same there as an action carried out. Here each row of ``OUTCOMES`` is sent with valid
form data, against objects its ``arrange`` has put in a state where only the role check can say
no, and the rows themselves decide: ``tests.outcomes.attempt`` takes a digest of every row of
every table of ours before and after the request, then rolls it all back, so one world serves
every row.

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
import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import pytest

from accreditation.events import AccreditationEvent
from courses.models import (
    Attendance,
    Cohort,
    Enrolment,
    Invitation,
    KnowledgeCheckAttempt,
    ModuleProgress,
    ReflectionAnswer,
    TrainingDay,
)
from learning_platform.accounts.middleware import LAST_SEEN_SESSION_KEY
from learning_platform.accounts.models import Organisation, User
from learning_platform.accounts.roles import Role
from notifications.models import Notification, NotificationPreference
from notifications.registry import optional_keys
from notifications.services import notify
from tests.courses.factories import InvitationFactory
from tests.factories import PASSWORD, make_persona
from tests.outcomes import attempt
from tests.platform.url_patterns import first_party_patterns
from tests.worlds import INVITATION_TOKEN, block_id

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "tess", "pat", "uma", "sam", "ali", "ada")
SIGNED_IN = frozenset(PERSONAS[1:])
NOBODY = frozenset()
ADA = frozenset({"ada"})

# Accreditation's URLs have their own outcome table.
ACCREDITATION_PREFIXES = (
    "accreditation:",
    "certificate_verify",
    "public_register",
    "supervised_reviews:",
    "accreditation_schemes:",
    "contributory_factor_categories:",
    "pattern_types:",
    "bulk_issues:",
)

NEW_PASSWORD = "a-fresh-and-longer-passphrase-2027"
ANSWER = "Written for the outcome table."
UMA_INVITATION_TOKEN = "outcome-table-invitation-for-uma"


@dataclass
class World:
    """The persona making the requests and the objects the rows name."""

    client: object
    persona: str
    user: User | None
    objects: dict


@dataclass(frozen=True)
class Outcome:
    name: str
    allowed: frozenset[str]
    args: tuple[str, ...] = ()
    data: Callable[[World], dict] = field(default=lambda w: {})
    arrange: Callable[[World], None] | None = None
    # True once the POST has made the change the URL is for.
    check: Callable[[World, object], bool] | None = None
    writes: bool = True
    label: str = ""

    @property
    def title(self) -> str:
        return f"{self.name} ({self.label})" if self.label else self.name


# Arrangements -------------------------------------------------------------------------------


def _reauthenticate(w: World) -> None:
    # The export, the password change and erasure ask for the password again first; a session
    # that has just confirmed it is one where only the role can refuse.
    if w.user is not None:
        w.client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


def _seen_a_while_ago(w: World) -> None:
    session = w.client.session
    session[LAST_SEEN_SESSION_KEY] = int(time.time()) - 600
    session.save()


def _unread_for_everyone(w: World) -> None:
    for person in w.objects["people"]:
        notify(recipient=person, event=AccreditationEvent.STAGE_APPROVED, link="/accreditation/")


def _pat_has_done_the_first_module(w: World) -> None:
    # The second module needs the first; Tess has done it, and so, now, has Pat.
    ModuleProgress.objects.update_or_create(
        enrolment=w.objects["pat_enrolment"],
        module=w.objects["first_module"],
        defaults={"completed_at": timezone.now()},
    )


def _day_has_happened(w: World) -> None:
    # A register is taken on the day or afterwards.
    TrainingDay.objects.filter(pk=w.objects["day"].pk).update(
        date=timezone.localdate() - datetime.timedelta(days=1)
    )


def _invitation_for_uma(w: World) -> None:
    InvitationFactory(
        cohort=w.objects["cohort"],
        token=UMA_INVITATION_TOKEN,
        email=w.objects["uma"].email,
        full_name="Uma Unrelated",
        invited_by=w.objects["ada"],
    )


# Checks -------------------------------------------------------------------------------------


def _mine(w: World, model, **filters) -> bool:
    return w.user is not None and model.objects.filter(**filters).exists()


def _notification_read(w: World, response) -> bool:
    return Notification.objects.get(pk=w.objects["notification"].pk).read_at is not None


def _cohort(w: World) -> Cohort:
    return Cohort.objects.get(pk=w.objects["cohort"].pk)


def _tess_enrolment(w: World) -> Enrolment | None:
    return Enrolment.objects.filter(pk=w.objects["tess_enrolment"].pk).first()


def _invitation(w: World) -> Invitation | None:
    return Invitation.objects.filter(pk=w.objects["invitation"].pk).first()


def _user_tess(w: World) -> User | None:
    return User.objects.filter(pk=w.objects["tess"].pk).first()


# Form data ----------------------------------------------------------------------------------


def _training_days(w: World) -> dict:
    day = w.objects["day"]
    return {
        "training_days-TOTAL_FORMS": "1",
        "training_days-INITIAL_FORMS": "1",
        "training_days-MIN_NUM_FORMS": "0",
        "training_days-MAX_NUM_FORMS": "1000",
        "training_days-0-id": str(day.pk),
        "training_days-0-title": day.title,
        "training_days-0-date": day.date.isoformat(),
        "training_days-0-starts_at": "09:30",
        "training_days-0-ends_at": "16:30",
        "training_days-0-venue": day.venue,
        "training_days-0-online_link": "",
        "training_days-0-ORDER": "1",
        "training_days-0-DELETE": "",
    }


def _cohort_form(w: World, name: str, *, new: bool) -> dict:
    existing = w.objects["cohort"]
    data = {
        "name": name,
        "course": existing.course_id,
        "funding_strand": "DfE VCS grant",
        "start_date": existing.start_date.isoformat(),
        "end_date": existing.end_date.isoformat(),
        "capacity": "12",
        "status": existing.status,
        "supervisors": [str(w.objects["sam"].pk)],
    }
    if new:
        data.update(
            {
                "training_days-TOTAL_FORMS": "0",
                "training_days-INITIAL_FORMS": "0",
                "training_days-MIN_NUM_FORMS": "0",
                "training_days-MAX_NUM_FORMS": "1000",
            }
        )
    else:
        data.update(_training_days(w))
    return data


def _user_form(w: World, email: str, full_name: str, *, new: bool) -> dict:
    data = {
        "email": email,
        "full_name": full_name,
        "organisation": w.objects["tess"].organisation_id,
        "job_title": "Practice lead",
        "is_superuser": "",
        "groups": [str(group.pk) for group in w.objects["tess"].groups.all()],
    }
    if new:
        data.update({"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    else:
        data["is_active"] = "on"
    return data


def _csv_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "invitations.csv",
        b"name,email,organisation,job title\r\n"
        b"Casey Imported,casey.imported@example.org,,Safeguarding lead\r\n",
        content_type="text/csv",
    )


# The table ----------------------------------------------------------------------------------

OUTCOMES: list[Outcome] = [
    # Accounts ----------------------------------------------------------------------------
    Outcome(
        "accounts_profile",
        SIGNED_IN,
        data=lambda w: {
            "full_name": "Renamed Person",
            "organisation": w.objects["tess"].organisation_id,
            "job_title": "Head of learning",
        },
        check=lambda w, r: _mine(w, User, pk=_key(w.user), job_title="Head of learning"),
    ),
    Outcome(
        "account_change_password",
        SIGNED_IN,
        arrange=_reauthenticate,
        data=lambda w: {
            "oldpassword": PASSWORD,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        check=lambda w, r: (
            w.user is not None and User.objects.get(pk=w.user.pk).check_password(NEW_PASSWORD)
        ),
    ),
    # The effect is a file, not a row.
    Outcome(
        "accounts_data_export",
        SIGNED_IN,
        arrange=_reauthenticate,
        writes=False,
        check=lambda w, r: r.status_code == 200 and r["Content-Type"] == "application/zip",
    ),
    # The effect is the session's idle clock, which the digest leaves out.
    Outcome(
        "session_keep_alive",
        SIGNED_IN,
        arrange=_seen_a_while_ago,
        writes=False,
        check=lambda w, r: (
            r.status_code == 204
            and w.client.session.get(LAST_SEEN_SESSION_KEY, 0) > time.time() - 60
        ),
    ),
    # Notifications: the one in the world is Tess's.
    Outcome(
        "notifications:preferences",
        SIGNED_IN,
        # As a browser sends it: one optional email kept, the others unticked.
        data=lambda w: {sorted(optional_keys())[0]: "on"},
        check=lambda w, r: _mine(w, NotificationPreference, user=w.user, email=False),
    ),
    Outcome("notifications:mark_read", {"tess"}, ("notification",), check=_notification_read),
    Outcome("notifications:open", {"tess"}, ("notification",), check=_notification_read),
    Outcome(
        "notifications:mark_all_read",
        SIGNED_IN,
        arrange=_unread_for_everyone,
        # Theirs, and only theirs.
        check=lambda w, r: (
            w.user is not None
            and not Notification.objects.filter(recipient=w.user, read_at=None).exists()
            and Notification.objects.filter(read_at=None).exclude(recipient=w.user).exists()
        ),
    ),
    # Courses: learning -------------------------------------------------------------------
    # Supervisors and staff may read a module but not answer for a trainee.
    Outcome(
        "courses:reflection_save",
        {"tess", "pat"},
        ("first_module", "reflection_block"),
        data=lambda w: {f"reflection-{w.objects['reflection_block']}-answer": ANSWER},
        check=lambda w, r: _mine(
            w, ReflectionAnswer, answer=ANSWER, progress__enrolment__user=w.user
        ),
    ),
    Outcome(
        "courses:knowledge_check_answer",
        {"tess", "pat"},
        ("second_module", "check_block"),
        arrange=_pat_has_done_the_first_module,
        data=lambda w: {
            f"check-{w.objects['check_block']}-q0": "0",
            f"check-{w.objects['check_block']}-q1": "1",
        },
        check=lambda w, r: _mine(w, KnowledgeCheckAttempt, progress__enrolment__user=w.user),
    ),
    # Courses: running a cohort -----------------------------------------------------------
    Outcome(
        "courses:cohort_reset_calendar",
        ADA,
        ("cohort",),
        check=lambda w, r: _cohort(w).calendar_token != w.objects["cohort"].calendar_token,
    ),
    # Take Tess's supervisor away, keeping Pat as her partner.
    Outcome(
        "courses:cohort_assignments",
        ADA,
        ("cohort",),
        data=lambda w: {
            f"enrolment-{w.objects['tess_enrolment'].pk}-supervisor": "",
            f"enrolment-{w.objects['tess_enrolment'].pk}-review_partner": str(w.objects["pat"].pk),
        },
        check=lambda w, r: _tess_enrolment(w).supervisor_id is None,
    ),
    Outcome(
        "courses:attendance_register",
        ADA,
        ("cohort", "day"),
        arrange=_day_has_happened,
        data=lambda w: {"present": [str(w.objects["tess_enrolment"].pk)]},
        check=lambda w, r: Attendance.objects.filter(
            training_day=w.objects["day"], enrolment=w.objects["tess_enrolment"], present=True
        ).exists(),
    ),
    # The emailed token is the key. This one is for someone with no account yet, so only a
    # visitor who is not signed in can take it up, by making the account.
    Outcome(
        "courses:invitation_accept",
        frozenset({"anonymous"}),
        ("invitation_token",),
        label="a new account",
        data=lambda w: {
            "full_name": "New Trainee",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        check=lambda w, r: Enrolment.objects.filter(user__email="new.trainee@example.org").exists(),
    ),
    # This one is for Uma's account: only Uma, signed in, can accept it.
    Outcome(
        "courses:invitation_accept",
        frozenset({"uma"}),
        ("uma_invitation_token",),
        label="an existing account",
        arrange=_invitation_for_uma,
        check=lambda w, r: Enrolment.objects.filter(
            user=w.objects["uma"], cohort=w.objects["cohort"]
        ).exists(),
    ),
    Outcome(
        "courses:enrolment_status",
        ADA,
        ("tess_enrolment",),
        data=lambda w: {"status": Enrolment.Status.DEFERRED, "reason": "Long-term leave."},
        check=lambda w, r: _tess_enrolment(w).status == Enrolment.Status.DEFERRED,
    ),
    # The Wagtail admin: programme screens ------------------------------------------------
    Outcome(
        "cohorts:add",
        ADA,
        data=lambda w: _cohort_form(w, "Manchester boards 2027", new=True),
        check=lambda w, r: Cohort.objects.filter(name="Manchester boards 2027").exists(),
    ),
    Outcome(
        "cohorts:edit",
        ADA,
        ("cohort",),
        data=lambda w: _cohort_form(w, "London boards (renamed)", new=False),
        check=lambda w, r: _cohort(w).name == "London boards (renamed)",
    ),
    # Programme staff are told a cohort with records is kept.
    Outcome(
        "cohorts:delete",
        NOBODY,
        ("cohort",),
        check=lambda w, r: not Cohort.objects.filter(pk=w.objects["cohort"].pk).exists(),
    ),
    Outcome(
        "enrolments:add",
        ADA,
        data=lambda w: {
            "user": w.objects["uma"].pk,
            "cohort": w.objects["cohort"].pk,
            "supervisor": w.objects["sam"].pk,
        },
        check=lambda w, r: Enrolment.objects.filter(
            user=w.objects["uma"], cohort=w.objects["cohort"]
        ).exists(),
    ),
    Outcome(
        "enrolments:edit",
        ADA,
        ("tess_enrolment",),
        data=lambda w: {
            "supervisor": "",
            "review_partner": w.objects["pat"].pk,
            "new_status": "",
            "reason": "",
        },
        check=lambda w, r: _tess_enrolment(w).supervisor_id is None,
    ),
    Outcome(
        "enrolments:delete",
        NOBODY,
        ("tess_enrolment",),
        check=lambda w, r: _tess_enrolment(w) is None,
    ),
    Outcome(
        "invitations:add",
        ADA,
        data=lambda w: {
            "cohort": w.objects["cohort"].pk,
            "full_name": "Robin Invited",
            "email": "robin.invited@example.org",
            "organisation": "",
            "job_title": "",
        },
        check=lambda w, r: Invitation.objects.filter(email="robin.invited@example.org").exists(),
    ),
    Outcome(
        "invitations:import",
        ADA,
        data=lambda w: {"cohort": w.objects["cohort"].pk, "file": _csv_upload()},
        check=lambda w, r: Invitation.objects.filter(email="casey.imported@example.org").exists(),
    ),
    Outcome(
        "invitations:resend",
        ADA,
        ("invitation",),
        check=lambda w, r: _invitation(w).token_hash != w.objects["invitation"].token_hash,
    ),
    # Invitations are sent and withdrawn, never edited.
    Outcome(
        "invitations:edit",
        NOBODY,
        ("invitation",),
        data=lambda w: {"full_name": "Someone Else", "organisation": "", "job_title": ""},
        check=lambda w, r: _invitation(w).full_name == "Someone Else",
    ),
    Outcome(
        "invitations:delete",
        ADA,
        ("invitation",),
        check=lambda w, r: _invitation(w) is None,
    ),
    Outcome(
        "organisations:add",
        ADA,
        data=lambda w: {"name": "Wirral partnership", "kind": "safeguarding_partnership"},
        check=lambda w, r: Organisation.objects.filter(name="Wirral partnership").exists(),
    ),
    Outcome(
        "organisations:edit",
        ADA,
        ("organisation",),
        data=lambda w: {"name": "Renamed employer", "kind": "employer", "region": "Wales"},
        check=lambda w, r: Organisation.objects.filter(name="Renamed employer").exists(),
    ),
    Outcome(
        "organisations:delete",
        NOBODY,
        ("organisation",),
        check=lambda w, r: (
            not Organisation.objects.filter(pk=w.objects["organisation"].pk).exists()
        ),
    ),
    # The Wagtail admin: users. Accounts are made and changed by superusers; programme staff
    # look people up and erase them on request.
    Outcome(
        "wagtailusers_users:add",
        NOBODY,
        data=lambda w: _user_form(w, "added@example.org", "Added Person", new=True),
        check=lambda w, r: User.objects.filter(email="added@example.org").exists(),
    ),
    Outcome(
        "wagtailusers_users:copy",
        NOBODY,
        ("tess",),
        data=lambda w: _user_form(w, "copied@example.org", "Copied Person", new=True),
        check=lambda w, r: User.objects.filter(email="copied@example.org").exists(),
    ),
    Outcome(
        "wagtailusers_users:edit",
        NOBODY,
        ("tess",),
        data=lambda w: _user_form(w, w.objects["tess"].email, "Tess Renamed", new=False),
        check=lambda w, r: _user_tess(w).full_name == "Tess Renamed",
    ),
    Outcome(
        "wagtailusers_users:delete",
        NOBODY,
        ("tess",),
        check=lambda w, r: _user_tess(w) is None,
    ),
    Outcome(
        "wagtailusers_users:erase",
        ADA,
        ("tess",),
        arrange=_reauthenticate,
        data=lambda w: {"email": w.objects["tess"].email},
        check=lambda w, r: _user_tess(w).erased_at is not None,
    ),
]

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
    }


def _key(value) -> object:
    return getattr(value, "pk", value)


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
