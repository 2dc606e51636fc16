"""The floor both certificate benchmarks measure against: the certificate's text on one A4 page
drawn with a bare ReportLab canvas, in the same embedded font as the real certificate, with no
HTML, no layout engine, no QR code and no signature."""

from datetime import date
from io import BytesIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from accreditation.services.pdf import PDF_ASSETS_DIR

REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"


def _register_fonts() -> None:
    for name in (REGULAR, BOLD):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(PDF_ASSETS_DIR / "fonts" / f"{name}.ttf")))


def reportlab_page(
    *,
    holder: str,
    scheme: str,
    number: str,
    awarded: date,
    valid_until: date,
    url: str,
) -> bytes:
    _register_fonts()
    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=landscape(A4))
    width, height = landscape(A4)
    lines = [
        (BOLD, 28, "Learning Together"),
        (REGULAR, 16, "This certifies that"),
        (BOLD, 24, holder),
        (REGULAR, 16, f"is accredited under {scheme}"),
        (REGULAR, 12, f"Certificate {number}"),
        (REGULAR, 12, f"Awarded {awarded:%d %B %Y}"),
        (REGULAR, 12, f"Valid until {valid_until:%d %B %Y}"),
        (REGULAR, 10, f"Verify at {url}"),
    ]
    y = height - 120
    for font, size, text in lines:
        page.setFont(font, size)
        page.drawCentredString(width / 2, y, text)
        y -= size * 2.2
    page.showPage()
    page.save()
    return buffer.getvalue()
