"""The progress grid of a large cohort: pages of trainees under the filters, a summary of the
whole filtered cohort, and downloads streamed a chunk at a time."""

import csv
import io

from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from courses.models import Enrolment, ModuleProgress
from courses.selectors import cohorts as selectors
from learning_platform.accounts.models import User
from tests.courses.factories import CohortFactory

pytestmark = pytest.mark.django_db

# The admin layout's reads and the grid's seven (modules, training days, the trainees counted,
# one page of them, their attendance, their progress, and each module's totals).
GRID_QUERIES = 20


def _trainees(cohort, count, *, status=Enrolment.Status.ACTIVE, prefix="t", supervisor=None):
    """`count` trainees named "<prefix> 000", "<prefix> 001"... so the grid's order is known."""
    users = User.objects.bulk_create(
        [
            User(email=f"{prefix}{i:03}@example.org", full_name=f"{prefix} {i:03}")
            for i in range(count)
        ]
    )
    return Enrolment.objects.bulk_create(
        [Enrolment(user=u, cohort=cohort, status=status, supervisor=supervisor) for u in users]
    )


def _complete(enrolments, module, count):
    ModuleProgress.objects.bulk_create(
        [
            ModuleProgress(enrolment=e, module=module, completed_at=timezone.now())
            for e in enrolments[:count]
        ]
    )


def _url(name, cohort, query=""):
    return reverse(f"courses:{name}", args=[cohort.pk]) + query


def _names(response):
    return [row.enrolment.user.full_name for row in response.context["grid"].rows]


@pytest.fixture
def big(course, modules, sam):
    """120 active trainees (Sam supervises the first 30) and 7 withdrawn; 90 of the active and
    all the withdrawn completed the first module; 10 active started the second."""
    cohort = CohortFactory(course=course, name="National cohort")
    cohort.supervisors.add(sam)
    active = _trainees(cohort, 30, supervisor=sam) + _trainees(cohort, 90, prefix="u")
    withdrawn = _trainees(cohort, 7, status=Enrolment.Status.WITHDRAWN, prefix="w")
    _complete(active, modules[0], 90)
    _complete(withdrawn, modules[0], 7)
    ModuleProgress.objects.bulk_create(
        [ModuleProgress(enrolment=e, module=modules[1]) for e in active[:10]]
    )
    return cohort


def test_it_shows_one_page_of_trainees_at_a_time(client, ada, big):
    client.force_login(ada)

    first = client.get(_url("cohort_grid", big))
    second = client.get(_url("cohort_grid", big, "?page=2"))
    last = client.get(_url("cohort_grid", big, "?page=3"))

    assert _names(first) == [f"t {i:03}" for i in range(30)] + [f"u {i:03}" for i in range(20)]
    assert _names(second) == [f"u {i:03}" for i in range(20, 70)]
    assert _names(last) == [f"u {i:03}" for i in range(70, 90)] + [f"w {i:03}" for i in range(7)]
    page = second.content.decode()
    assert "Showing 51–100 of 127 trainees." in page
    assert 'href="?page=1" rel="prev"' in page
    assert 'href="?page=3" rel="next"' in page
    assert "Page 2 of 3" in page


def test_it_keeps_the_filters_across_pages_and_in_the_downloads(client, ada, big):
    client.force_login(ada)

    response = client.get(_url("cohort_grid", big, "?status=active&q=u+0&page=2"))

    # "u 0" matches u 000 to u 099 in name, of which the cohort has u 000 to u 089.
    assert _names(response) == [f"u {i:03}" for i in range(50, 90)]
    page = response.content.decode()
    assert "Showing 51–90 of 90 trainees matching the filters." in page
    assert 'href="?status=active&amp;q=u+0&amp;page=1" rel="prev"' in page
    # The downloads keep the filters but not the page: they hold every matching trainee.
    assert f'href="{_url("cohort_grid_csv", big)}?status=active&amp;q=u+0"' in page
    assert f'href="{_url("cohort_grid_xlsx", big)}?status=active&amp;q=u+0"' in page


def test_it_counts_every_filtered_trainee_in_the_summary_not_just_the_page(client, ada, big, sam):
    client.force_login(ada)

    everyone = client.get(_url("cohort_grid", big, "?page=3")).context["grid"]
    active = client.get(_url("cohort_grid", big, "?status=active")).context["grid"]
    sams = client.get(_url("cohort_grid", big, f"?supervisor={sam.pk}")).context["grid"]

    assert [(s.completed, s.in_progress, s.total) for s in everyone.summaries] == [
        (97, 0, 127),
        (0, 10, 127),
    ]
    assert [(s.completed, s.in_progress, s.total) for s in active.summaries] == [
        (90, 0, 120),
        (0, 10, 120),
    ]
    assert [(s.completed, s.in_progress, s.total) for s in sams.summaries] == [
        (30, 0, 30),
        (0, 10, 30),
    ]


