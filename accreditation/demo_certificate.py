"""Demo certificate settings: a programme mark and a signature drawn with Pillow at seed time,
stored as Wagtail images, and a placeholder signatory, so the demo's certificates show the full
design. The two drawings are also what the certificate tests and the benchmark print."""

import io
import math
from pathlib import Path

from django.core.files.images import ImageFile

from wagtail.images import get_image_model
from wagtail.models import Site

from PIL import Image, ImageDraw, ImageFont

from .models import CertificateSettings

NAVY = (29, 58, 110, 255)
GOLD = (164, 130, 58, 255)
INK = (22, 38, 86, 255)
FONTS = Path(__file__).resolve().parent / "pdf_assets" / "fonts"
MARK_TITLE = "Demo programme mark (Learning Together)"
SIGNATURE_TITLE = "Demo signature (certificate signatory)"
SIGNATORY_NAME = "Dr Alex Morgan"
SIGNATORY_ROLE = "Director of Learning Together, Social Care Institute for Excellence"


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def programme_mark_png() -> bytes:
    """Two interlocking rings (learning together) beside the programme's name, on a
    transparent ground."""
    width, height = 1040, 240
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre_y, radius = height // 2, 74
    for centre_x, colour in ((100, NAVY), (190, GOLD)):
        box = (centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius)
        draw.ellipse(box, outline=colour, width=16)
    title = ImageFont.truetype(str(FONTS / "DejaVuSerif-Bold.ttf"), 66)
    subtitle = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 26)
    draw.text((300, 58), "Learning Together", font=title, fill=NAVY)
    draw.text((306, 150), "SYSTEMS APPROACH TO CASE REVIEWS", font=subtitle, fill=GOLD)
    return _png(image)


def signature_png() -> bytes:
    """A hand-written-looking signature: a looping stroke (a prolate cycloid, whose loops read
    as joined letters), a capital's tall stroke, and a flourish underneath."""
    width, height = 600, 180
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    capital = [(70 + 30 * t, 130 - 100 * t + 10 * math.sin(t * 6)) for t in _steps(40)]
    capital += [(100 + 40 * t, 30 + 100 * t * t) for t in _steps(40)]
    draw.line(capital, fill=INK, width=5, joint="curve")
    loops = []
    for t in _steps(400):
        angle = t * math.pi * 2 * 6.5
        x = 130 + 380 * t - 22 * math.sin(angle)
        y = 105 - 26 * math.cos(angle) * (1 - 0.5 * t) - 14 * t
        loops.append((x, y))
    draw.line(loops, fill=INK, width=4, joint="curve")
    flourish = [(90 + 440 * t, 152 - 18 * math.sin(t * math.pi)) for t in _steps(80)]
    draw.line(flourish, fill=INK, width=3, joint="curve")
    return _png(image)


def _steps(count: int) -> list[float]:
    return [step / count for step in range(count + 1)]


def _stored_image(title: str, data: bytes, filename: str):
    image_model = get_image_model()
    image = image_model.objects.filter(title=title).first()
    if image is None:
        image = image_model(title=title)
        image.file = ImageFile(io.BytesIO(data), name=filename)
        image.save()
    return image


def seed_certificate_settings(*, stdout) -> CertificateSettings | None:
    """Safe to run again: the images are stored once, and settings a person has already
    chosen are kept."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        stdout.write("No default site: certificate settings not seeded")
        return None
    values = CertificateSettings.for_site(site)
    changed = []
    if values.programme_mark_id is None:
        values.programme_mark = _stored_image(
            MARK_TITLE, programme_mark_png(), "learning-together-mark.png"
        )
        changed.append("programme_mark")
    if values.signature_id is None:
        values.signature = _stored_image(SIGNATURE_TITLE, signature_png(), "signature.png")
        changed.append("signature")
    if not values.signatory_name:
        values.signatory_name = SIGNATORY_NAME
        changed.append("signatory_name")
    if not values.signatory_role:
        values.signatory_role = SIGNATORY_ROLE
        changed.append("signatory_role")
    if changed:
        values.save(update_fields=changed)
        stdout.write(f"Certificate settings: set {', '.join(changed)}")
    else:
        stdout.write("Certificate settings already set")
    return values
