"""Build a person's data export: ``data.json``, a README and their files, in one ZIP."""

import json
import posixpath
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.formats import date_format

from .registry import privacy_modules

# Exports below this size stay in memory; larger ones spill to a temporary file on disk.
IN_MEMORY_BYTES = 8 * 1024 * 1024
FILES_DIR = "files/"

README = """\
Your data from Learning Together
================================

data.json holds everything the platform keeps about you, one section per part of the
platform: your account, your training (enrolments, module progress, your reflections and
knowledge-check answers), your supervised review (stages, evidence, sign-offs), supervision,
accreditation applications, decisions, certificates and notifications.

files/ holds the files: the evidence on your supervised review and your certificates.

A supervised review carried out in a pair is shared: its stages, evidence and sign-offs are
part of both trainees' records, so they are in your export. Your partner's own reflections,
knowledge-check answers, application and certificates are theirs alone and are not.

Generated {generated_at}.
"""


@dataclass(frozen=True)
class DataExport:
    file: IO[bytes]
    size: int
    file_count: int
    missing_files: int
    filename: str


def _member_name(path: str, used: set[str]) -> str:
    """A safe, unique name inside the ZIP under files/: no absolute paths, no "..", no
    duplicates."""
    parts = [
        part
        for part in posixpath.normpath(path.replace("\\", "/")).split("/")
        if part not in ("", ".", "..")
    ]
    if parts and parts[0] + "/" == FILES_DIR:
        parts = parts[1:]
    name = FILES_DIR + ("/".join(parts) or "file")
    stem, extension = posixpath.splitext(name)
    candidate, counter = name, 1
    while candidate in used:
        counter += 1
        candidate = f"{stem}-{counter}{extension}"
    used.add(candidate)
    return candidate


def user_export_build(*, user) -> DataExport:
    """Everything held about ``user``, from every app's privacy module, as a ZIP file."""
    generated_at = timezone.now()
    sections: dict[str, dict] = {}
    files = []
    for entry in privacy_modules():
        sections[entry.label] = entry.module.user_data(user)
        files.extend(entry.module.user_files(user))

    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115
    used: set[str] = set()
    written, missing = [], []
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, opener in files:
            name = _member_name(path, used)
            info = zipfile.ZipInfo(name, date_time=generated_at.timetuple()[:6])
            # Evidence is PDF, office files and images: already compressed.
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o600 << 16
            try:
                with opener() as source, archive.open(info, "w", force_zip64=True) as target:
                    shutil.copyfileobj(source, target, 1024 * 1024)
            except (FileNotFoundError, OSError):
                missing.append(name)
                continue
            written.append(name)
        document = {
            "generated_at": generated_at,
            "user_id": user.pk,
            "files": written,
            "files_missing_from_storage": missing,
            **sections,
        }
        archive.writestr(
            "data.json", json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )
        archive.writestr(
            "README.txt",
            README.format(
                generated_at=date_format(timezone.localtime(generated_at), "DATETIME_FORMAT")
            ),
        )
    size = spool.tell()
    spool.seek(0)
    return DataExport(
        file=spool,
        size=size,
        file_count=len(written),
        missing_files=len(missing),
        filename=f"learning-together-data-{generated_at:%Y-%m-%d}.zip",
    )
