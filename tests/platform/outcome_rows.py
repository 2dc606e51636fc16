"""The outcome table's rows for accounts, notifications and courses, with the world they act on.

Each ``Outcome`` names a URL, the personas allowed to carry it out, the form data it is sent,
an ``arrange`` that puts the objects in the state where only the role check can refuse, and a
``check`` that holds once the change the URL is for has been made. The admin screens' rows are
in outcome_rows_admin.py; the tests that send them are in test_access_outcomes.py.
"""

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

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
from learning_platform.accounts.models import User
from notifications.models import Notification, NotificationPreference
from notifications.registry import optional_keys
from notifications.services import notify
from tests.courses.factories import InvitationFactory
from tests.factories import PASSWORD

PERSONAS = ("anonymous", "tess", "pat", "uma", "sam", "ali", "ada")
SIGNED_IN = frozenset(PERSONAS[1:])
NOBODY = frozenset()
ADA = frozenset({"ada"})


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


def _key(value) -> object:
    return getattr(value, "pk", value)


SITE_ROWS: list[Outcome] = [
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
]