def test_it_says_when_the_filters_match_nobody(client, ada, big):
    client.force_login(ada)

    response = client.get(_url("cohort_grid", big, "?q=nobody-by-this-name"))

    grid = response.context["grid"]
    assert (grid.rows, grid.total) == ([], 0)
    assert [(s.completed, s.total) for s in grid.summaries] == [(0, 0), (0, 0)]
    page = response.content.decode()
    assert "No trainees match these filters." in page
    assert 'rel="next"' not in page


def test_it_shows_the_last_page_for_a_page_past_the_end(client, ada, big):
    client.force_login(ada)

    response = client.get(_url("cohort_grid", big, "?page=99"))

    assert response.context["grid"].page.number == 3
    assert _names(response)[-1] == "w 006"


@pytest.mark.parametrize("query, shown", [("", 50), ("?page=3", 27), ("?status=active&page=3", 20)])
def test_it_runs_the_same_queries_on_any_page_of_any_cohort(
    client, ada, course, modules, big, query, shown, django_assert_num_queries
):
    small = CohortFactory(course=course)
    _trainees(small, 3, prefix="s")
    client.force_login(ada)
    client.get(_url("cohort_grid", small))  # warm per-process caches (content types, site)

    with django_assert_num_queries(GRID_QUERIES):
        assert client.get(_url("cohort_grid", small)).status_code == 200
    with django_assert_num_queries(GRID_QUERIES):
        response = client.get(_url("cohort_grid", big, query))
    assert response.status_code == 200
    assert len(response.context["grid"].rows) == shown


# Downloads ----------------------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.getvalue().decode())))


def test_it_streams_every_matching_trainee_as_csv(client, ada, big):
    client.force_login(ada)

    response = client.get(_url("cohort_grid_csv", big, "?status=active&page=2"))

    assert isinstance(response, StreamingHttpResponse)
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Disposition"].startswith('attachment; filename="national-cohort-')
    rows = _csv_rows(response)
    assert len(rows) == 1 + 120
    assert [row[0] for row in rows[1:]] == [f"t {i:03}" for i in range(30)] + [
        f"u {i:03}" for i in range(90)
    ]


def test_it_writes_the_same_csv_whatever_the_chunk_size(client, ada, big, monkeypatch):
    client.force_login(ada)
    whole = client.get(_url("cohort_grid_csv", big)).getvalue()

    monkeypatch.setattr(selectors, "EXPORT_CHUNK_SIZE", 7)
    chunked = client.get(_url("cohort_grid_csv", big)).getvalue()

    assert chunked == whole
    assert len(whole.decode().splitlines()) == 1 + 127


def test_it_reads_the_trainees_as_it_sends_them(client, ada, big, monkeypatch):
    monkeypatch.setattr(selectors, "EXPORT_CHUNK_SIZE", 50)
    client.force_login(ada)
    response = client.get(_url("cohort_grid_csv", big))
    sent = iter(response.streaming_content)

    def progress_reads(queries):
        return sum('"courses_moduleprogress"' in q["sql"] for q in queries)

    with CaptureQueriesContext(connection) as header_and_first_chunk:
        header, first = next(sent), next(sent)
    with CaptureQueriesContext(connection) as the_rest:
        rest = b"".join(sent)

    assert header.decode().startswith("Name,Email,Status")
    assert len(first.decode().splitlines()) == 50
    assert len(rest.decode().splitlines()) == 77
    # Progress is read for the first 50 before they are sent, then for each later chunk.
    assert progress_reads(header_and_first_chunk.captured_queries) == 1
    assert progress_reads(the_rest.captured_queries) == 2


def test_it_writes_the_xlsx_a_row_at_a_time_with_its_header_bold_and_frozen(client, ada, big):
    client.force_login(ada)

    response = client.get(_url("cohort_grid_xlsx", big, "?status=withdrawn"))

    assert isinstance(response, FileResponse)
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Disposition"].startswith('attachment; filename="national-cohort-')
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet.title == "Progress"
    assert sheet.freeze_panes == "B2"
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["A2"].font.b
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][-1] == "Modules completed (of 2)"
    assert [row[0] for row in values[1:]] == [f"w {i:03}" for i in range(7)]
    assert {row[2] for row in values[1:]} == {"Withdrawn"}


def test_it_writes_the_same_xlsx_rows_whatever_the_chunk_size(client, ada, big, monkeypatch):
    client.force_login(ada)

    def rows():
        response = client.get(_url("cohort_grid_xlsx", big))
        return list(load_workbook(io.BytesIO(response.getvalue())).active.values)

    whole = rows()
    monkeypatch.setattr(selectors, "EXPORT_CHUNK_SIZE", 4)

    assert rows() == whole
    assert len(whole) == 1 + 127


def test_it_reads_progress_once_per_chunk_for_a_download(
    client, ada, big, monkeypatch, django_assert_num_queries
):
    # 127 trainees in chunks of 50: three chunks, each reading attendance and progress.
    monkeypatch.setattr(selectors, "EXPORT_CHUNK_SIZE", 50)
    client.force_login(ada)
    client.get(_url("cohort_grid_csv", big)).getvalue()

    with django_assert_num_queries(11 + 2 * 2):
        response = client.get(_url("cohort_grid_csv", big))
        response.getvalue()
