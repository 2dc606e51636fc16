"""Supervisor home for a busy supervisor: pages of trainee cards, found by name, email or
cohort."""

from django.urls import reverse
from django.utils import timezone

import pytest

from courses.models import Enrolment, ModuleProgress
from learning_platform.accounts.models import User
from tests.courses.factories import CohortFactory, EnrolmentFactory
from tests.courses.test_supervisor_home import HOME_QUERIES

pytestmark = pytest.mark.django_db

URL = reverse("courses:supervisor_home")


def _trainees(cohort, count, *, prefix, supervisor=None):
    users = User.objects.bulk_create(
        [
            User(email=f"{prefix}{i:03}@example.org", full_name=f"{prefix.title()} {i:03}")
            for i in range(count)
        ]
    )
    return Enrolment.objects.bulk_create(
        [Enrolment(user=u, cohort=cohort, supervisor=supervisor) for u in users]
    )


@pytest.fixture
def busy(sam, course, modules):
    """Sam supervises all 40 of Leeds (as its cohort supervisor) and 20 of York's trainees by
    name; York's other 5 trainees are someone else's, and one of Sam's has withdrawn."""
    leeds = CohortFactory(course=course, name="Leeds 2026")
    leeds.supervisors.add(sam)
    york = CohortFactory(course=course, name="York 2026")
    leeds_trainees = _trainees(leeds, 40, prefix="leeds")
    _trainees(york, 20, prefix="york", supervisor=sam)
    _trainees(york, 5, prefix="other")
    EnrolmentFactory(
        cohort=york, supervisor=sam, status=Enrolment.Status.WITHDRAWN, user__full_name="Gone"
    )
    ModuleProgress.objects.bulk_create(
        [
            ModuleProgress(enrolment=e, module=modules[0], completed_at=timezone.now())
            for e in leeds_trainees[:3]
        ]
    )
    return {"leeds": leeds, "york": york}


def _names(response):
    return [item.enrolment.user.full_name for item in response.context["trainees"]]


def test_it_shows_24_trainees_a_page_in_cohort_then_name_order(client, sam, busy):
    client.force_login(sam)

    first = client.get(URL)
    third = client.get(URL, {"page": 3})

    assert _names(first) == [f"Leeds {i:03}" for i in range(24)]
    assert _names(third) == [f"York {i:03}" for i in range(8, 20)]
    assert [item.modules_completed for item in first.context["trainees"][:4]] == [1, 1, 1, 0]
    assert {item.modules_total for item in first.context["trainees"]} == {2}
    page = third.content.decode()
    assert "Showing 49–60 of 60 trainees." in page
    assert "Page 3 of 3" in page
    assert 'href="?page=2" rel="prev"' in page
    assert 'rel="next"' not in page


def test_it_finds_trainees_by_name_or_email_keeping_the_search_across_pages(client, sam, busy):
    client.force_login(sam)

    by_name = client.get(URL, {"q": "york 01"})
    by_email = client.get(URL, {"q": "leeds03"})
    nobody_elses = client.get(URL, {"q": "other"})
    paged = client.get(URL, {"q": "@example.org", "page": 2})

    assert _names(by_name) == [f"York {i:03}" for i in range(10, 20)]
    assert _names(by_email) == [f"Leeds {i:03}" for i in range(30, 40)]
    assert _names(nobody_elses) == []
    assert "None of your trainees match your search." in nobody_elses.content.decode()
    assert 'href="?q=%40example.org&amp;page=1" rel="prev"' in paged.content.decode()


def test_it_filters_by_the_cohorts_sam_supervises_in(client, sam, busy, cohort):
    client.force_login(sam)

    response = client.get(URL, {"cohort": busy["york"].pk})

    assert _names(response) == [f"York {i:03}" for i in range(20)]
    choices = [label for _, label in response.context["form"].fields["cohort"].choices]
    # Sam supervises the London cohort as a whole too, though nobody is enrolled in it.
    assert choices == ["Any cohort", "Leeds 2026", "London boards 2026", "York 2026"]


def test_it_refuses_a_cohort_sam_does_not_supervise_in(client, sam, busy, course):
    elsewhere = CohortFactory(course=course, name="Elsewhere")
    _trainees(elsewhere, 2, prefix="elsewhere")
    client.force_login(sam)

    response = client.get(URL, {"cohort": elsewhere.pk})

    assert response.status_code == 200
    assert response.context["form"].errors["cohort"]
    assert not any(name.startswith("Elsewhere") for name in _names(response))


@pytest.mark.parametrize(
    "query, shown", [({}, 24), ({"page": 3}, 12), ({"q": "leeds", "page": 2}, 16)]
)
def test_it_runs_the_same_queries_on_any_page(
    client, sam, busy, query, shown, django_assert_num_queries
):
    client.force_login(sam)
    client.get(URL)  # warm per-process caches (content types, site)

    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(URL, query)

    assert len(response.context["trainees"]) == shown
