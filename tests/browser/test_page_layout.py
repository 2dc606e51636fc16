"""How pages look at a laptop's width (1280 px), measured in a real browser.

Status tags are one line and no taller than their text, in a task list and in a table; the
progress grid keeps every column readable (a labelled region that scrolls sideways, the
trainee's name staying in view); table captions start at the left; every page has a favicon
and nothing asks for one in vain; dates are typed as day, month and year.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from accreditation.models import SupervisionSession
from courses.models import ModuleProgress
from tests.courses.factories import CohortFactory, EnrolmentFactory, add_module, build_course

from .journey import Ui, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VIEWPORT = {"width": 1280, "height": 900}
MODULE_TITLES = (
    "Systems thinking",
    "The review process and its stages",
    "Conversations with the case group",
    "Key practice episodes and contributory factors",
    "Underlying patterns and findings",
    "Writing the report",
    "Presenting findings to the board",
    "Learning from the review afterwards",
)

# How a tag sits: its lines of text (client rects of its text), its height and its text's.
_TAG_BOX = """el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        text: el.innerText,
        lines: lines.size,
        height: box.height,
        textHeight: parseFloat(style.lineHeight) + parseFloat(style.paddingTop)
            + parseFloat(style.paddingBottom),
    };
}"""
_CAPTION = """el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return {
        align: getComputedStyle(el).textAlign,
        textLeft: range.getBoundingClientRect().left,
        tableLeft: el.closest("table").getBoundingClientRect().left,
    };
}"""


@pytest.fixture
def cohort(tess, pat, uma, sam):
    course = build_course(title="Lead reviewer programme")
    modules = [add_module(course, title=title) for title in MODULE_TITLES]
    cohort = CohortFactory(name="Leeds boards 2027", course=course)
    for person in (tess, pat, uma):
        enrolment = EnrolmentFactory(user=person, cohort=cohort, supervisor=sam)
        for module in modules[: 3 if person == tess else 1]:
            ModuleProgress.objects.create(enrolment=enrolment, module=module)
    return cohort


@pytest.fixture
def new_page(browser, live_server):
    seen = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
        page = context.new_page()
        page.on("response", lambda response: seen.append((response.status, response.url)))
        return page

    open_page.responses = seen
    return open_page


def _assert_tags_fit(page, tags) -> list[str]:
    texts = []
    assert tags.count(), "the page shows status tags"
    for tag in tags.all():
        box = tag.evaluate(_TAG_BOX)
        assert box["lines"] == 1, f"{box['text']!r} wraps onto {box['lines']} lines"
        assert box["height"] <= box["textHeight"] + 1, (
            f"{box['text']!r} is {box['height']}px tall for {box['textHeight']}px of text"
        )
        texts.append(box["text"])
    return texts


def test_it_keeps_tags_one_line_and_the_grid_readable_at_1280px(
    new_page, cohort, tess, ada, screenshot_of
):
    # The trainee's application page: a task list with a tag on each row.
    trainee = new_page()
    sign_in(Ui(trainee, "mouse"), tess, next_url="/accreditation/application/")
    tags = trainee.locator(".task-list__item .tag")
    assert "Not yet" in _assert_tags_fit(trainee, tags)
    screenshot_of(trainee, "layout-task-list-tags")

    # The progress grid: eight modules, more than fit across the page.
    staff = new_page()
    sign_in(Ui(staff, "mouse"), ada, next_url=f"/learning/cohorts/{cohort.pk}/progress/")
    region = staff.get_by_role("region", name="Trainees")
    expect(region).to_have_attribute("tabindex", "0")
    table = region.get_by_role("table")
    header = table.get_by_role("columnheader", name="Modules completed")
    _assert_tags_fit(staff, table.locator(".tag"))
    region_box = region.bounding_box()
    assert region_box["x"] + region_box["width"] <= VIEWPORT["width"]
    screenshot_of(staff, "layout-progress-grid")
    # Wider than the page, it scrolls inside its region, from the keyboard too...
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    region.focus()
    at_the_end = "el => el.scrollLeft + el.clientWidth >= el.scrollWidth - 1"
    for _ in range(100):
        if region.evaluate(at_the_end):
            break
        staff.keyboard.press("ArrowRight")
    assert region.evaluate(at_the_end), "the arrow keys scroll the grid to its last column"
    # ...where "Modules completed" is shown whole, and each trainee's name stays in view.
    header_box = header.bounding_box()
    assert header_box["x"] >= region_box["x"] - 1
    assert header_box["x"] + header_box["width"] <= region_box["x"] + region_box["width"] + 1
    expect(header).to_have_text("Modules completed")
    name_box = table.get_by_role("rowheader").first.bounding_box()
    assert abs(name_box["x"] - region_box["x"]) <= 1
    assert name_box["x"] + name_box["width"] <= header_box["x"]
    screenshot_of(staff, "layout-progress-grid-scrolled")

    # Captions start at the left, like the rest of the page.
    staff.goto("/accreditation/dashboard/")
    captions = staff.locator("caption")
    assert captions.count() >= 2
    for caption in captions.all():
        measured = caption.evaluate(_CAPTION)
        assert measured["align"] in ("left", "start"), measured
        assert abs(measured["textLeft"] - measured["tableLeft"]) <= 1, measured
    screenshot_of(staff, "layout-dashboard")

    # Every page links its icons, they load, and nothing asked for a favicon in vain.
    for page in (trainee, staff):
        links = page.locator('link[rel="icon"]')
        assert links.count() >= 1
        for href in links.evaluate_all("links => links.map(link => link.href)"):
            response = page.request.get(href)
            assert response.ok and response.headers["content-type"].startswith("image/"), href
    favicon = staff.request.get("/favicon.ico")
    assert favicon.ok and favicon.headers["content-type"].startswith("image/")
    missing = [url for status, url in new_page.responses if status == 404]
    assert missing == []


def test_it_takes_a_date_as_day_month_and_year(new_page, review, tess, sam, screenshot_of):
    page = new_page()
    ui = Ui(page, "keyboard")
    sign_in(ui, sam, next_url="/accreditation/supervision/log/")
    when = page.get_by_role("group", name="Date of the session")
    expect(when).to_contain_text("For example, 27 3 2026")
    boxes = [when.get_by_label(part, exact=True) for part in ("Day", "Month", "Year")]
    tops = {round(box.bounding_box()["y"]) for box in boxes}
    assert len(tops) == 1, "day, month and year sit side by side"

    ui.check(page.get_by_label("Individual supervision"))
    for box, value in zip(boxes, ("31", "2", "2026"), strict=True):
        ui.fill(box, value)
    ui.fill(page.get_by_label("Length in minutes"), "60")
    ui.check(page.get_by_role("checkbox", name="Tess Trainee"))
    ui.click(page.get_by_role("button", name="Record session"))

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The date of the session must be a real date.")
    for box, value in zip(boxes, ("31", "2", "2026"), strict=True):
        expect(box).to_have_value(value)
    screenshot_of(page, "layout-date-error")
    # The summary's link takes focus to the day box.
    ui.click(summary.get_by_role("link", name=re.compile("must be a real date")))
    expect(boxes[0]).to_be_focused()

    ui.fill(boxes[0], "28")
    ui.click(page.get_by_role("button", name="Record session"))
    expect(page.get_by_text("Session recorded.")).to_be_visible()
    assert SupervisionSession.objects.get().date == date(2026, 2, 28)
