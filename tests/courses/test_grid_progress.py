"""The cohort progress grid, its downloads and its overview chart."""

import csv
import datetime
import io

from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from courses.models import Attendance, Enrolment, ModuleProgress
from learning_platform.accounts.models import User
from tests.courses.factories import EnrolmentFactory, TrainingDayFactory

pytestmark = pytest.mark.django_db


def _days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def progress(cohort, modules, tess_enrolment, pat_enrolment, uma):
    """Tess finished module 1 and started module 2; Pat has done nothing; Uma withdrew."""
    first, second = modules
    ModuleProgress.objects.create(
        enrolment=tess_enrolment, module=first, completed_at=timezone.now()
    )
    ModuleProgress.objects.create(enrolment=tess_enrolment, module=second)
    EnrolmentFactory(user=uma, cohort=cohort, status=Enrolment.Status.WITHDRAWN)
    day1 = TrainingDayFactory(cohort=cohort, date=_days_from_today(-14))
    day2 = TrainingDayFactory(cohort=cohort, date=_days_from_today(-7))
    Attendance.objects.create(training_day=day1, enrolment=tess_enrolment, present=True)
    Attendance.objects.create(training_day=day2, enrolment=tess_enrolment, present=True)
    Attendance.objects.create(training_day=day1, enrolment=pat_enrolment, present=False)
    return cohort


def _url(name, cohort, query=""):
    return reverse(f"courses:{name}", args=[cohort.pk]) + query


def test_it_shows_each_trainees_modules_and_attendance(client, ada, progress):
    client.force_login(ada)

    response = client.get(_url("cohort_grid", progress))

    assert response.status_code == 200
    rows = {r.enrolment.user.email: r for r in response.context["grid"].rows}
    assert rows["tess@example.org"].cells == ["completed", "in_progress"]
    assert rows["tess@example.org"].attended == 2
    assert rows["pat@example.org"].cells == ["not_started", "not_started"]
    assert rows["pat@example.org"].attended == 0
    summaries = response.context["grid"].summaries
    assert [(s.completed, s.in_progress, s.total) for s in summaries] == [(1, 0, 3), (0, 1, 3)]
    page = response.content.decode()
    assert '<progress max="3" value="1"' in page
    assert "1 of 3 completed (33%)" in page


def test_it_filters_by_status_supervisor_and_name(client, ada, sam, progress):
    client.force_login(ada)

    def emails(query):
        grid = client.get(_url("cohort_grid", progress, query)).context["grid"]
        return sorted(r.enrolment.user.email for r in grid.rows)

    assert emails("?status=withdrawn") == ["uma@example.org"]
    assert emails(f"?supervisor={sam.pk}") == ["tess@example.org"]
    assert emails("?q=partner") == ["pat@example.org"]
    assert emails("?status=active&q=tess") == ["tess@example.org"]


def test_it_downloads_the_filtered_grid_as_csv(client, ada, progress):
    client.force_login(ada)

    response = client.get(_url("cohort_grid_csv", progress, "?status=active"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0][:6] == [
        "Name",
        "Email",
        "Status",
        "Supervisor",
        "Review partner",
        "Days attended (of 2 registers taken)",
    ]
    assert rows[0][6:] == ["Systems thinking", "Key practice episodes", "Modules completed (of 2)"]
    body = {row[1]: row for row in rows[1:]}
    assert set(body) == {"tess@example.org", "pat@example.org"}
    assert body["tess@example.org"][2:] == [
        "Active",
        "Sam Supervisor",
        "Pat Partner",
        "2",
        "Completed",
        "In progress",
        "1",
    ]


def test_it_downloads_the_grid_as_xlsx(client, ada, progress):
    client.force_login(ada)

    response = client.get(_url("cohort_grid_xlsx", progress))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Name"
    by_email = {row[1]: row for row in values[1:]}
    assert by_email["tess@example.org"][5:] == (2, "Completed", "In progress", 1)
    assert by_email["uma@example.org"][2] == "Withdrawn"


def test_it_defuses_spreadsheet_formulas_in_names(client, ada, cohort, modules):
    EnrolmentFactory(cohort=cohort, user__full_name='=HYPERLINK("http://x")')
    client.force_login(ada)

    rows = list(
        csv.reader(io.StringIO(client.get(_url("cohort_grid_csv", cohort)).getvalue().decode()))
    )

    assert rows[1][0].startswith("'=")


def test_it_exports_names_and_titles_holding_control_characters(client, ada, cohort, modules):
    EnrolmentFactory(cohort=cohort, user__full_name="Nia\x0bJones", user__email="nia@example.org")
    EnrolmentFactory(cohort=cohort, user__full_name="\x01=SUM(A1)", user__email="eve@example.org")
    first = modules[0]
    first.title = "Systems\x0c thinking"
    first.save_revision().publish()
    client.force_login(ada)

    response = client.get(_url("cohort_grid_xlsx", cohort))

    assert response.status_code == 200
    values = list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert values[0][6] == "Systems thinking"
    by_email = {row[1]: row for row in values[1:]}
    assert by_email["nia@example.org"][0] == "NiaJones"
    assert by_email["eve@example.org"][0] == "'=SUM(A1)"  # stripped, then still defused
    csv_rows = list(
        csv.reader(io.StringIO(client.get(_url("cohort_grid_csv", cohort)).getvalue().decode()))
    )
    assert {row[0] for row in csv_rows[1:]} == {"NiaJones", "'=SUM(A1)"}


def _bulk_trainees(cohort, modules, count):
    users = User.objects.bulk_create(
        [
            User(email=f"bulk{cohort.pk}-{i}@example.org", full_name=f"Bulk Trainee {i}")
            for i in range(count)
        ]
    )
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(user=u, cohort=cohort, status=Enrolment.Status.ACTIVE) for u in users]
    )
    enrolments = list(Enrolment.objects.filter(cohort=cohort))
    ModuleProgress.objects.bulk_create(
        [
            ModuleProgress(enrolment=e, module=modules[0], completed_at=timezone.now())
            for e in enrolments
        ]
    )
    day = TrainingDayFactory(cohort=cohort, date=_days_from_today(-1))
    Attendance.objects.bulk_create(
        [Attendance(training_day=day, enrolment=e, present=True) for e in enrolments]
    )


