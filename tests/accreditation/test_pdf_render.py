import builtins
import hashlib
import io

from django.core.files.storage import FileSystemStorage

import pytest
import zxingcpp
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from accreditation.models import Certificate
from accreditation.services import pdf as pdf_services
from accreditation.tasks import render_certificate_pdf

from .award_builders import approve, make_ready, submit


@pytest.fixture(autouse=True)
def _pdf_storage_in_tmp(monkeypatch, tmp_path):
    # The field's storage is built once at import; give each test an empty private folder.
    field = Certificate._meta.get_field("pdf")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private-pdf"))


HOSTILE_NAME = 'Tess <img src="file:///etc/passwd"> <b>Bold</b> & Trainee'


def _issue(tess, review, ali, django_capture_on_commit_callbacks):
    make_ready(tess, review)
    application = submit(tess)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = approve(application, ali)
    certificate.refresh_from_db()
    # The render was enqueued after commit (and ran in-process), not inside the approval.
    assert certificate.pdf.name
    return certificate


def _reader(certificate) -> PdfReader:
    with certificate.pdf.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def test_it_renders_the_pdf_with_holder_number_and_dates(
    tess, review, ali, django_capture_on_commit_callbacks
):
    certificate = _issue(tess, review, ali, django_capture_on_commit_callbacks)

    assert certificate.pdf.name == f"certificates/{certificate.number}.pdf"
    text = _reader(certificate).pages[0].extract_text()
    assert "Tess Trainee" in text
    assert certificate.number in text
    assert review.scheme.name in text
    assert f"Issued\n{certificate.issued_at:%-d %B %Y}" in text
    assert f"Valid until\n{certificate.valid_until:%-d %B %Y}" in text
    assert f"/verify/{certificate.verification_code}/" in text


def test_it_stores_the_sha256_of_the_file_in_private_storage(
    tess, review, ali, django_capture_on_commit_callbacks, settings
):
    certificate = _issue(tess, review, ali, django_capture_on_commit_callbacks)

    with certificate.pdf.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    assert certificate.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert certificate.pdf.storage.exists(certificate.pdf.name)
    # Private storage, never the public media folder.
    assert certificate.pdf.storage is Certificate._meta.get_field("pdf").storage
    assert not certificate.pdf.path.startswith(str(settings.MEDIA_ROOT))


def test_it_signs_the_pdf(tess, review, ali, django_capture_on_commit_callbacks):
    certificate = _issue(tess, review, ali, django_capture_on_commit_callbacks)

    fields = _reader(certificate).get_fields()
    assert fields["Signature1"]["/FT"] == "/Sig"
    assert fields["Signature1"]["/V"]["/Filter"] == "/Adobe.PPKLite"


def test_it_prints_the_qr_code_linking_to_the_verification_page(
    tess, review, ali, django_capture_on_commit_callbacks, settings
):
    certificate = _issue(tess, review, ali, django_capture_on_commit_callbacks)

    images = _reader(certificate).pages[0].images
    assert len(images) == 1
    decoded = [barcode.text for barcode in zxingcpp.read_barcodes(images[0].image)]
    assert decoded == [
        f"{settings.SITE_URL}/verify/{certificate.verification_code}/",
    ]


def test_it_prints_a_hostile_name_as_text_and_reads_no_file(
    tess, review, ali, django_capture_on_commit_callbacks, monkeypatch
):
    tess.full_name = HOSTILE_NAME
    tess.save()
    opened = []
    real_open = builtins.open

    def spying_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spying_open)
    certificate = _issue(tess, review, ali, django_capture_on_commit_callbacks)
    monkeypatch.setattr(builtins, "open", real_open)

    text = _reader(certificate).pages[0].extract_text()
    assert '<img src="file:///etc/passwd">' in text
    assert "<b>Bold</b> & Trainee" in text
    assert not [name for name in opened if "passwd" in name]


def test_it_prints_names_outside_latin_1_in_an_embedded_font(
    tess, review, ali, django_capture_on_commit_callbacks
):
    # Helvetica, a PDF base font, has no glyphs beyond Latin-1: these would print as gaps.
    tess.full_name = "Łucja Ștefănescu-Ọkọnkwọ Δημητρίου Ольга"
    tess.save()

    certificate = _issue(tess, review, ali, django_capture_on_commit_callbacks)

    page = _reader(certificate).pages[0]
    # The name is set large and centred, so it may wrap: compare the words.
    assert "Łucja Ștefănescu-Ọkọnkwọ Δημητρίου Ольга" in " ".join(page.extract_text().split())
    fonts = {font.get_object()["/BaseFont"] for font in page["/Resources"]["/Font"].values()}
    # Embedded as subsets ("AAAAAA+DejaVuSerif-Bold"): the PDF carries the glyphs it uses.
    assert any(name.endswith("+DejaVuSerif-Bold") for name in fonts)


