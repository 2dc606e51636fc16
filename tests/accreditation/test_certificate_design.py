"""The certificate's design: A4 landscape on one page, the scheme's statement, the programme mark
and the signatory from the site settings, "Accredited since" only after a renewal, and typed text
printed as text and bounded."""

import datetime
import hashlib
import io
import random

from django.core.files.images import ImageFile
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from wagtail.images import get_image_model
from wagtail.models import Site

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from accreditation.demo_certificate import (
    SIGNATORY_NAME,
    programme_mark_png,
    seed_certificate_settings,
    signature_png,
)
from accreditation.models import Certificate, CertificateSettings
from accreditation.services import pdf as pdf_services

from .award_builders import approve, make_ready, submit

A4_LANDSCAPE = (841.89, 595.28)  # points


@pytest.fixture(autouse=True)
def _pdf_storage_in_tmp(monkeypatch, tmp_path):
    field = Certificate._meta.get_field("pdf")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private-pdf"))


@pytest.fixture
def certificate(tess, review, ali):
    make_ready(tess, review)
    # The render task waits for the commit, which never comes here: each test renders itself.
    return approve(submit(tess), ali)


def _image(title: str, data: bytes, filename: str):
    image = get_image_model()(title=title)
    image.file = ImageFile(io.BytesIO(data), name=filename)
    image.save()
    return image


def _settings(**values) -> CertificateSettings:
    settings = CertificateSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def _render(certificate) -> PdfReader:
    return PdfReader(
        io.BytesIO(pdf_services.html_to_pdf(pdf_services.certificate_html(certificate)))
    )


def _text(reader: PdfReader) -> str:
    """The page's words, however the layout wrapped them."""
    return " ".join(reader.pages[0].extract_text().split())


def _size(reader: PdfReader) -> tuple[float, float]:
    box = reader.pages[0].mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


def test_it_prints_one_a4_landscape_page_with_the_statement_number_and_address(
    certificate, settings
):
    reader = _render(certificate)

    assert len(reader.pages) == 1
    assert _size(reader) == A4_LANDSCAPE
    text = _text(reader)
    assert "Certificate of Accreditation" in text
    assert "Tess Trainee" in text
    assert " ".join(certificate.scheme.accreditation_statement.split()) in text
    assert certificate.number in text
    assert f"Issued {certificate.issued_at:%-d %B %Y}" in text
    assert f"Valid until {certificate.valid_until:%-d %B %Y}" in text
    assert f"{settings.SITE_URL}/verify/{certificate.verification_code}/" in text
    # A first award: issued the day it was awarded.
    assert certificate.awarded_at == certificate.issued_at
    assert "Accredited since" not in text


def test_it_says_accredited_since_only_when_the_first_award_was_earlier(certificate):
    certificate.awarded_at = certificate.issued_at - datetime.timedelta(days=3 * 365)
    certificate.save(update_fields=["awarded_at"])

    text = _text(_render(certificate))

    assert f"Accredited since {certificate.awarded_at:%-d %B %Y}" in text


def test_it_prints_the_programme_mark_and_the_signatory_from_the_site_settings(
    certificate, settings
):
    without = _render(certificate)
    assert len(without.pages[0].images) == 1  # the QR code alone
    _settings(
        programme_mark=_image("Mark", programme_mark_png(), "mark.png"),
        signature=_image("Signature", signature_png(), "signature.png"),
        signatory_name="Dr Alex Morgan",
        signatory_role="Director of Learning Together",
    )

    reader = _render(certificate)

    assert len(reader.pages) == 1
    images = reader.pages[0].images
    assert len(images) == 3  # mark, signature and QR code
    decoded = [code.text for image in images for code in zxingcpp.read_barcodes(image.image)]
    assert decoded == [f"{settings.SITE_URL}/verify/{certificate.verification_code}/"]
    text = _text(reader)
    assert "Dr Alex Morgan" in text
    assert "Director of Learning Together" in text
    assert "Dr Alex Morgan" not in _text(without)


def test_it_prints_the_signatory_without_a_signature_image(certificate):
    _settings(signatory_name="Dr Alex Morgan", signatory_role="Director")

    reader = _render(certificate)

    assert len(reader.pages[0].images) == 1
    assert "Dr Alex Morgan Director" in _text(reader)


