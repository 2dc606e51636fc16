"""The floor the certificate benchmarks measure against: the certificate's text, its images
(programme mark, signature, QR code), its double-rule border and its signature on one A4
landscape page, drawn with a bare ReportLab canvas instead of HTML and a layout engine.

Only the layout engine differs from production. The QR code is the PNG the certificate embeds,
built by the application's own function (same payload, library, error level, scale and border);
the mark and the signature are the same data the certificate embeds (the site setting's
renditions, or the bench's own); the text is the template's, bounded by the application's own
context, in the same embedded DejaVu fonts; and the page is signed by the application's own
``sign_pdf``, so the same key, certificate and pyHanko settings. Nothing here copies those
choices, so the floor cannot drift from them.
"""

import base64
from io import BytesIO

from django.utils.formats import date_format

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from accreditation.services import pdf

SANS, SANS_BOLD = "DejaVuSans", "DejaVuSans-Bold"
SERIF, SERIF_BOLD = "DejaVuSerif", "DejaVuSerif-Bold"
INK = (0x0B / 255, 0x0C / 255, 0x0C / 255)
GREY = (0x50 / 255, 0x5A / 255, 0x5F / 255)
NAVY = (0x1D / 255, 0x3A / 255, 0x6E / 255)
GOLD = (0xA4 / 255, 0x82 / 255, 0x3A / 255)
FOOTER = (
    "A certificate may be suspended or revoked after it is issued; the verification page always "
    "shows its status now."
)
_BASE64 = ";base64,"


def _register_fonts() -> None:
    for name in (SANS, SANS_BOLD, SERIF, SERIF_BOLD):
        if name not in pdfmetrics.getRegisteredFontNames():
            path = pdf.PDF_ASSETS_DIR / "fonts" / f"{name}.ttf"
            pdfmetrics.registerFont(TTFont(name, str(path)))


def data_uri_bytes(data_uri: str | None) -> bytes | None:
    """The bytes of a base64 data URI as the certificate embeds it (None stays None)."""
    if data_uri is None:
        return None
    if _BASE64 not in data_uri:
        raise ValueError("The certificate's images are no longer base64 data URIs.")
    return base64.b64decode(data_uri.split(_BASE64, 1)[1])


def qr_png(url: str) -> bytes:
    """The QR code's PNG exactly as the certificate embeds it."""
    return data_uri_bytes(pdf._qr_data_uri(url))


