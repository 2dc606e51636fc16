"""Steps the accreditation journeys share: finding a stage, adding a note, reading a message."""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfWriter

from accreditation.models import ReviewStage

from .journey import Ui

CASE = "Child K"


def review_stage(review, number: int) -> ReviewStage:
    return ReviewStage.objects.get(review=review, sort_order=number)


def small_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def open_my_stage(ui: Ui, title: str) -> None:
    ui.goto("/accreditation/")
    expect(ui.get_by_role("heading", name=f"Review {CASE}")).to_be_visible()
    ui.click(ui.get_by_role("link", name=re.compile(rf"^\d\. {title}$")))
    expect(ui.get_by_role("heading", level=1, name=title)).to_be_visible()


def expect_message(ui: Ui, text: str) -> None:
    expect(ui.get_by_role("status").filter(has_text=text)).to_be_visible()


def add_note(ui: Ui, title: str, note: str) -> None:
    ui.fill(ui.get_by_label("Title of the note"), title)
    ui.fill(ui.get_by_label("Note", exact=True), note)
    ui.click(ui.get_by_role("button", name="Add note"))
    expect_message(ui, f"Note “{title}” added.")
