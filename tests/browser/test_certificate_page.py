"""The certificate's first page as a picture: a browser shows no PDF headless, so page 1 is
rasterised with PDFium, saved with the other screenshots, and opened in the browser on a small
page of its own (checked with axe-core like every page the tier visits)."""

import html
import io
from concurrent.futures import ThreadPoolExecutor

import pypdfium2
import pytest
from PIL import Image
from playwright.sync_api import expect

from accreditation.demo_certificate import programme_mark_png, signature_png
from accreditation.services import certificates as certificate_services
from accreditation.services import pdf as pdf_services
from tests.accreditation.award_builders import approve, make_ready, submit
from tests.accreditation.test_certificate_design import _image, _settings

from .conftest import ARTIFACTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DPI = 150
NAVY = (0x1D, 0x3A, 0x6E)


def _first_page_png(pdf: bytes) -> Image.Image:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[0].render(scale=DPI / 72).to_pil().convert("RGB")
    finally:
        document.close()


def test_it_shows_the_certificates_first_page(
    browser, live_server, tess, review, ali, screenshot_of, monkeypatch
):
    # The approval's render task would run in this thread, where Playwright's event loop is
    # running and pyHanko cannot start its own: the page is rendered below instead, and signed
    # in a thread of its own.
    monkeypatch.setattr(certificate_services, "certificate_enqueue_render", lambda **kw: None)
    make_ready(tess, review)
    certificate = approve(submit(tess), ali)
    certificate.awarded_at = certificate.issued_at.replace(year=certificate.issued_at.year - 3)
    certificate.save(update_fields=["awarded_at"])
    _settings(
        programme_mark=_image("Mark", programme_mark_png(), "mark.png"),
        signature=_image("Signature", signature_png(), "signature.png"),
        signatory_name="Dr Alex Morgan",
        signatory_role="Director of Learning Together, Social Care Institute for Excellence",
    )
    unsigned = pdf_services.html_to_pdf(pdf_services.certificate_html(certificate))
    with ThreadPoolExecutor(max_workers=1) as executor:
        signed = executor.submit(pdf_services.sign_pdf, unsigned).result()

    picture = _first_page_png(signed)
    ARTIFACTS.mkdir(exist_ok=True)
    png_path = ARTIFACTS / "certificate-first-page.png"
    picture.save(png_path)
    # A4 landscape at 150 dpi, and the outer rule of the border in navy 0.8 cm in from the edge.
    assert picture.width == 1754
    assert abs(picture.height - 1240) <= 1
    rule = round(0.8 / 2.54 * DPI)
    assert max(abs(a - b) for a, b in zip(picture.getpixel((rule, 620)), NAVY, strict=True)) < 40

    alt = f"Certificate {certificate.number} for {tess.get_full_name()}, page 1"
    viewer = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        "<title>Certificate, page 1</title></head><body><main>"
        "<h1>Certificate, page 1</h1>"
        f'<img src="page-1.png" alt="{html.escape(alt)}" width="1200">'
        "</main></body></html>"
    )
    context = browser.new_context(viewport={"width": 1280, "height": 960})
    # The picture and a page showing it, served at the live server's address (the
    # accessibility audit checks http pages) by the browser itself: nothing is added to the site.
    preview = f"{live_server.url}/certificate-preview/"
    context.route(
        preview, lambda route: route.fulfill(content_type="text/html; charset=utf-8", body=viewer)
    )
    context.route(
        preview + "page-1.png",
        lambda route: route.fulfill(content_type="image/png", body=png_path.read_bytes()),
    )
    page = context.new_page()
    page.goto(preview)

    image = page.get_by_role("img", name=alt)
    expect(image).to_be_visible()
    assert page.evaluate("img => img.complete && img.naturalWidth", image.element_handle()) == 1754
    screenshot_of(page, "certificate-first-page-in-browser")
    context.close()
    with io.BytesIO() as buffer:
        picture.save(buffer, format="PNG")
        assert buffer.tell() > 10_000  # a page with content, not a blank
