"""The floor the certificate benchmarks measure against: the certificate's text, its QR code and
its signature on one A4 landscape page, drawn with a bare ReportLab canvas instead of HTML and a
layout engine.

Only the layout engine differs from production. The QR code is the PNG the certificate embeds,
built by the application's own function (same payload, library, error level, scale and border)
and drawn at the same 4.2 cm; the text is the template's, in the same embedded DejaVu Sans; and
the page is signed by the application's own ``sign_pdf``, so the same key, certificate and
pyHanko settings. Nothing here copies those choices, so the floor cannot drift from them.
"""

import base64
from datetime import date
from io import BytesIO

from django.utils.formats import date_format

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from accreditation.services import pdf

REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
INK = (0x0B / 255, 0x0C / 255, 0x0C / 255)
GREY = (0x50 / 255, 0x5A / 255, 0x5F / 255)
BLUE = (0x1D / 255, 0x4F / 255, 0x91 / 255)
RULE = (0xB1 / 255, 0xB4 / 255, 0xB6 / 255)
FOOTER = (
    "Check this certificate's current status at any time by scanning the code or visiting the "
    "address above. A certificate may be suspended or revoked after it is issued; the "
    "verification page always shows its status now."
)
_PNG_PREFIX = "data:image/png;base64,"


def _register_fonts() -> None:
    for name in (REGULAR, BOLD):
        if name not in pdfmetrics.getRegisteredFontNames():
            path = pdf.PDF_ASSETS_DIR / "fonts" / f"{name}.ttf"
            pdfmetrics.registerFont(TTFont(name, str(path)))


def qr_png(url: str) -> bytes:
    """The QR code's PNG exactly as the certificate embeds it."""
    data_uri = pdf._qr_data_uri(url)
    if not data_uri.startswith(_PNG_PREFIX):
        raise ValueError("The certificate's QR code is no longer a base64 PNG data URI.")
    return base64.b64decode(data_uri[len(_PNG_PREFIX) :])


def reportlab_page(
    *,
    holder: str,
    scheme: str,
    number: str,
    awarded: date,
    issued: date,
    valid_until: date,
    url: str,
) -> bytes:
    """The unsigned floor page, QR code included (its building is part of the render cost)."""
    _register_fonts()
    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=landscape(A4))
    width, height = landscape(A4)
    left, right, top = 2 * cm, width - 2 * cm, height - 1.6 * cm
    y = top - 11

    def line(font: str, size: float, text: str, *, colour=INK, gap: float = 0) -> None:
        nonlocal y
        y -= gap
        page.setFillColorRGB(*colour)
        page.setFont(font, size)
        page.drawString(left, y, text)
        y -= size * 1.25

    line(REGULAR, 11, "SOCIAL CARE INSTITUTE FOR EXCELLENCE · LEARNING TOGETHER", colour=GREY)
    line(BOLD, 30, "Certificate of accreditation", colour=BLUE)
    line(REGULAR, 13, "This is to certify that", gap=18)
    line(BOLD, 26, holder, gap=4)
    line(REGULAR, 15, f"has met the requirements of the {scheme}.", gap=10)

    facts_top = y - 20
    y = facts_top
    for key, value in (
        ("Certificate number", number),
        ("Awarded", date_format(awarded)),
        ("Issued", date_format(issued)),
        ("Valid until", date_format(valid_until)),
    ):
        page.setFillColorRGB(*GREY)
        page.setFont(REGULAR, 12)
        page.drawString(left, y, key)
        page.setFillColorRGB(*INK)
        page.setFont(BOLD, 12)
        page.drawString(left + 4.2 * cm, y, value)
        y -= 21
    qr_size = 4.2 * cm
    qr_left = right - 5 * cm
    page.drawImage(
        ImageReader(BytesIO(qr_png(url))), qr_left, facts_top - qr_size + 12, qr_size, qr_size
    )
    page.setFillColorRGB(*GREY)
    page.setFont(REGULAR, 9)
    page.drawString(qr_left, facts_top - qr_size, "Scan to verify")

    y = min(y, facts_top - qr_size - 12)
    line(REGULAR, 10, f"Verify at {url}", gap=10)
    y -= 18
    page.setStrokeColorRGB(*RULE)
    page.line(left, y, right, y)
    y -= 15
    for text in simpleSplit(FOOTER, REGULAR, 9, right - left):
        line(REGULAR, 9, text, colour=GREY)
    page.showPage()
    page.save()
    return buffer.getvalue()


def certificate_page(certificate) -> bytes:
    """The unsigned floor page for a certificate (a model instance, or anything shaped like one:
    number, dates, holder.get_full_name(), scheme.name, verification_code)."""
    return reportlab_page(
        holder=certificate.holder.get_full_name(),
        scheme=certificate.scheme.name,
        number=certificate.number,
        awarded=certificate.awarded_at,
        issued=certificate.issued_at,
        valid_until=certificate.valid_until,
        url=pdf.verification_url(certificate),
    )


def signed_certificate_page(certificate) -> bytes:
    """The whole floor for one certificate: page, QR code and the production signature."""
    return pdf.sign_pdf(certificate_page(certificate))
