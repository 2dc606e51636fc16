"""Bulk issuance in the admin, in a real browser: staff pick a cohort's approved applications
with "select all", start the job and get its ZIP; and a job's page follows the work live,
polling the status endpoint, across a reload, until it offers the ZIP.

The live-progress test moves the work on itself, one item at a time, between the page's polls
(the worker tier runs the same tasks on a real worker), so each step of the bar is seen.
"""

import re
import zipfile

from django.urls import reverse

import pytest
from playwright.sync_api import expect

from accreditation.models import BulkIssue, Certificate
from accreditation.services.bulk import bulk_issue_finish, bulk_item_process
from tests.accreditation.bulk_builders import make_approved_applications, make_job

from .a11y import audit
from .journey import Ui, outside_the_browser_loop, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _counts(page) -> str:
    return re.sub(r"\s+", " ", page.locator("#bulk-counts").inner_text()).strip()


def _zip_names(download) -> list[str]:
    with zipfile.ZipFile(download.path()) as archive:
        return sorted(archive.namelist())


def test_it_issues_a_cohorts_selected_certificates_and_offers_the_zip(page, screenshot, ada):
    cohort, applications = make_approved_applications(3, prefix="browser")
    ui = Ui(page, "mouse")
    sign_in(ui, ada, next_url=reverse("bulk_issues:start", args=[cohort.pk]))

    # Nothing chosen: the page says so and starts nothing.
    ui.click(page.get_by_role("button", name="Start"))
    expect(page.locator("#bulk-error")).to_contain_text("The job was not started")
    assert not BulkIssue.objects.exists()

    select_all = page.get_by_label("Select all")
    expect(select_all).to_be_visible()
    ui.check(select_all)
    expect(page.locator("[data-bulk-item]:checked")).to_have_count(3)
    audit(page, "with every application selected")
    ui.click(page.get_by_role("button", name="Start"))

    # Tasks run in-process here, so the job has finished by the time its page loads.
    page.wait_for_url(re.compile(r"/admin/accreditation/bulk-issues/\d+/$"))
    expect(page.locator("#bulk-counts")).to_contain_text("Finished")
    assert _counts(page).endswith("3 done / 3 total / 0 failed")
    with page.expect_download() as download:
        ui.click(page.get_by_role("link", name="Download ZIP of certificates"))
    numbers = Certificate.objects.values_list("number", flat=True)
    assert _zip_names(download.value) == sorted(f"{number}.pdf" for number in numbers)
    screenshot()


def test_it_follows_a_running_job_live_and_after_a_reload(page, screenshot, ada):
    bulk = make_job(ada, items=3)
    items = list(bulk.items.order_by("pk").values_list("pk", flat=True))
    ui = Ui(page, "mouse")
    sign_in(ui, ada, next_url=reverse("bulk_issues:detail", args=[bulk.pk]))
    bar = page.locator("#bulk-progress")
    expect(bar).to_have_attribute("value", "0")
    assert _counts(page).endswith("0 done / 3 total / 0 failed")

    outside_the_browser_loop(bulk_item_process, item_id=items[0], task_id="browser-1")
    # No reload: the page's own polling brings the new count in.
    expect(bar).to_have_attribute("value", "1", timeout=10_000)
    expect(page.locator("[data-field=done]")).to_have_text("1")
    audit(page, "with the progress its polling brought in")

    page.reload()
    expect(bar).to_have_attribute("value", "1")
    outside_the_browser_loop(bulk_item_process, item_id=items[1], task_id="browser-2")
    expect(bar).to_have_attribute("value", "2", timeout=10_000)

    outside_the_browser_loop(bulk_item_process, item_id=items[2], task_id="browser-3")
    outside_the_browser_loop(bulk_issue_finish, bulk_id=bulk.pk)
    # Finished: the page reloads itself once and offers the ZIP.
    expect(page.get_by_role("link", name="Download ZIP of certificates")).to_be_visible(
        timeout=10_000
    )
    assert _counts(page).endswith("3 done / 3 total / 0 failed")
    screenshot()
