"""Reminders with a frozen clock: stages waiting for sign-off, the weekly supervisor digest and
certificate expiry warnings. Who gets what, and nothing twice."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core import mail

import pytest
import time_machine

from accreditation.events import AccreditationEvent
from accreditation.models import SignOff
from accreditation.periodic import send_stage_waiting_reminders, send_supervisor_digests
from accreditation.services.certificates import certificate_revoke, certificate_suspend
from accreditation.services.evidence import evidence_add_note
from accreditation.services.reminders import (
    certificate_expiry_warnings_send,
    stage_waiting_reminders_send,
    supervisor_digests_send,
)
from accreditation.services.stages import stage_request_changes, stage_submit
from accreditation.services.supervision import supervision_session_record
from notifications.models import Notification

from .award_builders import approve, enrol, make_assessor, make_ready, submit
from .factories import stage

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# A Monday morning.
SUBMITTED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)


def _at(when, job, *, capture=None):
    with time_machine.travel(when, tick=False):
        if capture is None:
            return job()
        with capture(execute=True):
            return job()


def _submit_first_stage(review, tess):
    with time_machine.travel(SUBMITTED_AT, tick=False):
        evidence_add_note(stage=stage(review, 1), user=tess, title="Scope", note="Agreed scope.")
        stage_submit(stage=stage(review, 1), user=tess)
    return stage(review, 1)


def _reminders(user):
    return Notification.objects.filter(
        recipient=user, event=AccreditationEvent.STAGE_WAITING_REMINDER
    )


# Stage waiting reminder ------------------------------------------------------------------


def test_it_reminds_the_supervisor_once_a_stage_has_waited_more_than_a_week(
    review, tess, sam, pat, django_capture_on_commit_callbacks
):
    s = _submit_first_stage(review, tess)
    assert _at(SUBMITTED_AT + timedelta(days=6), stage_waiting_reminders_send) == 0
    assert not _reminders(sam).exists()

    sent = _at(
        SUBMITTED_AT + timedelta(days=8),
        stage_waiting_reminders_send,
        capture=django_capture_on_commit_callbacks,
    )
    assert sent == 1
    (reminder,) = _reminders(sam)
    submission = SignOff.objects.get(stage=s, decision=SignOff.Decision.SUBMITTED)
    assert reminder.target == submission
    assert reminder.dedupe_key == f"stage-waiting:{submission.pk}"
    assert not Notification.objects.filter(
        recipient__in=[tess, pat], event=AccreditationEvent.STAGE_WAITING_REMINDER
    ).exists()
    (email,) = [m for m in mail.outbox if m.to == [sam.email]]
    assert email.subject.endswith("“Preparation” has waited 8 days for your sign-off")
    assert "Tess Trainee submitted the stage “Preparation”" in email.body
    assert "on 2 March 2026" in email.body

    assert _at(SUBMITTED_AT + timedelta(days=8, hours=1), stage_waiting_reminders_send) == 0
    assert _at(SUBMITTED_AT + timedelta(days=12), send_stage_waiting_reminders.delay) is not None
    assert _reminders(sam).count() == 1


def test_it_reminds_again_only_for_a_new_submission(review, tess, sam):
    s = _submit_first_stage(review, tess)
    _at(SUBMITTED_AT + timedelta(days=8), stage_waiting_reminders_send)
    with time_machine.travel(SUBMITTED_AT + timedelta(days=9), tick=False):
        stage_request_changes(stage=s, user=sam, comment="Name the research questions.")
    assert _at(SUBMITTED_AT + timedelta(days=9, hours=1), stage_waiting_reminders_send) == 0
    with time_machine.travel(SUBMITTED_AT + timedelta(days=10), tick=False):
        stage_submit(stage=stage(review, 1), user=tess)

    assert _at(SUBMITTED_AT + timedelta(days=16), stage_waiting_reminders_send) == 0
    assert _reminders(sam).count() == 1
    assert _at(SUBMITTED_AT + timedelta(days=18), stage_waiting_reminders_send) == 1
    first, second = _reminders(sam).order_by("created_at")
    assert first.dedupe_key != second.dedupe_key
    assert _at(SUBMITTED_AT + timedelta(days=19), stage_waiting_reminders_send) == 0


def test_it_sends_each_supervisor_only_their_own_stages(review, other_review, tess, uma, sam, sid):
    _submit_first_stage(review, tess)
    with time_machine.travel(SUBMITTED_AT + timedelta(days=5), tick=False):
        evidence_add_note(stage=stage(other_review, 1), user=uma, title="Scope", note="Scope.")
        stage_submit(stage=stage(other_review, 1), user=uma)
    assert _at(SUBMITTED_AT + timedelta(days=8), stage_waiting_reminders_send) == 1
    assert [n.target.stage.review_id for n in _reminders(sam)] == [review.pk]
    assert not _reminders(sid).exists()
    assert _at(SUBMITTED_AT + timedelta(days=13), stage_waiting_reminders_send) == 1
    assert [n.target.stage.review_id for n in _reminders(sid)] == [other_review.pk]


# Weekly digest ---------------------------------------------------------------------------


@pytest.fixture
def busy_week(review, tess, pat, sam):
    """Sam has Tess's first stage waiting, a session Pat has not confirmed, and Tess (enrolled
    with Sam as supervisor) quiet since the submission."""
    with time_machine.travel(SUBMITTED_AT - timedelta(days=1), tick=False):
        enrol(tess, supervisor=sam)
    _submit_first_stage(review, tess)
    with time_machine.travel(SUBMITTED_AT, tick=False):
        session = supervision_session_record(
            supervisor=sam,
            kind="group",
            date=SUBMITTED_AT.date(),
            duration_minutes=90,
            attendees=[pat],
        )
    return session


def _digests():
    return Notification.objects.filter(event=AccreditationEvent.SUPERVISOR_DIGEST)


def test_it_sends_the_digest_only_to_supervisors_with_something_in_it(
    busy_week, other_review, sam, sid, ali, django_capture_on_commit_callbacks
):
    monday = SUBMITTED_AT + timedelta(days=35, hours=-1)  # 6 April 2026, 08:00
    assert monday.weekday() == 0
    assert _at(monday, supervisor_digests_send, capture=django_capture_on_commit_callbacks) == 1
    (digest,) = _digests()
    assert digest.recipient == sam
    assert digest.dedupe_key == "supervisor-digest:2026-W15"
    (email,) = [m for m in mail.outbox if m.to == [sam.email]]
    assert "1 stage waiting, 1 session to be confirmed, 1 trainee inactive" in email.subject
    body = email.body
    assert "Preparation, submitted by Tess Trainee on 2 March 2026" in body
    assert "Group supervision on 2 March 2026, waiting for Pat Partner" in body
    assert "Trainees who have done nothing for 30 days or more:\n- Tess Trainee" in body
    html = email.alternatives[0][0]
    assert "<h2>Stages waiting for your sign-off</h2>" in html
    assert not [m for m in mail.outbox if m.to != [sam.email]]


def test_it_sends_one_digest_a_week(busy_week, sam):
    monday = SUBMITTED_AT + timedelta(days=35)
    assert _at(monday, supervisor_digests_send) == 1
    assert _at(monday + timedelta(days=2), supervisor_digests_send) == 0
    assert _at(monday + timedelta(days=7), send_supervisor_digests.delay) is not None
    assert list(_digests().order_by("created_at").values_list("dedupe_key", flat=True)) == [
        "supervisor-digest:2026-W15",
        "supervisor-digest:2026-W16",
    ]


def test_it_leaves_out_a_trainee_who_is_active(busy_week, review, tess, sam):
    monday = SUBMITTED_AT + timedelta(days=14)  # Tess was active 14 days ago
    _at(monday, supervisor_digests_send)
    (digest,) = _digests()
    assert digest.context["trainee_ids"] == []
    assert digest.context["stage_ids"] == [stage(review, 1).pk]
    assert digest.context["session_ids"] == [busy_week.pk]


def test_it_sends_no_digest_when_nothing_waits(review, sam, sid):
    assert _at(SUBMITTED_AT + timedelta(days=7), supervisor_digests_send) == 0
    assert not _digests().exists()


# Certificate expiry ----------------------------------------------------------------------


@pytest.fixture
def certificate(tess, review, ali):
    with time_machine.travel(SUBMITTED_AT, tick=False):
        make_ready(tess, review)
        return approve(submit(tess), ali)


def _days_before(certificate, days: int) -> datetime:
    return datetime.combine(
        certificate.valid_until - timedelta(days=days), time(8, 30), tzinfo=LONDON
    )


def _warnings():
    return Notification.objects.filter(event=AccreditationEvent.CERTIFICATE_EXPIRY_WARNING)


def test_it_warns_at_ninety_and_again_at_thirty_days(
    certificate, tess, django_capture_on_commit_callbacks
):
    assert certificate.valid_until == date(2029, 3, 2)
    send = certificate_expiry_warnings_send
    assert _at(_days_before(certificate, 91), send) == 0
    assert _at(_days_before(certificate, 89), send, capture=django_capture_on_commit_callbacks)
    assert _at(_days_before(certificate, 60), send) == 0
    assert _at(_days_before(certificate, 31), send) == 0
    assert _at(_days_before(certificate, 29), send) == 1
    assert _at(_days_before(certificate, 10), send) == 0
    assert list(_warnings().order_by("created_at").values_list("recipient", "context")) == [
        (tess.pk, {"threshold_days": 90, "days_left": 89}),
        (tess.pk, {"threshold_days": 30, "days_left": 29}),
    ]
    (email,) = [m for m in mail.outbox if "expires on" in m.subject]
    assert email.subject.endswith(f"Your certificate {certificate.number} expires on 2 March 2029")
    assert "89 days from when this was sent" in email.body


def test_it_sends_only_the_nearest_warning_to_a_certificate_first_seen_late(certificate):
    assert _at(_days_before(certificate, 20), certificate_expiry_warnings_send) == 1
    assert [n.context["threshold_days"] for n in _warnings()] == [30]


def test_it_warns_nobody_about_a_suspended_or_revoked_certificate(certificate, tess):
    other_assessor = make_assessor("Ama Assessor", "ama@example.org")
    certificate_suspend(certificate=certificate, by=other_assessor, reason="Under review")
    assert _at(_days_before(certificate, 89), certificate_expiry_warnings_send) == 0
    certificate_revoke(certificate=certificate, by=other_assessor, reason="Misconduct")
    assert _at(_days_before(certificate, 29), certificate_expiry_warnings_send) == 0
    assert not _warnings().exists()


def test_it_follows_the_configured_thresholds(certificate, settings):
    settings.CERTIFICATE_EXPIRY_WARNING_DAYS = [14]
    assert _at(_days_before(certificate, 29), certificate_expiry_warnings_send) == 0
    assert _at(_days_before(certificate, 13), certificate_expiry_warnings_send) == 1


def test_it_lists_digests_on_the_notifications_page_without_a_query_per_digest(
    busy_week, client, sam, django_assert_num_queries
):
    from django.urls import reverse

    monday = SUBMITTED_AT + timedelta(days=35)
    _at(monday, supervisor_digests_send)
    client.force_login(sam)
    url = reverse("notifications:list")
    client.get(url)  # the session's first request does one-off work
    with django_assert_num_queries(12):
        first = client.get(url)
    assert first.status_code == 200
    per_row = first.content.decode().count("Your week on Learning Together")
    assert per_row >= 1
    for week in (1, 2, 3):
        _at(monday + timedelta(days=7 * week), supervisor_digests_send)
    with django_assert_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count("Your week on Learning Together") == 4 * per_row


@pytest.mark.parametrize("gone", ["deactivated", "erased"])
def test_it_leaves_out_sessions_only_a_departed_trainee_could_confirm(
    gone, busy_week, pat, sam, django_capture_on_commit_callbacks
):
    from learning_platform.accounts.models import User

    if gone == "deactivated":
        User.objects.filter(pk=pat.pk).update(is_active=False)
    else:
        User.objects.filter(pk=pat.pk).update(erased_at=SUBMITTED_AT + timedelta(days=1))
    monday = SUBMITTED_AT + timedelta(days=35)

    _at(monday, supervisor_digests_send, capture=django_capture_on_commit_callbacks)

    (digest,) = _digests()
    assert digest.context["session_ids"] == []
    (email,) = [m for m in mail.outbox if m.to == [sam.email]]
    assert "0 sessions to be confirmed" in email.subject
    assert "Pat Partner" not in email.body


def test_it_lists_only_the_attendees_still_here_in_a_session_to_confirm(
    busy_week, tess, pat, sam, django_capture_on_commit_callbacks
):
    from accreditation.models import SupervisionAttendance
    from learning_platform.accounts.models import User

    SupervisionAttendance.objects.create(session=busy_week, trainee=tess)
    User.objects.filter(pk=pat.pk).update(is_active=False)
    _at(
        SUBMITTED_AT + timedelta(days=35),
        supervisor_digests_send,
        capture=django_capture_on_commit_callbacks,
    )

    (email,) = [m for m in mail.outbox if m.to == [sam.email]]
    assert "Group supervision on 2 March 2026, waiting for Tess Trainee" in email.body
    assert "Pat Partner" not in email.body


def test_it_tells_only_the_supervisor_of_the_trainees_current_review(uma, sam, sid):
    from .factories import SupervisedReviewFactory

    with time_machine.travel(SUBMITTED_AT - timedelta(days=1), tick=False):
        enrol(uma)
    # Sid supervised Uma's earlier review; Sam supervises the one she is on now.
    earlier = SupervisedReviewFactory(trainee=uma, supervisor=sid, start_date=date(2024, 1, 8))
    SupervisedReviewFactory(trainee=uma, supervisor=sam, start_date=date(2026, 1, 12))
    # The earlier review is finished (its Report approved), so it is not at risk either.
    earlier.stages.update(status="approved")

    _at(SUBMITTED_AT + timedelta(days=35), supervisor_digests_send)

    assert [(d.recipient, d.context["trainee_ids"]) for d in _digests()] == [(sam, [uma.pk])]


def test_it_leaves_out_of_the_digest_a_trainee_waiting_on_the_assessor(review, tess, sam):
    with time_machine.travel(SUBMITTED_AT, tick=False):
        make_ready(tess, review)
        submit(tess)

    _at(SUBMITTED_AT + timedelta(days=35), supervisor_digests_send)

    assert all(tess.pk not in d.context["trainee_ids"] for d in _digests())