def test_it_leaves_out_a_broken_or_missing_image_and_still_renders(certificate):
    broken = _image("Broken", programme_mark_png(), "broken.png")
    with broken.file.storage.open(broken.file.name, "wb") as handle:
        handle.write(b"this is not a PNG")
    missing = _image("Missing", signature_png(), "missing.png")
    missing.file.storage.delete(missing.file.name)
    _settings(programme_mark=broken, signature=missing, signatory_name="Dr Alex Morgan")

    reader = _render(certificate)

    assert len(reader.pages) == 1
    assert len(reader.pages[0].images) == 1  # the QR code alone
    assert "Dr Alex Morgan" in _text(reader)


def test_it_leaves_out_an_image_too_large_to_embed(certificate, monkeypatch):
    monkeypatch.setattr(pdf_services, "MAX_IMAGE_BYTES", 100)
    _settings(programme_mark=_image("Mark", programme_mark_png(), "mark.png"))

    reader = _render(certificate)

    assert len(reader.pages[0].images) == 1


def _photo_png() -> bytes:
    """A photograph-like picture saved as PNG: too large to embed as it is."""
    rng = random.Random(1)
    picture = Image.new("RGB", (1000, 250))
    pixels = picture.load()
    for x in range(1000):
        for y in range(250):
            grain = rng.randint(-6, 6)
            pixels[x, y] = (x // 5 + grain + 6, y // 2 + grain + 6, 120 + grain)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def test_it_embeds_a_photograph_saved_as_png_as_a_jpeg(certificate):
    photo = _photo_png()
    assert len(photo) > pdf_services.MAX_IMAGE_BYTES
    _settings(programme_mark=_image("Photo", photo, "photo.png"))

    html = pdf_services.certificate_html(certificate)
    reader = PdfReader(io.BytesIO(pdf_services.html_to_pdf(html)))

    assert 'src="data:image/jpeg;base64,' in html
    assert len(reader.pages[0].images) == 2


def test_it_prints_hostile_typed_text_as_text(certificate):
    holder = certificate.holder
    holder.full_name = 'Tess <b>Bold</b> <img src="file:///etc/passwd"> Trainee'
    holder.save()
    scheme = certificate.scheme
    scheme.accreditation_statement = "is accredited <pdf:nextpage> to lead & <i>review</i>."
    scheme.save(update_fields=["accreditation_statement"])
    _settings(signatory_name="<script>alert(1)</script>", signatory_role="Head &amp; <u>role</u>")
    certificate.refresh_from_db()

    reader = _render(certificate)

    # <pdf:nextpage> obeyed would have started a second page.
    assert len(reader.pages) == 1
    text = _text(reader)
    assert 'Tess <b>Bold</b> <img src="file:///etc/passwd"> Trainee' in text
    assert "is accredited <pdf:nextpage> to lead & <i>review</i>." in text
    assert "<script>alert(1)</script>" in text
    assert "Head &amp; <u>role</u>" in text


def test_it_keeps_very_long_values_on_one_page(certificate):
    # As long as each column holds (PostgreSQL refuses more; SQLite would not).
    holder = certificate.holder
    name_length = type(holder)._meta.get_field("full_name").max_length
    holder.full_name = ("Wróblewska-Montgomery-Featherstonehaugh-" * 10)[:name_length]
    holder.save()
    scheme = certificate.scheme
    scheme_length = type(scheme)._meta.get_field("name").max_length
    scheme.name = ("Learning Together accreditation " * 20)[:scheme_length]
    scheme.accreditation_statement = "is accredited to lead reviews " * 200
    scheme.save(update_fields=["name", "accreditation_statement"])
    _settings(
        programme_mark=_image("Mark", programme_mark_png(), "mark.png"),
        signature=_image("Signature", signature_png(), "signature.png"),
        signatory_name="N" * 200,
        signatory_role="Director of Learning Together " * 6,
    )
    certificate.refresh_from_db()

    reader = _render(certificate)

    assert len(reader.pages) == 1
    assert _size(reader) == A4_LANDSCAPE
    text = _text(reader)
    assert "Wróblewska-Montgomery" in text
    assert "is accredited to lead reviews" in text
    # Cut to their bounds, and the facts below them still printed.
    assert text.count("is accredited to lead reviews") < 20
    assert "…" in text
    assert certificate.number in text
    assert certificate.verification_code in text


def test_it_reflects_a_settings_change_in_the_next_render(certificate):
    settings = _settings(signatory_name="Dr Alex Morgan", signatory_role="Director")
    assert "Dr Alex Morgan" in _text(_render(certificate))

    settings.signatory_name = "Prof Sam Okafor"
    settings.signature = _image("Signature", signature_png(), "signature.png")
    settings.save()
    reader = _render(certificate)

    assert "Prof Sam Okafor" in _text(reader)
    assert "Dr Alex Morgan" not in _text(reader)
    assert len(reader.pages[0].images) == 2


def test_it_signs_and_hashes_the_redesigned_certificate(certificate):
    _settings(
        programme_mark=_image("Mark", programme_mark_png(), "mark.png"),
        signatory_name="Dr Alex Morgan",
    )
    assert pdf_services.certificate_claim_render(certificate_id=certificate.pk)

    assert pdf_services.certificate_render_pdf(certificate_id=certificate.pk) is True

    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as handle:
        data = handle.read()
    assert certificate.pdf_sha256 == hashlib.sha256(data).hexdigest()
    reader = PdfReader(io.BytesIO(data))
    assert reader.get_fields()["Signature1"]["/FT"] == "/Sig"
    assert len(reader.pages) == 1
    assert _size(reader) == A4_LANDSCAPE
    assert "Dr Alex Morgan" in _text(reader)


def test_it_embeds_the_images_read_through_storage_never_by_address(certificate, monkeypatch):
    mark = _image("Mark", programme_mark_png(), "mark.png")

    def no_url(*args, **kwargs):
        raise AssertionError("The certificate asked for an image's address.")

    # Nor does it make a rendition's address: both are read as files.
    monkeypatch.setattr(FileSystemStorage, "url", no_url)
    _settings(programme_mark=mark)

    html = pdf_services.certificate_html(certificate)

    assert 'src="data:image/png;base64,' in html


@pytest.mark.parametrize(("persona", "allowed"), [("ada", True), ("ali", False), ("tess", False)])
def test_it_lets_programme_staff_change_the_certificate_settings(
    db, client, persona, allowed, request
):
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["accreditation", "certificatesettings", site.pk])
    client.force_login(request.getfixturevalue(persona))

    response = client.get(url)

    if not allowed:
        assert response.status_code in (302, 403)
        return
    assert response.status_code == 200
    response = client.post(
        url,
        {
            "programme_mark": "",
            "signatory_name": "Dr Alex Morgan",
            "signatory_role": "Director of Learning Together",
            "signature": "",
            "issuer_name": "Social Care Institute for Excellence",
            "issuer_url": "https://www.scie.org.uk/",
            "issuer_email": "credentials@scie.example",
        },
    )
    assert response.status_code == 302
    saved = CertificateSettings.for_site(site)
    assert saved.signatory_name == "Dr Alex Morgan"
    assert saved.issuer_email == "credentials@scie.example"


def test_it_embeds_renditions_that_keep_the_page_within_its_budget(certificate):
    mark = _image("Mark", programme_mark_png(), "mark.png")
    signature = _image("Signature", signature_png(), "signature.png")
    _settings(programme_mark=mark, signature=signature)

    html = pdf_services.certificate_html(certificate)

    assert len(html.encode()) < pdf_services.MAX_HTML_BYTES
    assert mark.renditions.count() == 1
    assert signature.renditions.count() == 1


def test_it_seeds_the_demo_certificate_settings_once(certificate):
    first = seed_certificate_settings(stdout=io.StringIO())
    again = seed_certificate_settings(stdout=io.StringIO())

    assert (again.programme_mark_id, again.signature_id) == (
        first.programme_mark_id,
        first.signature_id,
    )
    assert get_image_model().objects.count() == 2
    reader = _render(certificate)
    assert len(reader.pages[0].images) == 3
    assert SIGNATORY_NAME in _text(reader)
