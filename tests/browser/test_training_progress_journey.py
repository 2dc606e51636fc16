"""Following a trainee's progress in a real browser.

The supervisor reads a trainee's progress and reflection. Staff see the cohort's grid and
download it as CSV and XLSX. Each runs with the mouse and again with the keyboard only.
"""

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from courses.models import Enrolment
from courses.services.progress import (
    knowledge_check_submit,
    module_progress_start,
    reflection_answer_save,
)
from tests.courses.factories import EnrolmentFactory

from .journey import MODES, Ui, sign_in
from .training_steps import (
    COHORT_NAME,
    REFLECTION_ANSWER,
    REFLECTION_QUESTION,
    first_module,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _block_id(module, block_type: str) -> str:
    return next(block.id for block in module.body if block.block_type == block_type)


def _work_through_first_module(enrolment: Enrolment, course) -> None:
    """What a trainee's browser session would leave behind: reflection saved, check passed."""
    module = first_module(course)
    module_progress_start(enrolment=enrolment, module=module)
    reflection_answer_save(
        enrolment=enrolment,
        module=module,
        block_id=_block_id(module, "reflective_question"),
        answer=REFLECTION_ANSWER,
    )
    knowledge_check_submit(
        enrolment=enrolment,
        module=module,
        block_id=_block_id(module, "knowledge_check"),
        answers={0: 0, 1: 1},
    )


@pytest.fixture
def tess_in_progress(cohort, tess, sam):
    enrolment = EnrolmentFactory(user=tess, cohort=cohort, supervisor=sam)
    _work_through_first_module(enrolment, cohort.course)
    return enrolment


# 3. The supervisor reads the trainee's progress ----------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_it_shows_the_supervisor_their_trainees_progress_and_reflections(
    page, screenshot, sam, tess_in_progress, mode
):
    ui = Ui(page, mode)
    sign_in(ui, sam)

    ui.click(page.get_by_role("link", name="My trainees"))
    expect(page.get_by_role("heading", name="My trainees", level=1)).to_be_visible()
    expect(page.get_by_role("progressbar", name="1 of 2 modules completed")).to_have_attribute(
        "value", "1"
    )
    ui.click(page.get_by_role("link", name="Tess Trainee"))

    expect(page.get_by_role("heading", name="Tess Trainee: progress")).to_be_visible()
    expect(page.get_by_text("1 of 2 modules completed")).to_be_visible()
    reflections = page.get_by_role("region", name="Systems thinking")
    expect(reflections.get_by_text(REFLECTION_QUESTION)).to_be_visible()
    expect(reflections.get_by_text(REFLECTION_ANSWER)).to_be_visible()
    screenshot()


# 4. Staff see the grid and download it -------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_it_shows_staff_the_progress_grid_and_downloads_it_as_csv_and_xlsx(
    page, screenshot, tmp_path, ada, tess_in_progress, mode
):
    ui = Ui(page, mode)
    sign_in(ui, ada, next_url="/learning/cohorts/")

    ui.click(page.get_by_role("link", name=COHORT_NAME))
    ui.click(page.get_by_role("link", name="Progress of every trainee"))
    expect(page.get_by_role("heading", name=f"Progress: {COHORT_NAME}")).to_be_visible()
    grid = page.get_by_role("region", name="Trainees")
    tess_row = grid.get_by_role("row").filter(has=page.get_by_role("link", name="Tess Trainee"))
    expect(tess_row).to_contain_text("Completed")
    expect(tess_row).to_contain_text("1 of 2")

    with page.expect_download() as info:
        ui.click(page.get_by_role("link", name="Download as CSV"))
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert any("Tess Trainee" in row for row in rows), rows

    with page.expect_download() as info:
        ui.click(page.get_by_role("link", name="Download as Excel (XLSX)"))
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = load_workbook(saved).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Tess Trainee" in values
    screenshot()
