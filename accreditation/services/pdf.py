"""The certificate PDF: HTML rendered by Django templates (so every piece of user text is
escaped), turned into a PDF by xhtml2pdf under a resource policy that reads only
accreditation/pdf_assets/ and fetches nothing remote, signed with pyHanko, and stored privately
with its SHA-256.

Rendering is claimed with a conditional UPDATE before any work, and the file is attached with a
second conditional UPDATE, so a duplicated or retried task never makes a second file.
"""

import base64
import hashlib
import io
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Site

import segno
from PIL import Image
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from ..models import Certificate, CertificateSettings

logger = logging.getLogger(__name__)

PDF_ASSETS_DIR = (Path(__file__).resolve().parent.parent / "pdf_assets").resolve()
TEMPLATE_NAME = "accreditation/pdf/certificate.html"
# A certificate is one page; anything near this size is not a certificate.
MAX_HTML_BYTES = 200 * 1024
# A claim older than this belongs to a worker that died; the next task may take the work over.
STALE_CLAIM_AFTER = timedelta(minutes=10)
# The private key and its certificate, in one file so that they are created in one write.
SIGNING_BUNDLE_NAME = "signing/certificate-signing.pem"
_KEY_END = b"-----END PRIVATE KEY-----\n"
# The site setting's images are read through their storage as renditions no larger than the
# page prints them (at about 300 dpi), embedded as data URIs, and left out if even a JPEG of
# them is larger than this: a certificate never fails for want of a logo.
MARK_RENDITION = "max-1050x260"
SIGNATURE_RENDITION = "max-600x180"
MAX_IMAGE_BYTES = 64 * 1024
_IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
# Every piece of typed text is cut to a length the page has room for, so no value can push the
# certificate onto a second page (tests/accreditation/test_certificate_design.py).
MAX_HOLDER_NAME = 80
MAX_SCHEME_NAME = 120
MAX_STATEMENT = 420
MAX_SIGNATORY_NAME = 60
MAX_SIGNATORY_ROLE = 90
_CERT_END = b"-----END CERTIFICATE-----"


class PdfRenderError(Exception):
    """The PDF could not be rendered; the message says why."""


def verification_url(certificate: Certificate) -> str:
    path = reverse("certificate_verify_code", args=[certificate.verification_code])
    return settings.SITE_URL.rstrip("/") + path


def _qr_data_uri(url: str) -> str:
    return segno.make(url, error="m", micro=False).png_data_uri(scale=6, border=4)


@dataclass(frozen=True)
class CertificateLook:
    """What the certificate prints that belongs to the site (Settings → Certificate)."""

    programme_mark: str | None = None  # a data URI
    signature: str | None = None  # a data URI
    signatory_name: str = ""
    signatory_role: str = ""


def _bounded(text: str, limit: int) -> str:
    """The text on one line, cut to ``limit`` characters."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def image_data_uri(image, size: str) -> str | None:
    """A Wagtail image as a data URI of a rendition read through its storage (never over
    HTTP), or None if it is missing or broken.

    The rendition keeps the upload's format when that is a PNG or JPEG small enough to embed;
    otherwise (a photograph saved as PNG, a WebP or GIF) it is flattened onto white as a JPEG."""
    if image is None:
        return None
    for filter_spec in (size, f"{size}|bgcolor-ffffff|format-jpeg|jpegquality-80"):
        try:
            rendition = image.get_rendition(filter_spec)
            with rendition.file.open("rb") as handle:
                data = handle.read(MAX_IMAGE_BYTES + 1)
            if len(data) > MAX_IMAGE_BYTES:
                continue  # read no further: try the JPEG
            with Image.open(io.BytesIO(data)) as opened:
                opened.verify()
                media_type = _IMAGE_FORMATS.get(opened.format or "")
        except Exception:
            # Whatever a missing file, a corrupt upload or the image library raises: the
            # certificate is issued without the image rather than not at all.
            logger.warning(
                "Image %s could not be read; left off the certificate.", image.pk, exc_info=True
            )
            return None
        if media_type is not None:
            return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"
    logger.warning(
        "Image %s is over %s bytes even as a JPEG; left off the certificate.",
        image.pk,
        MAX_IMAGE_BYTES,
    )
    return None


def certificate_look() -> CertificateLook:
    """The default site's certificate settings, read afresh for every render."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return CertificateLook()
    values = CertificateSettings.for_site(site)
    return CertificateLook(
        programme_mark=image_data_uri(values.programme_mark, MARK_RENDITION),
        signature=image_data_uri(values.signature, SIGNATURE_RENDITION),
        signatory_name=values.signatory_name,
        signatory_role=values.signatory_role,
    )