def _register_certificate_fonts() -> None:
    for name in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSerif", "DejaVuSerif-Bold"):
        path = pdf_services.PDF_ASSETS_DIR / "fonts" / f"{name}.ttf"
        pdfmetrics.registerFont(TTFont(name, str(path)))


def test_it_keeps_every_line_inside_the_page_margins(
    tess, review, ali, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://learningtogether.scie.org.uk"
    tess.full_name = "Dr Łucja Ștefănescu-Ọkọnkwọ Wróblewska-Montgomery-Featherstonehaugh"
    tess.save()
    certificate = _issue(tess, review, ali, django_capture_on_commit_callbacks)
    _register_certificate_fonts()
    page = _reader(certificate).pages[0]
    # The frames of certificate.css keep text 2.4 cm from the page's edges; 2 cm is the limit.
    right_edge = float(page.mediabox.width) - 2 * 72 / 2.54
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip() and font is not None:
            font_name = str(font["/BaseFont"]).split("+")[-1]
            left = cm[4] + tm[4]
            runs.append(
                (text.strip(), left + pdfmetrics.stringWidth(text.strip(), font_name, size))
            )

    page.extract_text(visitor_text=visit)

    assert any(f"/verify/{certificate.verification_code}/" in text for text, _ in runs)
    assert [text for text, right in runs if right > right_edge + 0.5] == []


def test_it_refuses_anything_outside_the_asset_folder(monkeypatch):
    checked = []
    real_check = pdf_services.ResourceAccessPolicy.check_path

    def spying_check(self, path):
        checked.append(str(path))
        return real_check(self, path)

    monkeypatch.setattr(pdf_services.ResourceAccessPolicy, "check_path", spying_check)
    opened = []
    real_open = builtins.open
    monkeypatch.setattr(
        builtins, "open", lambda f, *a, **k: opened.append(str(f)) or real_open(f, *a, **k)
    )
    html = (
        "<html><body><p>Hello</p>"
        '<img src="file:///etc/passwd"><img src="/etc/hostname">'
        '<img src="../services/pdf.py"><img src="http://169.254.169.254/latest/meta-data/">'
        "</body></html>"
    )
    pdf = pdf_services.html_to_pdf(html)
    monkeypatch.setattr(builtins, "open", real_open)

    assert pdf.startswith(b"%PDF-")
    assert not [name for name in opened if "passwd" in name or "hostname" in name]
    assert not [name for name in opened if name.endswith("services/pdf.py")]


def test_it_refuses_oversized_html():
    with pytest.raises(pdf_services.PdfRenderError, match="the limit is 204,800"):
        pdf_services.html_to_pdf("<p>" + "x" * (pdf_services.MAX_HTML_BYTES + 1) + "</p>")


def test_it_renders_once_however_often_the_task_runs(
    tess, review, ali, django_capture_on_commit_callbacks
):
    certificate = _issue(tess, review, ali, django_capture_on_commit_callbacks)
    first_name, first_hash = certificate.pdf.name, certificate.pdf_sha256

    render_certificate_pdf.delay(certificate.pk)
    render_certificate_pdf.apply(args=[certificate.pk])

    certificate.refresh_from_db()
    assert (certificate.pdf.name, certificate.pdf_sha256) == (first_name, first_hash)
    _dirs, files = certificate.pdf.storage.listdir("certificates")
    assert files == [f"{certificate.number}.pdf"]
    assert Certificate.objects.count() == 1


def test_it_claims_the_work_once(tess, review, ali):
    make_ready(tess, review)
    certificate = approve(submit(tess), ali)  # on_commit does not run: nothing rendered yet

    assert pdf_services.certificate_claim_render(certificate_id=certificate.pk) is True
    assert pdf_services.certificate_claim_render(certificate_id=certificate.pk) is False
    render_certificate_pdf.apply(args=[certificate.pk])  # a duplicate finds nothing to claim

    certificate.refresh_from_db()
    assert certificate.pdf.name == ""


def test_it_releases_the_claim_when_rendering_fails(tess, review, ali, monkeypatch):
    make_ready(tess, review)
    certificate = approve(submit(tess), ali)

    def broken(html):
        raise OSError("disk full")

    monkeypatch.setattr(pdf_services, "html_to_pdf", broken)
    assert pdf_services.certificate_claim_render(certificate_id=certificate.pk)
    with pytest.raises(OSError, match="disk full"):
        pdf_services.certificate_render_pdf(certificate_id=certificate.pk)

    certificate.refresh_from_db()
    assert certificate.rendering_started_at is None
    assert certificate.pdf.name == ""
    monkeypatch.undo()
    assert pdf_services.certificate_claim_render(certificate_id=certificate.pk)
    assert pdf_services.certificate_render_pdf(certificate_id=certificate.pk) is True
