"""Supervision: the supervisor records sessions for their own trainees, each attendee confirms,
and only confirmed attendance counts towards the scheme."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import SupervisionAttendance, SupervisionSession
from accreditation.selectors.supervision import (
    supervision_counts_for_trainee,
    supervisor_trainees,
)
from accreditation.services.supervision import (
    supervision_attendance_confirm,
    supervision_session_record,
)

from .factories import default_scheme

pytestmark = pytest.mark.django_db

# With one counting the sessions, for the pages.
LOG_QUERIES = 14


def _record(sam, people, kind="group", report_writing=False, day=date(2026, 2, 1)):
    return supervision_session_record(
        supervisor=sam,
        kind=kind,
        date=day,
        duration_minutes=60,
        attendees=people,
        during_report_writing=report_writing,
    )


def _date_fields(day: date) -> dict[str, str]:
    # The date as typed into its day, month and year boxes.
    return {"date_day": str(day.day), "date_month": str(day.month), "date_year": str(day.year)}


def test_it_offers_the_supervisor_only_their_trainees(review, other_review, tess, pat, sam):
    assert list(supervisor_trainees(supervisor=sam)) == [pat, tess]


def test_it_records_a_session_through_the_log(client, review, tess, pat, sam):
    client.force_login(sam)
    response = client.post(
        reverse("accreditation:supervision_log"),
        {
            "kind": "individual",
            **_date_fields(date(2026, 3, 2)),
            "duration_minutes": "60",
            "attendees": [tess.pk],
            "during_report_writing": "on",
            "notes": "Report structure.",
        },
    )
    assert response.status_code == 302
    session = SupervisionSession.objects.get()
    assert (session.supervisor, session.kind, session.during_report_writing) == (
        sam,
        "individual",
        True,
    )
    assert list(session.attendees.values_list("trainee", "confirmed_at")) == [(tess.pk, None)]
    assert ModelLogEntry.objects.filter(action="accreditation.supervision.record").count() == 1


def test_it_refuses_someone_elses_trainee(client, review, other_review, uma, sam):
    client.force_login(sam)
    response = client.post(
        reverse("accreditation:supervision_log"),
        {
            "kind": "group",
            **_date_fields(date(2026, 3, 2)),
            "duration_minutes": "60",
            "attendees": [uma.pk],
        },
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    with pytest.raises(TransitionError, match="trainees you supervise"):
        _record(sam, [uma])
    assert SupervisionSession.objects.count() == 0


def test_it_refuses_a_future_date_and_report_writing_on_a_group(client, review, tess, sam):
    client.force_login(sam)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("accreditation:supervision_log"),
        {
            "kind": "group",
            **_date_fields(tomorrow),
            "duration_minutes": "60",
            "attendees": [tess.pk],
            "during_report_writing": "on",
        },
    )
    content = response.content.decode()
    assert "The date of the session must be today or in the past." in content
    assert "Only an individual session is marked as during report writing." in content
    assert SupervisionSession.objects.count() == 0


def test_it_says_what_each_missing_answer_needs(client, review, tess, sam):
    client.force_login(sam)

    response = client.post(reverse("accreditation:supervision_log"), {"notes": ""})
    content = response.content.decode()

    for message in (
        "Choose group or individual supervision.",
        "Enter the date of the session.",
        "Enter how long the session lasted, in minutes.",
        "Choose each trainee who attended.",
    ):
        assert message in content
    assert "This field is required." not in content
    assert SupervisionSession.objects.count() == 0


def test_it_records_a_double_clicked_session_once(review, tess, pat, sam):
    _record(sam, [tess, pat])

    with pytest.raises(
        TransitionError, match="already recorded this group supervision session on 1 February 2026"
    ):
        _record(sam, [pat, tess])

    assert SupervisionSession.objects.count() == 1
    # Another kind, another day or other attendees is another session.
    _record(sam, [tess], kind="individual")
    _record(sam, [tess, pat], day=date(2026, 2, 2))
    _record(sam, [tess])
    assert SupervisionSession.objects.count() == 4


def test_it_counts_only_confirmed_attendance(review, tess, pat, sam):
    scheme = default_scheme()
    first = _record(sam, [tess, pat])
    _record(sam, [tess, pat], day=date(2026, 2, 15))
    individual = _record(sam, [tess], kind="individual", report_writing=True)
    _record(sam, [tess], kind="individual", report_writing=False)
    assert supervision_counts_for_trainee(user=tess, scheme=scheme) == {
        "group": 0,
        "individual_report_writing": 0,
    }
    supervision_attendance_confirm(session=first, trainee=tess)
    supervision_attendance_confirm(session=individual, trainee=tess)
    assert supervision_counts_for_trainee(user=tess, scheme=scheme) == {
        "group": 1,
        "individual_report_writing": 1,
    }
    assert supervision_counts_for_trainee(user=pat, scheme=scheme) == {
        "group": 0,
        "individual_report_writing": 0,
    }


def test_it_confirms_through_the_button_once(client, review, tess, sam):
    session = _record(sam, [tess])
    client.force_login(tess)
    url = reverse("accreditation:session_confirm", args=[session.pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    attendance = SupervisionAttendance.objects.get()
    assert attendance.confirmed_at is not None
    confirmed_at = attendance.confirmed_at
    response = client.post(url, follow=True)
    assert "You have already confirmed this session." in [
        str(m) for m in response.context["messages"]
    ]
    attendance.refresh_from_db()
    assert attendance.confirmed_at == confirmed_at


def test_it_lets_only_an_attendee_confirm(review, tess, pat, sam):
    session = _record(sam, [tess])
    for person in (pat, sam):
        with pytest.raises(TransitionError, match="not recorded as attending"):
            supervision_attendance_confirm(session=session, trainee=person)
    assert SupervisionAttendance.objects.get().confirmed_at is None


def test_it_shows_my_supervision_with_counts_against_the_scheme(client, review, tess, pat, sam):
    session = _record(sam, [tess, pat])
    _record(sam, [pat], day=date(2026, 2, 8))
    supervision_attendance_confirm(session=session, trainee=tess)
    client.force_login(tess)
    response = client.get(reverse("accreditation:my_supervision"))
    content = response.content.decode()
    assert "1 of 4 needed" in content
    assert "0 of 1 needed" in content
    assert len(response.context["attendance"]) == 1
    assert "Confirmed" in content
    client.force_login(pat)
    content = client.get(reverse("accreditation:my_supervision")).content.decode()
    assert content.count("Confirm I attended") == 2


def test_it_shows_the_supervisors_log_in_constant_queries(
    client, review, tess, pat, sam, django_assert_num_queries
):
    client.force_login(sam)
    url = reverse("accreditation:supervision_log")

    for i in range(3):
        _record(sam, [tess, pat], day=date(2026, 1, 1) + timedelta(days=i))
    client.get(url)  # the first request reads the site menu into the cache
    with django_assert_num_queries(LOG_QUERIES):
        assert len(client.get(url).context["sessions"]) == 3
    for i in range(3, 30):
        _record(sam, [tess, pat], day=date(2026, 1, 1) + timedelta(days=i))
    with django_assert_num_queries(LOG_QUERIES):
        response = client.get(url)
    assert len(response.context["sessions"]) == 25
    with django_assert_num_queries(LOG_QUERIES):
        response = client.get(url, {"page": 2})
    assert len(response.context["sessions"]) == 5


def test_it_marks_the_trainees_notice_read_when_they_confirm(review, tess, pat, sam):
    from accreditation.events import AccreditationEvent
    from notifications.models import Notification

    first = _record(sam, [tess, pat])
    second = _record(sam, [tess], day=date(2026, 2, 8))
    unread = Notification.objects.filter(
        event=AccreditationEvent.SUPERVISION_TO_CONFIRM, read_at__isnull=True
    )
    assert unread.count() == 3

    supervision_attendance_confirm(session=first, trainee=tess)

    # Tess's notice for this session is done; her other session and Pat's notice are not.
    assert sorted((n.recipient_id, n.target_object_id) for n in unread) == sorted(
        [(pat.pk, first.pk), (tess.pk, second.pk)]
    )