def certificate_context(certificate: Certificate, *, look: CertificateLook | None = None) -> dict:
    look = certificate_look() if look is None else look
    url = verification_url(certificate)
    return {
        "certificate": certificate,
        "holder_name": _bounded(certificate.holder.get_full_name(), MAX_HOLDER_NAME),
        "scheme_name": _bounded(certificate.scheme.name, MAX_SCHEME_NAME),
        "statement": _bounded(certificate.scheme.accreditation_statement, MAX_STATEMENT),
        "accredited_since": (
            certificate.awarded_at
            if certificate.awarded_at and certificate.awarded_at != certificate.issued_at
            else None
        ),
        "programme_mark": look.programme_mark,
        "signature": look.signature,
        "signatory_name": _bounded(look.signatory_name, MAX_SIGNATORY_NAME),
        "signatory_role": _bounded(look.signatory_role, MAX_SIGNATORY_ROLE),
        "verification_url": url,
        "qr_data_uri": _qr_data_uri(url),
    }


def certificate_html(certificate: Certificate, *, look: CertificateLook | None = None) -> str:
    return render_to_string(TEMPLATE_NAME, certificate_context(certificate, look=look))


def _link_callback(uri: str, rel: str | None = None) -> str:
    """Resolve a resource named in the template to a file inside pdf_assets/, or to nothing.

    The resource policy below is the gate; this only maps names, and refuses (returns a path the
    policy denies) anything remote or outside the folder."""
    if uri.startswith("data:"):
        return uri
    parts = urlsplit(uri)
    if parts.scheme or parts.netloc:
        return str(PDF_ASSETS_DIR / "__refused__")
    candidate = (PDF_ASSETS_DIR / parts.path.lstrip("/")).resolve()
    if not candidate.is_relative_to(PDF_ASSETS_DIR):
        return str(PDF_ASSETS_DIR / "__refused__")
    return str(candidate)


def resource_policy(
    *, max_document_bytes: int = MAX_HTML_BYTES, max_render_seconds: int = 30
) -> ResourceAccessPolicy:
    return ResourceAccessPolicy.server(
        base_dir=PDF_ASSETS_DIR,
        allow_remote=False,
        max_document_bytes=max_document_bytes,
        max_render_seconds=max_render_seconds,
        max_resources=20,
    )


def html_to_pdf(
    html: str,
    *,
    what: str = "certificate",
    max_html_bytes: int = MAX_HTML_BYTES,
    max_render_seconds: int = 30,
) -> bytes:
    """Render HTML from one of our templates to a PDF, reading only pdf_assets/.

    The certificate and the draft report both come through here, so both keep one policy."""
    source = html.encode("utf-8")
    if len(source) > max_html_bytes:
        raise PdfRenderError(
            f"The {what} HTML is {len(source):,} bytes; the limit is {max_html_bytes:,}."
        )
    output = io.BytesIO()
    result = pisa.CreatePDF(
        source,
        dest=output,
        encoding="utf-8",
        path=str(PDF_ASSETS_DIR / f"{what.replace(' ', '-')}.html"),
        link_callback=_link_callback,
        resource_policy=resource_policy(
            max_document_bytes=max_html_bytes, max_render_seconds=max_render_seconds
        ),
    )
    if result.err:
        raise PdfRenderError(f"xhtml2pdf reported {result.err} error(s).")
    return output.getvalue()


# Signing ------------------------------------------------------------------------------------


