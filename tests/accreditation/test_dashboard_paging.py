"""The programme dashboard's cohorts a page at a time, found by name and funding strand, while
the strand totals and the CSV count every cohort."""

import csv
import io
import re
from datetime import date, timedelta

from django.urls import reverse

import pytest

from accreditation.views.dashboard import COHORTS_PER_PAGE
from tests.courses.factories import CohortFactory, EnrolmentFactory, build_course

from .factories import make_trainee
from .test_dashboard_pages import DASHBOARD_QUERIES

URL = reverse("accreditation:dashboard")


@pytest.fixture
def many_cohorts(db):
    """45 cohorts, "Cohort 01" the oldest; the odd ones on the DfE grant. Each has as many
    trainees enrolled as its number ends in (Cohort 13 has 3), so totals show who counts."""
    course = build_course(modules=1)
    cohorts = []
    for number in range(1, 46):
        cohort = CohortFactory(
            course=course,
            name=f"Cohort {number:02}",
            funding_strand="DfE grant" if number % 2 else "",
            start_date=date(2020, 1, 1) + timedelta(days=30 * number),
        )
        for n in range(number % 10):
            EnrolmentFactory(
                cohort=cohort, user=make_trainee(f"T {number}-{n}", f"t{number}-{n}@example.org")
            )
        cohorts.append(cohort)
    return cohorts


def _funnel_names(response) -> list[str]:
    return [row.label for row, _ in response.context["cohort_rows"]]


def _html(response) -> str:
    return response.content.decode()


def test_it_shows_a_page_of_cohorts_newest_first(client, ada, many_cohorts):
    client.force_login(ada)

    first = client.get(URL)
    last = client.get(URL, {"page": 3})

    assert COHORTS_PER_PAGE == 20
    assert _funnel_names(first) == [f"Cohort {n:02}" for n in range(45, 25, -1)]
    assert _funnel_names(last) == [f"Cohort {n:02}" for n in range(5, 0, -1)]
    assert "Showing 1–20 of 45 cohorts." in _html(first)
    assert "Showing 41–45 of 45 cohorts." in _html(last)
    # A chart for each cohort on the page, and for no other.
    charts = re.findall(
        r"<title id=\"funnel-\d+-title\">From enrolled to accredited: ([^<]+)<", _html(last)
    )
    assert charts == [f"Cohort {n:02}" for n in range(5, 0, -1)]
    assert "Cohort 45" not in _html(last)
    assert 'rel="prev"' in _html(last) and 'rel="next"' not in _html(last)


def test_it_totals_every_cohort_by_funding_strand_on_every_page(client, ada, many_cohorts):
    client.force_login(ada)
    enrolled = {n: n % 10 for n in range(1, 46)}

    for page in (1, 3):
        strands = {
            row.label: row.counts
            for row in client.get(URL, {"page": page}).context["dashboard"].strands
        }
        assert strands["DfE grant"].enrolled == sum(v for n, v in enrolled.items() if n % 2)
        assert strands["No funding strand"].enrolled == sum(
            v for n, v in enrolled.items() if not n % 2
        )


def test_it_finds_cohorts_by_name_and_funding_strand(client, ada, many_cohorts):
    client.force_login(ada)

    by_name = client.get(URL, {"name": "cohort 1"})
    by_both = client.get(URL, {"name": "COHORT 1", "strand": "DfE grant"})
    by_strand = client.get(URL, {"strand": "No funding strand"})

    assert _funnel_names(by_name) == [f"Cohort {n}" for n in range(19, 9, -1)]
    assert "Showing 1–10 of 10 cohorts that match." in _html(by_name)
    assert _funnel_names(by_both) == [f"Cohort {n}" for n in range(19, 9, -2)]
    assert by_strand.context["page"].paginator.count == 22
    assert all(row.funding_strand == "" for row, _ in by_strand.context["cohort_rows"])
    # The next page keeps the choice.
    assert 'href="?strand=No+funding+strand&amp;page=2"' in _html(by_strand)


def test_it_says_so_when_no_cohort_matches(client, ada, many_cohorts):
    client.force_login(ada)

    response = client.get(URL, {"name": "Nowhere"})

    html = _html(response)
    assert response.context["cohort_rows"] == []
    assert "No cohorts match." in html
    assert "No cohorts yet." not in html
    # The strand totals still count every cohort.
    assert sum(row.counts.enrolled for row in response.context["dashboard"].strands) == sum(
        n % 10 for n in range(1, 46)
    )


def test_it_ignores_a_funding_strand_it_does_not_know_and_says_so(client, ada, many_cohorts):
    client.force_login(ada)

    response = client.get(URL, {"name": "Cohort 2", "strand": "Invented"})

    assert response.status_code == 200
    assert _funnel_names(response) == [f"Cohort {n}" for n in range(29, 19, -1)]
    assert "Funding strand must be one of the options given." in _html(response)


def test_it_runs_the_same_queries_on_the_first_and_a_later_page(
    client, ada, many_cohorts, django_assert_num_queries
):
    client.force_login(ada)
    client.get(URL)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        first = client.get(URL)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        later = client.get(URL, {"page": 2, "name": "cohort", "strand": "DfE grant"})

    assert len(first.context["cohort_rows"]) == 20
    assert _funnel_names(later) == [f"Cohort {n:02}" for n in range(5, 0, -2)]


def test_it_exports_every_cohort_as_a_stream(client, ada, many_cohorts):
    client.force_login(ada)

    response = client.get(reverse("accreditation:dashboard_csv"), {"page": 2, "name": "Cohort 4"})

    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header = rows[0]
    cohorts = [dict(zip(header, row, strict=True)) for row in rows[1:] if row[0] == "Cohort"]
    assert [row["Name"] for row in cohorts] == [f"Cohort {n:02}" for n in range(45, 0, -1)]
    assert [row["Enrolled"] for row in cohorts] == [str(n % 10) for n in range(45, 0, -1)]
    strands = [row[1] for row in rows[1:] if row[0] == "Funding strand"]
    assert strands == ["DfE grant", "No funding strand"]
