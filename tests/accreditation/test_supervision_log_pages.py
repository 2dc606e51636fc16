"""The supervisor's log a page at a time, found by a trainee's name, the kind of session and
whether everyone has confirmed, in a fixed number of queries whatever its length."""

import re
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from accreditation.models import SupervisionAttendance, SupervisionSession
from accreditation.views.supervision import SESSIONS_PER_PAGE

from .test_supervision_sessions import LOG_QUERIES

URL = reverse("accreditation:supervision_log")
FIRST_DAY = date(2026, 1, 1)


def _sessions(supervisor, people, count: int, *, start: int = 0, kind: str = "group"):
    """``count`` sessions on consecutive days, each attended by ``people``."""
    made = []
    for number in range(start, start + count):
        session = SupervisionSession.objects.create(
            supervisor=supervisor,
            kind=kind,
            date=FIRST_DAY + timedelta(days=number),
            duration_minutes=60,
        )
        SupervisionAttendance.objects.bulk_create(
            SupervisionAttendance(session=session, trainee=person) for person in people
        )
        made.append(session)
    return made


def _days(response) -> list[int]:
    return [(session.date - FIRST_DAY).days for session in response.context["sessions"]]


def test_it_shows_the_log_a_page_at_a_time_newest_first(client, review, tess, pat, sam):
    _sessions(sam, [tess, pat], 30)
    client.force_login(sam)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert SESSIONS_PER_PAGE == 25
    assert _days(first) == list(range(29, 4, -1))
    assert _days(second) == [4, 3, 2, 1, 0]
    assert "Showing 1–25 of 30 sessions, newest first." in first.content.decode()
    assert "Showing 26–30 of 30 sessions, newest first." in second.content.decode()
    # Each session still lists who attended and whether they confirmed.
    assert [a.trainee for a in second.context["sessions"][0].attendees.all()] == [pat, tess]


def test_it_finds_sessions_by_a_trainees_name_and_kind(client, review, tess, pat, sam):
    _sessions(sam, [tess, pat], 3)
    _sessions(sam, [pat], 2, start=3, kind="individual")
    _sessions(sam, [tess], 1, start=5, kind="individual")
    client.force_login(sam)

    assert _days(client.get(URL, {"name": "tess"})) == [5, 2, 1, 0]
    assert _days(client.get(URL, {"name": "PAT", "kind": "individual"})) == [4, 3]
    assert _days(client.get(URL, {"kind": "group"})) == [2, 1, 0]
    response = client.get(URL, {"name": "Pat Partner", "kind": "group"})
    assert "Showing 1–3 of 3 sessions that match, newest first." in response.content.decode()


def test_it_shows_the_sessions_waiting_for_a_confirmation_or_confirmed_by_all(
    client, review, tess, pat, sam
):
    sessions = _sessions(sam, [tess, pat], 3)
    SupervisionAttendance.objects.filter(session=sessions[0]).update(confirmed_at=timezone.now())
    SupervisionAttendance.objects.filter(session=sessions[1], trainee=tess).update(
        confirmed_at=timezone.now()
    )
    client.force_login(sam)

    assert _days(client.get(URL, {"shows": "unconfirmed"})) == [2, 1]
    assert _days(client.get(URL, {"shows": "confirmed"})) == [0]
    # Only Pat's confirmation is missing from the second day's session.
    assert _days(client.get(URL, {"shows": "unconfirmed", "name": "tess"})) == [2, 1]


def test_it_keeps_the_search_on_the_next_page(client, review, tess, pat, sam):
    _sessions(sam, [tess], 27)
    client.force_login(sam)

    first = client.get(URL, {"name": "tess", "kind": "group"})
    second = client.get(URL, {"name": "tess", "kind": "group", "page": 2})

    assert 'href="?name=tess&amp;kind=group&amp;page=2"' in first.content.decode()
    assert _days(second) == [1, 0]


def test_it_says_so_when_there_is_nothing_to_show(client, review, tess, pat, sam):
    client.force_login(sam)
    assert "You have not recorded any sessions yet." in client.get(URL).content.decode()

    _sessions(sam, [tess], 1)

    html = client.get(URL, {"name": "Uma"}).content.decode()
    assert "No sessions match." in html
    assert "You have not recorded any sessions yet." not in html


def test_it_keeps_the_record_form_and_the_filter_apart(client, review, tess, sam):
    _sessions(sam, [tess], 1)
    client.force_login(sam)

    html = client.get(URL, {"kind": "nonsense", "name": "Tess"}).content.decode()

    # Both forms have a "kind" field; no id is used twice on the page.
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert 'for="filter_kind"' in html and 'name="kind"' in html
    assert "Kind of session must be one of the options given." in html
    assert "Showing 1–1 of 1 session that matches, newest first." in html


def test_it_runs_the_same_queries_on_the_first_and_a_later_page(
    client, review, tess, pat, sam, django_assert_num_queries
):
    _sessions(sam, [tess, pat], 60)
    client.force_login(sam)
    client.get(URL)

    with django_assert_num_queries(LOG_QUERIES):
        first = client.get(URL)
    with django_assert_num_queries(LOG_QUERIES):
        later = client.get(URL, {"page": 3, "name": "pat", "kind": "group", "shows": "unconfirmed"})

    assert len(_days(first)) == 25
    assert _days(later) == list(range(9, -1, -1))
