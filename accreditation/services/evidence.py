"""Evidence on a review stage: written notes and files (DESIGN.md §6).

Files are confidential: they go to the private storage, their type is decided by their content
(never by their name or the browser's say-so), and nothing is half-saved: a refused file leaves
no row and nothing on disk.
"""

import os
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from wagtail.log_actions import log

import filetype

from learning_platform.accounts.models import User

from ..exceptions import TransitionError
from ..models import Evidence, ReviewStage
from .stages import lock_editable_stage

ACCEPTED_TYPES_TEXT = "PDF, Word (DOCX), OpenDocument text (ODT), Excel (XLSX), PNG or JPEG"
DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# A document's parts compress well, but not this well: an archive declaring more than this many
# times the upload limit once unpacked is a zip bomb, made to exhaust whatever opens it.
ZIP_EXPANSION_LIMIT = 50

_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str


PDF = FileType("application/pdf", "pdf")
PNG = FileType("image/png", "png")
JPEG = FileType("image/jpeg", "jpg")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
ODT = FileType("application/vnd.oasis.opendocument.text", "odt")

_BY_SNIFFED_MIME = {"application/pdf": PDF, "image/png": PNG, "image/jpeg": JPEG}


def max_upload_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def _refuse_zip_bomb(archive: zipfile.ZipFile) -> None:
    # The sizes each part declares, read from the archive's directory without unpacking a byte.
    unpacked_limit = ZIP_EXPANSION_LIMIT * max_upload_bytes()
    if sum(info.file_size for info in archive.infolist()) > unpacked_limit:
        raise ValidationError(
            f"The selected file says it would unpack to more than "
            f"{filesizeformat(unpacked_limit)}, far more than any real document of its size, "
            f"so it has not been opened. Save the document again, or save it as a PDF, and "
            f"upload that.",
            code="zip_bomb",
        )


def _zip_document_type(upload: UploadedFile) -> FileType | None:
    """DOCX, XLSX and ODT are zip files; tell them apart by their parts, read without
    extracting anything but ODT's tiny ``mimetype`` entry."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            _refuse_zip_bomb(archive)
            names = archive.namelist()
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 100:
                if archive.read("mimetype").strip() == _ODT_MIMETYPE:
                    return ODT
                return None
            if "[Content_Types].xml" in names:
                if any(name.startswith("word/") for name in names):
                    return DOCX
                if any(name.startswith("xl/") for name in names):
                    return XLSX
    except (
        zipfile.BadZipFile,
        OSError,
        KeyError,
        RuntimeError,
        EOFError,
        ValueError,
        NotImplementedError,
        zlib.error,
    ):
        # A damaged or unusual archive is simply not a type we accept.
        return None
    finally:
        upload.seek(0)
    return None


def evidence_file_type(upload: UploadedFile) -> FileType:
    """The accepted type of an uploaded file, judged by its content, or ValidationError."""
    if upload.size == 0:
        raise ValidationError("The selected file is empty.", code="empty")
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            f"The file must be smaller than {filesizeformat(limit)}.", code="too_large"
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    sniffed = filetype.guess(head)
    found = _BY_SNIFFED_MIME.get(sniffed.mime) if sniffed else None
    if found is None and head.startswith(b"PK\x03\x04"):
        found = _zip_document_type(upload)
    if found is None:
        raise ValidationError(
            f"The selected file is not a type we accept. Upload a {ACCEPTED_TYPES_TEXT} file.",
            code="file_type",
        )
    return found


def _download_name(original: str, file_type: FileType) -> str:
    # Keep the person's own name for the file, but never a path, and always the extension of
    # what the file really is, so it opens in the right program.
    base = os.path.basename(original.replace("\\", "/")).strip() or "evidence"
    stem, extension = os.path.splitext(base)
    if extension.lower().lstrip(".") not in {file_type.extension, "jpeg"}:
        base = f"{stem or 'evidence'}.{file_type.extension}"
    if len(base) > 255:
        base = f"{stem[: 250 - len(file_type.extension)]}.{file_type.extension}"
    return base


def evidence_add_note(*, stage: ReviewStage, user: User, title: str, note: str) -> Evidence:
    with transaction.atomic():
        stage = lock_editable_stage(stage=stage, user=user, doing="add evidence")
        evidence = Evidence.objects.create(
            stage=stage,
            kind=Evidence.Kind.NOTE,
            title=title.strip(),
            note=note.strip(),
            uploaded_by=user,
        )
        _log(evidence, "add", user)
    return evidence


def evidence_add_file(
    *, stage: ReviewStage, user: User, title: str, upload: UploadedFile
) -> Evidence:
    # Judge the file before anything is written, so a refused file never touches the storage.
    file_type = evidence_file_type(upload)
    stored_name = None
    try:
        with transaction.atomic():
            stage = lock_editable_stage(stage=stage, user=user, doing="add evidence")
            evidence = Evidence(
                stage=stage,
                kind=Evidence.Kind.FILE,
                title=title.strip(),
                original_filename=_download_name(upload.name or "", file_type),
                content_type=file_type.content_type,
                size=upload.size,
                uploaded_by=user,
            )
            evidence.file.save(upload.name or "evidence", upload, save=False)
            stored_name = evidence.file.name
            evidence.save()
            _log(evidence, "add", user)
    except BaseException:
        # The row was rolled back; take the file with it.
        if stored_name:
            Evidence._meta.get_field("file").storage.delete(stored_name)
        raise
    return evidence


def evidence_update_note(*, evidence: Evidence, user: User, title: str, note: str) -> Evidence:
    """Change a written note in place, while its stage may still be changed; the audit entry
    keeps the title it had."""
    with transaction.atomic():
        lock_editable_stage(stage=evidence.stage, user=user, doing="change evidence")
        # Another request may have removed it while this one waited.
        evidence = Evidence.objects.select_for_update().filter(pk=evidence.pk).first()
        if evidence is None:
            raise TransitionError("That note had already been removed.")
        if evidence.kind != Evidence.Kind.NOTE:
            raise TransitionError(
                "Only a written note can be changed. Remove a file and upload it again."
            )
        before = {"title": evidence.title, "note": evidence.note}
        evidence.title = title.strip()
        evidence.note = note.strip()
        evidence.save(update_fields=["title", "note"])
        _log(
            evidence,
            "edit",
            user,
            previous_title=before["title"],
            note_changed=before["note"] != evidence.note,
        )
    return evidence


def evidence_remove(*, evidence: Evidence, user: User) -> None:
    with transaction.atomic():
        lock_editable_stage(stage=evidence.stage, user=user, doing="remove evidence")
        # Another request (a double click) may have removed it while this one waited.
        evidence = Evidence.objects.select_for_update().filter(pk=evidence.pk).first()
        if evidence is None:
            raise TransitionError("That evidence had already been removed.")
        _log(evidence, "remove", user)
        stored_name = evidence.file.name if evidence.file else ""
        storage = evidence.file.storage
        evidence.delete()
        if stored_name:
            # Only once the row is really gone: a rollback must not leave a row with no file.
            transaction.on_commit(lambda: storage.delete(stored_name))


def _log(evidence: Evidence, verb: str, user: User, **extra) -> None:
    log(
        instance=evidence.stage,
        action=f"accreditation.evidence.{verb}",
        user=user,
        data={
            "evidence_id": evidence.pk,
            "title": evidence.title,
            "kind": evidence.kind,
            "filename": evidence.original_filename,
            **extra,
        },
    )
