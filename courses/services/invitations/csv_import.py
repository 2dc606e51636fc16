"""Inviting many people at once from a CSV file saved from a spreadsheet: every row is checked,
and all are saved or none."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Lower

from learning_platform.accounts.models import Organisation, User

from ...models import Cohort
from ...selectors.cohorts import cohort_places_left
from ...validators import has_control_characters
from .checks import invitee_problems, max_length, normalise_email, taken_emails
from .lifecycle import invitation_add

MAX_UPLOAD_BYTES = 1024 * 1024
MAX_ROWS = 500
REQUIRED_COLUMNS = ("name", "email")
OPTIONAL_COLUMNS = ("organisation", "job title")
# The header of the template offered for download, in the order the columns are read.
TEMPLATE_HEADER = ("name", "email", "organisation", "job title")
DELIMITERS = ",;\t"
# Spellings people use for the same column, after _header_key has lowercased them, turned
# underscores and hyphens into spaces and squeezed the spaces: "Full_Name" is "full name".
COLUMN_ALIASES = {
    "full name": "name",
    "fullname": "name",
    "e mail": "email",
    "email address": "email",
    "e mail address": "email",
    "emailaddress": "email",
    "organization": "organisation",
    "organisation name": "organisation",
    "organization name": "organisation",
    "jobtitle": "job title",
    "role": "job title",
}


@dataclass
class ImportRow:
    line: int
    name: str
    email: str
    organisation: str
    job_title: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ImportReport:
    file_problems: list[str] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)
    saved: bool = False

    @property
    def accepted(self) -> list[ImportRow]:
        return [row for row in self.rows if row.ok]

    @property
    def rejected(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.ok]


def _header_key(cell: str) -> str:
    key = " ".join(cell.replace("_", " ").replace("-", " ").split()).lower()
    return COLUMN_ALIASES.get(key, key)


def _header(cells: list[str]) -> list[str]:
    return [_header_key(cell) for cell in cells]


def invitations_csv_template() -> str:
    """The header row an import reads, for staff to fill in with a spreadsheet."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(TEMPLATE_HEADER)
    return buffer.getvalue()


def _delimiter(text: str) -> str:
    """Comma, semicolon (Excel in many locales saves CSV with it) or tab. A sniffed guess that
    loses a column the header of another delimiter has is corrected; no guess means comma."""
    try:
        sniffed = csv.Sniffer().sniff(text[:8192], delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ","
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    for delimiter in (sniffed, *DELIMITERS):
        header = _header(next(csv.reader([first_line], delimiter=delimiter), []))
        if all(column in header for column in REQUIRED_COLUMNS):
            return delimiter
    return sniffed


def _read_csv(upload, report: ImportReport) -> list[tuple[int, dict[str, str]]] | None:
    """The rows under the header, each with the line of the file it starts on."""
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".csv"):
        report.file_problems.append(
            "The file must be a CSV file (.csv). Save the spreadsheet as “CSV UTF-8”."
        )
        return None
    if upload.size > MAX_UPLOAD_BYTES:
        report.file_problems.append("The file is larger than 1 MB.")
        return None
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.file_problems.append(
            "The file is not UTF-8 text. Save the spreadsheet as “CSV UTF-8” and upload it again."
        )
        return None
    if "\x00" in text:
        report.file_problems.append("The file is not a CSV file.")
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[tuple[int, list[str]]] = []
    try:
        while True:
            # The line a row starts on, counting blank lines and lines inside quoted values,
            # so the report points at the line the person sees in the file.
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            if any(cell.strip() for cell in row):
                rows.append((line, row))
    except csv.Error as error:
        report.file_problems.append(f"The file could not be read as CSV: {error}.")
        return None
    if not rows:
        report.file_problems.append("The file is empty.")
        return None
    header = _header(rows[0][1])
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        report.file_problems.append(
            "The first row must name the columns: name and email, and if you have them "
            f"organisation and job title. Missing: {', '.join(missing)}. Separate the columns "
            "with commas, semicolons or tabs."
        )
        return None
    if len(rows) - 1 > MAX_ROWS:
        report.file_problems.append(f"The file has more than {MAX_ROWS} people. Split it up.")
        return None
    if len(rows) == 1:
        report.file_problems.append("The file has a header row but nobody in it.")
        return None
    records = []
    for line, row in rows[1:]:
        # Organisation and job title may be left out of the file altogether.
        record = dict.fromkeys(OPTIONAL_COLUMNS, "")
        record.update(
            {column: (row[i].strip() if i < len(row) else "") for i, column in enumerate(header)}
        )
        records.append((line, record))
    return records


def _known_organisations(names: Iterable[str]) -> dict[str, Organisation]:
    """The organisations named, by lowercased name. One query."""
    keys = {name.strip().lower() for name in names if name.strip()}
    if not keys:
        return {}
    found = Organisation.objects.annotate(key=Lower("name")).filter(key__in=keys)
    return {organisation.key: organisation for organisation in found}


def invitations_import_csv(*, cohort: Cohort, upload, invited_by: User | None) -> ImportReport:
    """Check every row; save all of them in one transaction, or none if any row is wrong."""
    report = ImportReport()
    records = _read_csv(upload, report)
    if records is None:
        return report
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
        pending, enrolled = taken_emails(cohort)
        organisations = _known_organisations(record["organisation"] for _, record in records)
        seen: dict[str, int] = {}
        places = cohort_places_left(cohort=cohort)
        for number, record in records:
            row = ImportRow(
                line=number,
                name=record["name"],
                email=normalise_email(record["email"]),
                organisation=record["organisation"],
                job_title=record["job title"],
            )
            row.problems = invitee_problems(
                name=row.name,
                email=row.email,
                pending=pending,
                enrolled=enrolled,
                organisation=row.organisation,
                job_title=row.job_title,
            )
            if (
                row.organisation
                and row.organisation.lower() not in organisations
                # A name with a control character or too long is already explained above.
                and not has_control_characters(row.organisation)
                and len(row.organisation) <= max_length(Organisation, "name")
            ):
                row.problems.append(
                    f"“{row.organisation}” is not an organisation on the platform. Check its "
                    "spelling, leave it blank, or ask a programme administrator to add it first."
                )
            if row.email and row.email in seen:
                row.problems.append(
                    f"{row.email} is already on row {seen[row.email]} of this file."
                )
            elif row.email:
                seen[row.email] = number
            if row.ok:
                if places < 1:
                    row.problems.append(
                        f"The cohort is full: it has {cohort.capacity} places, all taken or "
                        "offered."
                    )
                else:
                    places -= 1
            report.rows.append(row)
        if report.rejected:
            return report
        for row in report.rows:
            invitation_add(
                cohort=cohort,
                email=row.email,
                full_name=row.name,
                organisation=organisations.get(row.organisation.lower()),
                job_title=row.job_title,
                invited_by=invited_by,
            )
        report.saved = True
    return report