# The page adds the admin layout's reads to the grid's seven; the two downloads are the grid's
# own reads alone, with the trainees' progress and attendance read once per chunk of 500 (so
# once for either cohort here). Each response is read to its end inside the count: a download
# streams, and its rows are read as it is sent.
@pytest.mark.parametrize(
    "name, queries", [("cohort_grid", 20), ("cohort_grid_csv", 11), ("cohort_grid_xlsx", 11)]
)
def test_it_runs_the_same_queries_for_5_and_200_trainees(
    client, ada, sam, course, modules, name, queries, django_assert_num_queries
):
    from tests.courses.factories import CohortFactory

    small, large = CohortFactory(course=course), CohortFactory(course=course)
    _bulk_trainees(small, modules, 5)
    _bulk_trainees(large, modules, 200)
    client.force_login(ada)
    client.get(_url(name, small)).getvalue()  # warm per-process caches (content types, site)

    with django_assert_num_queries(queries):
        response = client.get(_url(name, small))
        assert response.status_code == 200
        response.getvalue()
    with django_assert_num_queries(queries):
        response = client.get(_url(name, large))
        body = response.getvalue()
    assert response.status_code == 200
    if name == "cohort_grid":
        # One page of trainees, and every trainee counted in the summary.
        assert len(response.context["grid"].rows) == 50
        assert response.context["grid"].summaries[0].completed == 200
    elif name == "cohort_grid_csv":
        assert len(body.decode().splitlines()) == 1 + 200


def test_it_counts_attendance_only_against_registers_taken(client, ada, progress, cohort):
    TrainingDayFactory(cohort=cohort)  # a third day, its register not taken yet
    client.force_login(ada)

    response = client.get(_url("cohort_grid", progress))

    grid = response.context["grid"]
    assert (grid.training_day_count, grid.registers_taken) == (3, 2)
    page = response.content.decode()
    assert "3 training days in this cohort; the register has been taken for 2." in page
    tess_row = next(r for r in grid.rows if r.enrolment.user.email == "tess@example.org")
    assert tess_row.attended == 2
    assert "<td>2 of 2</td>" in page


def test_it_does_not_count_attendance_recorded_for_a_day_still_to_come(
    client, ada, progress, cohort, tess_enrolment
):
    # Rows saved for a future day before the register refused them, or put in by hand.
    later = TrainingDayFactory(cohort=cohort, date=_days_from_today(3))
    Attendance.objects.create(training_day=later, enrolment=tess_enrolment, present=True)
    client.force_login(ada)

    response = client.get(_url("cohort_grid", progress))
    download = client.get(_url("cohort_grid_csv", progress)).getvalue().decode()

    grid = response.context["grid"]
    assert (grid.training_day_count, grid.registers_taken) == (3, 2)
    tess_row = next(r for r in grid.rows if r.enrolment.user.email == "tess@example.org")
    assert tess_row.attended == 2
    assert "<td>2 of 2</td>" in response.content.decode()
    rows = list(csv.reader(io.StringIO(download)))
    assert rows[0][5] == "Days attended (of 2 registers taken)"
    assert next(r for r in rows if r[1] == "tess@example.org")[5] == "2"
