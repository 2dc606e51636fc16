"""The Programme admin lists (cohorts, enrolments, invitations) run the same number of queries
whatever the number of rows: each row's cohort, course and people come in the listing query."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tests.courses.factories import (
    CohortFactory,
    EnrolmentFactory,
    InvitationFactory,
    build_course,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _cohorts(count):
    for _ in range(count):
        # Each on its own course, so the course title is a different row every time.
        CohortFactory(course=build_course(title=f"Course {CohortFactory._meta.next_sequence()}"))


def _enrolments(count, sam):
    for _ in range(count):
        partner = UserFactory()
        EnrolmentFactory(supervisor=sam, review_partner=partner)


def _invitations(count):
    for _ in range(count):
        InvitationFactory()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(captured)


@pytest.mark.parametrize(
    "url,build,marker",
    [
        ("/admin/programme/cohorts/", lambda n, sam: _cohorts(n), "Course "),
        ("/admin/programme/enrolments/", _enrolments, "London boards"),
        ("/admin/programme/invitations/", lambda n, sam: _invitations(n), "invitee"),
    ],
    ids=["cohorts", "enrolments", "invitations"],
)
def test_it_lists_3_rows_and_15_rows_in_the_same_number_of_queries(
    client, ada, sam, url, build, marker, django_assert_num_queries
):
    client.force_login(ada)
    client.get(url)  # the session and MFA checks settle on the first request
    build(3, sam)
    response, with_3 = _queries(client, url)
    assert response.content.decode().count(marker) >= 3

    build(12, sam)
    with django_assert_num_queries(with_3):
        response = client.get(url)
    assert response.content.decode().count(marker) >= 15