def _signing_material() -> tuple[bytes, bytes]:
    """The key and self-signed certificate used to sign certificate PDFs, created at first use
    and kept in private storage."""
    storage = storages["private"]
    for _ in range(100):
        if not storage.exists(SIGNING_BUNDLE_NAME):
            _create_signing_material(storage)
        with storage.open(SIGNING_BUNDLE_NAME, "rb") as bundle_file:
            bundle = bundle_file.read()
        if _KEY_END in bundle and _CERT_END in bundle:
            key_pem, cert_pem = bundle.split(_KEY_END, 1)
            return key_pem + _KEY_END, cert_pem
        # Another process created the bundle first and is still writing it.
        time.sleep(0.05)
    raise OSError(f"{SIGNING_BUNDLE_NAME} is incomplete.")


def _create_signing_material(storage) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Learning Together certificates"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Social Care Institute for Excellence"),
        ]
    )
    now = timezone.now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    # Two workers may race here; storage never overwrites, so the loser deletes its own copy and
    # uses the bundle that was saved first.
    saved = storage.save(SIGNING_BUNDLE_NAME, ContentFile(key_pem + cert_pem))
    if saved != SIGNING_BUNDLE_NAME:
        storage.delete(saved)


def sign_pdf(pdf: bytes) -> bytes:
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key_pem, cert_pem = _signing_material()
    (cert,) = load_certs_from_pemder_data(cert_pem)
    signer = signers.SimpleSigner(
        signing_cert=cert,
        signing_key=load_private_key_from_pemder_data(key_pem, passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs([cert]),
    )
    output = io.BytesIO()
    signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)),
        signers.PdfSignatureMetadata(
            field_name="Signature1",
            reason="Learning Together accreditation certificate",
            location="Social Care Institute for Excellence",
        ),
        signer=signer,
        output=output,
    )
    return output.getvalue()


# Rendering a certificate --------------------------------------------------------------------


def certificate_claim_render(*, certificate_id: int) -> bool:
    """Claim the rendering: True for exactly one caller while the PDF is missing and nobody is
    rendering it (or the last claim has gone stale). Never for a holder whose personal data was
    erased: the PDF prints the name, and the erasure deleted it."""
    now = timezone.now()
    claimed = (
        Certificate.objects.filter(pk=certificate_id, pdf="", holder__erased_at__isnull=True)
        .filter(
            Q(rendering_started_at__isnull=True)
            | Q(rendering_started_at__lt=now - STALE_CLAIM_AFTER)
        )
        .update(rendering_started_at=now)
    )
    return claimed == 1


def certificate_take_over_render(*, certificate_id: int) -> bool:
    """Take the rendering over from a worker that died holding the claim.

    Only for a task the broker redelivered (its worker was lost) or a task's own retry: the claim
    it finds is its own earlier attempt's. Should that worker still be alive after all, the
    conditional attach in ``certificate_render_pdf`` keeps one file and discards the other."""
    claimed = Certificate.objects.filter(
        pk=certificate_id, pdf="", holder__erased_at__isnull=True
    ).update(rendering_started_at=timezone.now())
    return claimed == 1


def certificate_render_pdf(*, certificate_id: int) -> bool:
    """Render, sign and store the PDF of a certificate this caller has claimed.

    Returns False when another worker attached a PDF first (ours is then discarded)."""
    certificate = Certificate.objects.select_related("holder", "scheme").get(pk=certificate_id)
    # The field's own storage (private), so the name saved is the name the field opens.
    storage = Certificate._meta.get_field("pdf").storage
    saved_name = ""
    try:
        pdf = sign_pdf(html_to_pdf(certificate_html(certificate)))
        digest = hashlib.sha256(pdf).hexdigest()
        saved_name = storage.save(f"certificates/{certificate.number}.pdf", ContentFile(pdf))
        # Not onto the certificate of a holder erased while this was rendering.
        attached = Certificate.objects.filter(
            pk=certificate_id, pdf="", holder__erased_at__isnull=True
        ).update(pdf=saved_name, pdf_sha256=digest)
    except Exception:
        # Release the claim so a retry can take it at once rather than after it goes stale.
        Certificate.objects.filter(pk=certificate_id, pdf="").update(rendering_started_at=None)
        if saved_name:
            storage.delete(saved_name)
        raise
    if attached != 1:
        storage.delete(saved_name)
        return False
    return True