def reportlab_page(context: dict) -> bytes:
    """The unsigned floor page for the application's own certificate context (images and QR
    code decoded here, as the layout engine decodes them: part of the render cost)."""
    _register_fonts()
    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=landscape(A4))
    width, height = landscape(A4)
    centre, left, right = width / 2, 2.4 * cm, width - 2.4 * cm

    page.setStrokeColorRGB(*NAVY)
    page.setLineWidth(2.4)
    page.rect(0.8 * cm, 0.8 * cm, width - 1.6 * cm, height - 1.6 * cm)
    page.setStrokeColorRGB(*GOLD)
    page.setLineWidth(0.8)
    page.rect(1.1 * cm, 1.1 * cm, width - 2.2 * cm, height - 2.2 * cm)

    y = height - 1.7 * cm
    mark = data_uri_bytes(context["programme_mark"])
    if mark:
        reader = ImageReader(BytesIO(mark))
        image_width, image_height = reader.getSize()
        drawn_height = 63
        drawn_width = image_width * drawn_height / image_height
        y -= drawn_height
        page.drawImage(reader, centre - drawn_width / 2, y, drawn_width, drawn_height, mask="auto")
        y -= 8

    def centred(font: str, size: float, text: str, *, colour=INK, gap: float = 0) -> None:
        nonlocal y
        y -= gap
        page.setFillColorRGB(*colour)
        page.setFont(font, size)
        for line in simpleSplit(text, font, size, right - left - 3 * cm) or [""]:
            y -= size * 1.2
            page.drawCentredString(centre, y, line)

    centred(SANS, 9, "SOCIAL CARE INSTITUTE FOR EXCELLENCE · LEARNING TOGETHER", colour=GREY)
    centred(SERIF_BOLD, 28, "Certificate of Accreditation", colour=NAVY, gap=6)
    centred(SANS, 9, "◆", colour=GOLD, gap=2)
    centred(SERIF, 12, "This is to certify that", colour=GREY, gap=8)
    centred(SERIF_BOLD, 28, context["holder_name"], gap=6)
    centred(SERIF, 12.5, f"having met the requirements of the {context['scheme_name']},", gap=6)
    if context["statement"]:
        centred(SERIF, 12.5, context["statement"])
    if context["accredited_since"]:
        since = date_format(context["accredited_since"])
        centred(SERIF_BOLD, 11, f"Accredited since {since}", colour=NAVY, gap=10)

    base = 3.4 * cm
    signature = data_uri_bytes(context["signature"])
    if signature:
        reader = ImageReader(BytesIO(signature))
        image_width, image_height = reader.getSize()
        drawn_height = 45
        page.drawImage(
            reader,
            left,
            base + 1.6 * cm,
            image_width * drawn_height / image_height,
            drawn_height,
            mask="auto",
        )
    if context["signatory_name"] or context["signatory_role"]:
        page.setStrokeColorRGB(*INK)
        page.setLineWidth(0.75)
        page.line(left, base + 1.4 * cm, left + 8 * cm, base + 1.4 * cm)
        page.setFillColorRGB(*INK)
        page.setFont(SANS_BOLD, 10.5)
        page.drawString(left, base + 0.9 * cm, context["signatory_name"])
        page.setFillColorRGB(*GREY)
        page.setFont(SANS, 9)
        for index, line in enumerate(simpleSplit(context["signatory_role"], SANS, 9, 8 * cm)):
            page.drawString(left, base + 0.45 * cm - index * 11, line)

    certificate = context["certificate"]
    facts_left, fact_y = left + 10.5 * cm, base + 1.3 * cm
    for key, value in (
        ("Certificate number", certificate.number),
        ("Issued", date_format(certificate.issued_at)),
        ("Valid until", date_format(certificate.valid_until)),
    ):
        page.setFillColorRGB(*GREY)
        page.setFont(SANS, 9.5)
        page.drawString(facts_left, fact_y, key)
        page.setFillColorRGB(*INK)
        page.setFont(SANS_BOLD, 9.5)
        page.drawString(facts_left + 3.6 * cm, fact_y, value)
        fact_y -= 17

    qr_size = 3.3 * cm
    qr_left = right - 4.4 * cm
    qr = ImageReader(BytesIO(data_uri_bytes(context["qr_data_uri"])))
    page.drawImage(qr, qr_left, base - 0.2 * cm, qr_size, qr_size)
    page.setFillColorRGB(*GREY)
    page.setFont(SANS, 8)
    page.drawCentredString(qr_left + qr_size / 2, base - 0.6 * cm, "Scan to verify")

    page.setFillColorRGB(*INK)
    page.setFont(SANS, 8.5)
    page.drawCentredString(centre, 2.3 * cm, f"Verify at {context['verification_url']}")
    page.setFillColorRGB(*GREY)
    page.setFont(SANS, 7.5)
    page.drawCentredString(centre, 1.85 * cm, FOOTER)
    page.showPage()
    page.save()
    return buffer.getvalue()


def certificate_page(certificate, *, look: pdf.CertificateLook | None = None) -> bytes:
    """The unsigned floor page for a certificate (a model instance, or anything shaped like one:
    number, dates, holder.get_full_name(), scheme.name and accreditation_statement,
    verification_code). Without ``look``, the site's certificate settings, as in production."""
    return reportlab_page(pdf.certificate_context(certificate, look=look))


def signed_certificate_page(certificate, *, look: pdf.CertificateLook | None = None) -> bytes:
    """The whole floor for one certificate: page, QR code and the production signature."""
    return pdf.sign_pdf(certificate_page(certificate, look=look))
