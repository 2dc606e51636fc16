"""Writes for cohorts: enrolments and their status, attendance, the calendar link. Supervisors and
review partners are set in courses.services.assignments."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from wagtail.log_actions import log

from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role, user_has_role

from ..models import Attendance, Cohort, Enrolment, Invitation, TrainingDay
from ..selectors.cohorts import cohort_places_left


class EnrolmentError(Exception):
    """A change to an enrolment that its current state does not allow. The message is for people."""


Status = Enrolment.Status

# Allowed moves. Completed and withdrawn are final; a deferred trainee may come back.
ENROLMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.INVITED: frozenset({Status.ACTIVE, Status.WITHDRAWN}),
    Status.ACTIVE: frozenset({Status.COMPLETED, Status.WITHDRAWN, Status.DEFERRED}),
    Status.DEFERRED: frozenset({Status.ACTIVE, Status.WITHDRAWN}),
    Status.COMPLETED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

# The audit action for each target state.
ENROLMENT_ACTIONS: dict[str, str] = {
    Status.ACTIVE: "courses.enrolment.activate",
    Status.COMPLETED: "courses.enrolment.complete",
    Status.WITHDRAWN: "courses.enrolment.withdraw",
    Status.DEFERRED: "courses.enrolment.defer",
}

REASON_REQUIRED = frozenset({Status.WITHDRAWN, Status.DEFERRED})


def enrolment_allowed_transitions(enrolment: Enrolment) -> list[str]:
    return [s for s in Status.values if s in ENROLMENT_TRANSITIONS[enrolment.status]]


@transaction.atomic
def enrolment_transition(
    *, enrolment: Enrolment, to_status: str, user: User | None, reason: str = ""
) -> Enrolment:
    # Lock the row so two administrators acting at once cannot both move it from the same state.
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    from_status = enrolment.status
    if to_status not in Status.values:
        raise EnrolmentError(f"“{to_status}” is not an enrolment status.")
    if to_status not in ENROLMENT_TRANSITIONS[from_status]:
        raise EnrolmentError(
            f"An enrolment that is {Status(from_status).label.lower()} cannot be marked "
            f"{Status(to_status).label.lower()}."
        )
    reason = reason.strip()
    if to_status in REASON_REQUIRED and not reason:
        raise EnrolmentError(
            f"Give a reason for marking the enrolment {Status(to_status).label.lower()}."
        )
    enrolment.status = to_status
    enrolment.save(update_fields=["status", "updated_at"])
    log(
        instance=enrolment,
        action=ENROLMENT_ACTIONS[to_status],
        user=user,
        data={"from": from_status, "to": to_status, "reason": reason},
    )
    return enrolment


def check_supervisor(supervisor: User | None) -> None:
    if supervisor is not None and not user_has_role(supervisor, Role.SUPERVISOR):
        raise EnrolmentError(f"{supervisor} is not in the Supervisor group.")


@transaction.atomic
def enrolment_create(
    *, user: User, cohort: Cohort, by: User | None, supervisor: User | None = None
) -> Enrolment:
    """Enrol someone who already has an account straight away (no invitation needed).

    An invitation of theirs to this cohort that is still open is closed as used, linked to the
    new enrolment: its place becomes this enrolment's, and its link then says it has been used
    rather than offering an acceptance that can only fail."""
    check_supervisor(supervisor)
    # Lock the cohort so an invitation or another enrolment cannot take the same last place.
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if Enrolment.objects.filter(user=user, cohort=cohort).exists():
        raise EnrolmentError(f"{user} is already enrolled in {cohort}.")
    now = timezone.now()
    open_invitations = list(
        Invitation.objects.select_for_update()
        .filter(cohort=cohort, email__iexact=user.email, accepted_at__isnull=True)
        .order_by("-created_at")
    )
    holds_place = any(i.expires_at > now and i.enrolment_id is None for i in open_invitations)
    if not holds_place and cohort_places_left(cohort=cohort) < 1:
        raise EnrolmentError(
            f"{cohort} is full: all {cohort.capacity} places are taken or offered. Raise its "
            "capacity, or withdraw someone, before enrolling anyone else."
        )
    enrolment = Enrolment.objects.create(
        user=user, cohort=cohort, supervisor=supervisor, status=Status.ACTIVE
    )
    user.groups.add(_trainee_group())
    log(
        instance=enrolment,
        action="courses.enrolment.create",
        user=by,
        data={"from": None, "to": Status.ACTIVE, "reason": ""},
    )
    linked = False
    for invitation in open_invitations:
        invitation.accepted_at = now
        invitation.accepted_by = user
        # Only one invitation can point at the enrolment: the newest, which it replaces.
        if not linked and invitation.enrolment_id is None:
            invitation.enrolment, linked = enrolment, True
        invitation.save(update_fields=["accepted_at", "accepted_by", "enrolment"])
        log(
            instance=invitation,
            action="courses.invitation.close",
            user=by,
            data={"reason": f"Enrolled directly (enrolment {enrolment.pk})"},
        )
    return enrolment


def _trainee_group():
    from django.contrib.auth.models import Group

    return Group.objects.get(name=Role.TRAINEE.value)


@transaction.atomic
def attendance_record(
    *, training_day: TrainingDay, present_enrolment_ids: Iterable[int], user: User
) -> int:
    """Save the register for a day: one row per active trainee. Returns how many were present.

    A day that has not come yet has no register: nobody can have attended it."""
    training_day = TrainingDay.objects.select_for_update().get(pk=training_day.pk)
    if not training_day.has_begun():
        raise EnrolmentError(
            f"The register for {training_day.title} cannot be taken yet: the day is on "
            f"{date_format(training_day.date, 'j F Y')}. Take it on the day or afterwards."
        )
    present_ids = {int(pk) for pk in present_enrolment_ids}
    enrolments = list(
        Enrolment.objects.filter(cohort_id=training_day.cohort_id, status=Status.ACTIVE)
    )
    unknown = present_ids - {e.pk for e in enrolments}
    if unknown:
        raise EnrolmentError("The register names someone who is not an active trainee here.")
    now = timezone.now()
    existing = {
        a.enrolment_id: a
        for a in Attendance.objects.select_for_update().filter(training_day=training_day)
    }
    to_update, to_create = [], []
    for enrolment in enrolments:
        present = enrolment.pk in present_ids
        row = existing.get(enrolment.pk)
        if row is None:
            to_create.append(
                Attendance(
                    training_day=training_day,
                    enrolment=enrolment,
                    present=present,
                    recorded_by=user,
                )
            )
        else:
            row.present, row.recorded_by, row.recorded_at = present, user, now
            to_update.append(row)
    Attendance.objects.bulk_create(to_create)
    Attendance.objects.bulk_update(to_update, ["present", "recorded_by", "recorded_at"])
    log(
        instance=training_day,
        action="courses.attendance.record",
        user=user,
        data={"present": len(present_ids), "absent": len(enrolments) - len(present_ids)},
    )
    return len(present_ids)


@transaction.atomic
def cohort_reset_calendar_token(*, cohort: Cohort, by: User) -> Cohort:
    """Issue a new feed URL; anyone subscribed to the old one stops receiving updates."""
    from ..models.cohorts import new_calendar_token

    cohort.calendar_token = new_calendar_token()
    cohort.save(update_fields=["calendar_token", "updated_at"])
    log(instance=cohort, action="courses.cohort.reset_calendar", user=by)
    return cohort
