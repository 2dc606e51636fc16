"""Supervision sessions: the supervisor records one; each attendee confirms they were there.
Only confirmed attendance counts towards the scheme's minimums."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from wagtail.log_actions import log

from learning_platform.accounts.models import User
from notifications.services import notifications_mark_done, notify_many

from ..events import AccreditationEvent
from ..exceptions import TransitionError
from ..models import SupervisionAttendance, SupervisionSession
from ..selectors.supervision import supervisor_trainees


@transaction.atomic
def supervision_session_record(
    *,
    supervisor: User,
    kind: str,
    date: date,
    duration_minutes: int,
    attendees: Iterable[User],
    notes: str = "",
    during_report_writing: bool = False,
) -> SupervisionSession:
    attendees = list(attendees)
    if not attendees:
        raise TransitionError("Choose at least one trainee who attended.")
    allowed = set(supervisor_trainees(supervisor=supervisor).values_list("pk", flat=True))
    if any(person.pk not in allowed for person in attendees):
        raise TransitionError("You can only record supervision for trainees you supervise.")
    if date > timezone.localdate():
        raise TransitionError("Record a session once it has taken place, not before.")
    if kind == SupervisionSession.Kind.GROUP and during_report_writing:
        raise TransitionError("Only an individual session is marked as during report writing.")
    # Serialise the supervisor's recordings, so a double click cannot record a session twice.
    User.objects.select_for_update().filter(pk=supervisor.pk).first()
    if _already_recorded(supervisor, kind, date, attendees, during_report_writing):
        raise TransitionError(
            f"You have already recorded this {SupervisionSession.Kind(kind).label.lower()} "
            f"session on {date_format(date)} with the same trainees, so it was not recorded again."
        )
    session = SupervisionSession.objects.create(
        supervisor=supervisor,
        kind=kind,
        date=date,
        duration_minutes=duration_minutes,
        notes=notes.strip(),
        during_report_writing=during_report_writing,
    )
    SupervisionAttendance.objects.bulk_create(
        SupervisionAttendance(session=session, trainee=person) for person in attendees
    )
    log(
        instance=session,
        action="accreditation.supervision.record",
        user=supervisor,
        data={"attendees": [person.pk for person in attendees], "kind": kind},
    )
    notify_many(
        recipients=attendees,
        event=AccreditationEvent.SUPERVISION_TO_CONFIRM,
        actor=supervisor,
        target=session,
    )
    return session


def _already_recorded(
    supervisor: User, kind: str, day: date, attendees: list[User], during_report_writing: bool
) -> bool:
    """The same supervisor, kind, day, report-writing flag and people: the same session."""
    wanted = {person.pk for person in attendees}
    sessions = SupervisionSession.objects.filter(
        supervisor=supervisor, kind=kind, date=day, during_report_writing=during_report_writing
    ).prefetch_related("attendees")
    return any({a.trainee_id for a in session.attendees.all()} == wanted for session in sessions)


@transaction.atomic
def supervision_attendance_confirm(
    *, session: SupervisionSession, trainee: User
) -> SupervisionAttendance:
    attendance = (
        SupervisionAttendance.objects.select_for_update()
        .filter(session=session, trainee=trainee)
        .first()
    )
    if attendance is None:
        raise TransitionError("You are not recorded as attending this session.")
    if attendance.confirmed_at is not None:
        raise TransitionError("You have already confirmed this session.")
    attendance.confirmed_at = timezone.now()
    attendance.save(update_fields=["confirmed_at"])
    log(
        instance=session,
        action="accreditation.supervision.confirm",
        user=trainee,
        data={"attendance_id": attendance.pk},
    )
    notifications_mark_done(
        recipient=trainee, event=AccreditationEvent.SUPERVISION_TO_CONFIRM, target=session
    )
    return attendance
