"""The reflective statement's word count counts what the box holds when its script runs, not only
what is typed afterwards: text typed while the page was still loading, or put back by the
browser, fired its input events before anything listened."""

from playwright.sync_api import expect

from tests.accreditation.award_builders import make_ready

from .journey import Ui, sign_in

STATEMENT = "The review changed how I see practice. " * 10

# Puts text in the box as soon as the parser creates it, as fast typing or the browser's form
# restore does: before the deferred word-count script runs, with no input event after it.
TYPE_WHILE_LOADING = """
new MutationObserver((changes, observer) => {
    const box = document.querySelector("textarea[name=reflective_statement]");
    if (box) {
        box.value = %r;
        observer.disconnect();
    }
}).observe(document, {childList: true, subtree: true});
"""


def test_it_counts_words_typed_before_the_script_ran(page, review, tess):
    make_ready(tess, review)  # so the statement can be written
    ui = Ui(page, "mouse")
    sign_in(ui, tess)
    page.add_init_script(TYPE_WHILE_LOADING % STATEMENT)

    page.goto("/accreditation/application/")

    expect(page.get_by_label("Your reflective statement")).to_have_value(STATEMENT)
    expect(page.get_by_text("You have written 70 words.")).to_be_visible()
