"""The Programme admin lists (cohorts, enrolments, invitations) run the same number of queries
whatever the number of rows: each row's cohort, course and people come in the listing query."""

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


@pytest.mark.parametrize(
    "url,build,marker,queries",
    [
        ("/admin/programme/cohorts/", lambda n, sam: _cohorts(n), "Course ", 15),
        ("/admin/programme/enrolments/", _enrolments, "London boards", 16),
        ("/admin/programme/invitations/", lambda n, sam: _invitations(n), "invitee", 15),
    ],
    ids=["cohorts", "enrolments", "invitations"],
)
def test_it_lists_3_rows_and_15_rows_in_the_same_number_of_queries(
    client, ada, sam, url, build, marker, queries, django_assert_num_queries
):
    client.force_login(ada)
    client.get(url)  # the session and MFA checks settle on the first request
    build(3, sam)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.content.decode().count(marker) >= 3

    build(12, sam)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.content.decode().count(marker) >= 15
