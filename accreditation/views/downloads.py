"""Private files (evidence, CPD evidence, certificates, bulk ZIPs) served as downloads."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def private_download(file: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """The stored file as an attachment, or Http404 if there is none or storage has lost it.
    Confidential: no copy in any cache, and never sniffed into something the browser runs."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def cpd_evidence_download(entry) -> FileResponse:
    """A CPD entry's evidence file, for its owner or an assessor reading a renewal."""
    return private_download(
        entry.evidence,
        filename=entry.evidence_filename or "evidence",
        content_type=entry.evidence_content_type or "application/octet-stream",
    )
