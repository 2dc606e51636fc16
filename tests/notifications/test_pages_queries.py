"""The notifications list and a notification's page in a fixed number of queries, however many
notifications a person has."""

from datetime import date

from django.urls import reverse

import pytest

from accreditation.events import AccreditationEvent
from accreditation.models import SignOff
from accreditation.services.supervision import supervision_session_record
from courses.events import CourseEvent
from courses.services.invitations.lifecycle import invitation_create
from notifications.models import Notification
from notifications.services import notify
from tests.courses.factories import CohortFactory, build_course

from .conftest import submit_stage
from .page_helpers import LIST, text

pytestmark = pytest.mark.django_db

LIST_QUERIES = 13
OPEN_QUERIES = 14


def test_it_shows_an_unread_notification_in_a_fixed_number_of_queries(
    client, review, tess_notified, tess, sam, django_assert_num_queries
):
    _, changes = tess_notified
    # The invitation's course puts a page under the site root, as on any real site. Without one
    # the menu costs no query at all (a page with no children is not asked for them), and the
    # count would change with the first page added rather than with the notifications.
    kinds = _kinds(tess, sam, review)
    client.force_login(tess)
    url = reverse("notifications:open", args=[changes.pk])
    client.get(url)  # the first request after a cache clear also fills caches that later ones read

    with django_assert_num_queries(OPEN_QUERIES):
        response = client.get(url)
    assert response.status_code == 200

    _fill(50, tess, sam, kinds)
    with django_assert_num_queries(OPEN_QUERIES):
        assert client.get(url).status_code == 200


def _kinds(tess, sam, review):
    """Four kinds of thing a notification can be about."""
    sign_off = SignOff.objects.filter(stage__review=review).first()
    session = supervision_session_record(
        supervisor=sam, kind="group", date=date(2026, 2, 3), duration_minutes=60, attendees=[tess]
    )
    invitation = invitation_create(
        cohort=CohortFactory(course=build_course(modules=1)),
        email="tess@example.org",
        full_name="Tess",
        invited_by=None,
    )
    return [
        (AccreditationEvent.STAGE_APPROVED, sign_off),
        (AccreditationEvent.SUPERVISION_TO_CONFIRM, session),
        (CourseEvent.INVITATION, invitation),
        (AccreditationEvent.APPLICATION_SUBMITTED, None),
    ]


def _fill(count, tess, sam, kinds):
    for number in range(count - Notification.objects.filter(recipient=tess).count()):
        event, target = kinds[number % len(kinds)]
        notify(recipient=tess, event=event, actor=sam, target=target)
    assert Notification.objects.filter(recipient=tess).count() == count


def test_it_runs_the_same_queries_for_5_notifications_as_for_50(
    client, review, tess, sam, django_assert_num_queries
):
    submit_stage(review, tess)
    kinds = _kinds(tess, sam, review)
    client.force_login(tess)
    client.get(LIST)  # the first request after a cache clear also fills caches that later ones read

    _fill(5, tess, sam, kinds)
    with django_assert_num_queries(LIST_QUERIES):
        small = client.get(LIST)
    _fill(50, tess, sam, kinds)
    with django_assert_num_queries(LIST_QUERIES):
        large = client.get(LIST)

    assert text(small).count('class="notification--unread"') == 5
    assert text(large).count('class="notification--unread"') == 20
    assert "Page 1 of 3" in text(large)
    assert "Confirm your attendance at group supervision on 3 February 2026" in text(large)
    assert "You are invited to join" in text(large)
    with django_assert_num_queries(LIST_QUERIES):
        page_3 = client.get(LIST, {"page": 3})
    assert text(page_3).count('class="notification--unread"') == 10
