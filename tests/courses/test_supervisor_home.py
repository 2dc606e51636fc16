"""Supervisor home: "My trainees" across cohorts."""

from django.urls import reverse
from django.utils import timezone

import pytest

from courses.models import Enrolment, ModuleProgress
from learning_platform.accounts.models import User
from tests.courses.factories import CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db

URL = reverse("courses:supervisor_home")
# The layout's reads, the cohorts to filter by, the trainees counted, one page of them, their
# completed modules and their courses' modules.
HOME_QUERIES = 14


def test_it_lists_trainees_supervised_directly_or_through_a_cohort(
    client, sam, tess, pat, uma, course, modules, cohort
):
    cohort.supervisors.clear()
    tess_e = EnrolmentFactory(user=tess, cohort=cohort, supervisor=sam)
    EnrolmentFactory(user=pat, cohort=cohort)  # not Sam's
    ModuleProgress.objects.create(enrolment=tess_e, module=modules[0], completed_at=timezone.now())
    other = CohortFactory(course=course, name="Leeds boards 2026")
    other.supervisors.add(sam)
    EnrolmentFactory(user=uma, cohort=other)
    client.force_login(sam)

    response = client.get(URL)

    assert response.status_code == 200
    items = {t.enrolment.user.email: t for t in response.context["trainees"]}
    assert set(items) == {"tess@example.org", "uma@example.org"}
    assert (
        items["tess@example.org"].modules_completed,
        items["tess@example.org"].modules_total,
    ) == (1, 2)
    page = response.content.decode()
    assert f"/learning/enrolments/{tess_e.pk}/progress/" in page
    assert '<progress id="progress-' in page
    assert "Leeds boards 2026" in page
    # Their reviews and sessions are a link away, and the trainee's record leads back here.
    assert 'href="/accreditation/supervision/queue/">sign-off queue</a>' in page
    assert 'href="/accreditation/supervision/log/">supervision log</a>' in page
    record = client.get(f"/learning/enrolments/{tess_e.pk}/progress/").content.decode()
    assert f'href="{URL}">Back to My trainees</a>' in record


def test_it_runs_the_same_queries_for_few_and_many_trainees(
    client, sam, course, modules, django_assert_num_queries
):
    cohort = CohortFactory(course=course)
    cohort.supervisors.add(sam)
    client.force_login(sam)

    def add(count, start):
        users = User.objects.bulk_create(
            [User(email=f"t{start + i}@example.org", full_name=f"T {i}") for i in range(count)]
        )
        Enrolment.objects.bulk_create(
            [Enrolment(user=u, cohort=cohort, supervisor=sam) for u in users]
        )

    add(5, 0)
    client.get(URL)
    with django_assert_num_queries(HOME_QUERIES):
        assert len(client.get(URL).context["trainees"]) == 5
    add(195, 100)
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(URL)
    assert len(response.context["trainees"]) == 24
    assert response.context["page"].paginator.count == 200


@pytest.mark.parametrize("persona", ["tess", "ali", "ada"])
def test_it_is_only_for_supervisors(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "my_trainees", "cohorts"),
    [("tess", False, False), ("sam", True, False), ("ada", False, True)],
)
def test_it_links_my_trainees_and_cohorts_in_the_account_nav(
    client, request, persona, my_trainees, cohorts
):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(reverse("accounts_profile")).content.decode()

    assert (f'href="{URL}"' in page) is my_trainees
    assert (f'href="{reverse("courses:cohort_list")}"' in page) is cohorts
