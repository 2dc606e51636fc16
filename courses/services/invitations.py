"""Invitations: one at a time or by CSV, and accepting one.

Only a sha256 of each token is stored. The raw token exists in the email and, briefly, in the
task message that sends it.
"""

import csv
import hashlib
import io
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from wagtail.log_actions import log

from allauth.account.models import EmailAddress
from kombu.exceptions import OperationalError as BrokerError

from learning_platform.accounts.models import Organisation, User
from learning_platform.accounts.roles import Role
from notifications.services import notify

from ..events import CourseEvent
from ..models import Cohort, Enrolment, Invitation
from ..selectors.cohorts import cohort_places_left, invitations_unsent_ids
from ..validators import control_characters_problem, has_control_characters
from .cohorts import ENROLMENT_ACTIONS

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

logger = logging.getLogger(__name__)
# An email not gone ten minutes after its link was made is taken as lost.
UNSENT_AFTER = timedelta(minutes=10)
# After this many fresh links the sweeper leaves an invitation to staff, who see "Not sent yet".
MAX_AUTOMATIC_RESENDS = 3


class InvitationError(Exception):
    """An invitation that cannot be made or used. The message is for people."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_expiry_days() -> int:
    return int(getattr(settings, "INVITATION_EXPIRY_DAYS", 14))


# Checking invitees ----------------------------------------------------------------------------


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def _taken_emails(cohort: Cohort) -> tuple[set[str], dict[str, str]]:
    """Emails with a pending invitation, and emails already enrolled (with their status)."""
    now = timezone.now()
    pending = {
        e.lower()
        for e in Invitation.objects.filter(
            cohort=cohort, accepted_at__isnull=True, expires_at__gt=now
        ).values_list("email", flat=True)
    }
    enrolled = {
        email.lower(): Enrolment.Status(status).label.lower()
        for email, status in Enrolment.objects.filter(cohort=cohort).values_list(
            "user__email", "status"
        )
    }
    return pending, enrolled


def _max_length(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


def _text_problems(*, name: str, organisation: str, job_title: str) -> list[str]:
    """Control characters and over-long values, which the database would refuse."""
    problems = []
    for label, value, limit in (
        ("name", name, _max_length(Invitation, "full_name")),
        ("organisation", organisation, _max_length(Organisation, "name")),
        ("job title", job_title, _max_length(Invitation, "job_title")),
    ):
        if has_control_characters(value):
            problems.append(control_characters_problem(label))
        if len(value) > limit:
            problems.append(
                f"The {label} is {len(value)} characters long; it can be at most {limit}."
            )
    return problems


def _invitee_problems(
    *,
    name: str,
    email: str,
    pending: set[str],
    enrolled: dict[str, str],
    organisation: str = "",
    job_title: str = "",
) -> list[str]:
    problems = []
    if not name:
        problems.append("The name is missing.")
    problems += _text_problems(name=name, organisation=organisation, job_title=job_title)
    email_limit = _max_length(Invitation, "email")
    if not email:
        problems.append("The email address is missing.")
    elif len(email) > email_limit:
        problems.append(
            f"The email address is {len(email)} characters long; it can be at most {email_limit}."
        )
    else:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(f"“{email}” is not a valid email address.")
    key = email.lower()
    if key in enrolled:
        problems.append(f"{email} is already enrolled in this cohort ({enrolled[key]}).")
    elif key in pending:
        problems.append(f"{email} has already been invited and has not replied yet.")
    return problems


# Creating -------------------------------------------------------------------------------------


def _create(
    *,
    cohort: Cohort,
    email: str,
    full_name: str,
    organisation: Organisation | None,
    job_title: str,
    invited_by: User | None,
) -> Invitation:
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        cohort=cohort,
        email=email,
        full_name=full_name,
        organisation=organisation,
        job_title=job_title,
        token_hash=hash_token(token),
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=invitation_expiry_days()),
    )
    log(instance=invitation, action="courses.invitation.create", user=invited_by)
    # Only once the invitation is committed: a rolled-back import must send nothing.
    transaction.on_commit(lambda: _enqueue_email(invitation.pk, token))
    # Someone who already has an account also sees it in the platform (in-app only: the email
    # above is the one that carries the link).
    invitee = User.objects.filter(email__iexact=email, is_active=True).first()
    if invitee is not None:
        notify(recipient=invitee, event=CourseEvent.INVITATION, actor=invited_by, target=invitation)
    return invitation


def _enqueue_email(invitation_id: int, token: str) -> None:
    """A broker that cannot be reached is logged, not raised into the request: the invitation
    is committed without ``emailed_at``, and the sweeper sends it a fresh link."""
    from ..tasks import send_invitation_email

    try:
        send_invitation_email.delay(invitation_id, token)
    except BrokerError:
        logger.exception("Could not enqueue the email of invitation %s.", invitation_id)


def invitation_mark_emailed(*, invitation_id: int, token: str) -> bool:
    """Record that the email with this token went. A link replaced since then is not counted,
    so the sweeper still sends the current one."""
    return (
        Invitation.objects.filter(
            pk=invitation_id, token_hash=hash_token(token), emailed_at__isnull=True
        ).update(emailed_at=timezone.now())
        == 1
    )


@transaction.atomic
def invitation_resend(
    *, invitation_id: int, by: User | None, automatic: bool = False
) -> Invitation:
    """Send a fresh link. Only a hash of a token is stored, so a lost email cannot be sent again
    as it was: the new token replaces the old one, and the link in any earlier email stops
    working. Staff sending one give the link the full period again; the sweeper's automatic
    resends keep the expiry, so an invitation nobody can receive still runs out."""
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
    if invitation is None:
        raise InvitationError("That invitation no longer exists.")
    if invitation.accepted_at is not None:
        raise InvitationError(
            f"{invitation.full_name} has already accepted this invitation, so there is nothing "
            "to send again."
        )
    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(token)
    if automatic:
        invitation.automatic_resends += 1
    else:
        invitation.expires_at = timezone.now() + timedelta(days=invitation_expiry_days())
        invitation.automatic_resends = 0
    invitation.link_made_at = timezone.now()
    invitation.emailed_at = None
    invitation.save(
        update_fields=[
            "token_hash",
            "expires_at",
            "automatic_resends",
            "link_made_at",
            "emailed_at",
        ]
    )
    log(instance=invitation, action="courses.invitation.resend", user=by)
    transaction.on_commit(lambda: _enqueue_email(invitation.pk, token))
    return invitation


def invitations_resend_unsent(*, now=None) -> int:
    """For the sweeper: invitations whose email has still not gone ten minutes after the link
    was made (the message was lost, or the mail server refused it every time) get a fresh one.
    Each runs in its own transaction, so one failure does not stop the rest."""
    now = now or timezone.now()
    sent = 0
    unsent = invitations_unsent_ids(
        made_before=now - UNSENT_AFTER, now=now, resent_fewer_than=MAX_AUTOMATIC_RESENDS
    )
    for invitation_id in unsent:
        try:
            invitation_resend(invitation_id=invitation_id, by=None, automatic=True)
        except InvitationError:
            continue  # accepted in the meantime
        sent += 1
    if sent:
        logger.warning("Sent %s invitation(s) a fresh link: their first email never went.", sent)
    return sent


@transaction.atomic
def invitation_create(
    *,
    cohort: Cohort,
    email: str,
    full_name: str,
    organisation: Organisation | None = None,
    job_title: str = "",
    invited_by: User | None,
) -> Invitation:
    # Lock the cohort so two invitations cannot both take its last place.
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    email, full_name = _normalise_email(email), full_name.strip()
    pending, enrolled = _taken_emails(cohort)
    problems = _invitee_problems(
        name=full_name,
        email=email,
        pending=pending,
        enrolled=enrolled,
        organisation=organisation.name if organisation else "",
        job_title=job_title.strip(),
    )
    if not problems and cohort_places_left(cohort) < 1:
        problems.append(f"{cohort} is full ({cohort.capacity} places).")
    if problems:
        raise InvitationError(" ".join(problems))
    return _create(
        cohort=cohort,
        email=email,
        full_name=full_name,
        organisation=organisation,
        job_title=job_title.strip(),
        invited_by=invited_by,
    )


# CSV import -----------------------------------------------------------------------------------


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
        pending, enrolled = _taken_emails(cohort)
        organisations = _known_organisations(record["organisation"] for _, record in records)
        seen: dict[str, int] = {}
        places = cohort_places_left(cohort)
        for number, record in records:
            row = ImportRow(
                line=number,
                name=record["name"],
                email=_normalise_email(record["email"]),
                organisation=record["organisation"],
                job_title=record["job title"],
            )
            row.problems = _invitee_problems(
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
                and len(row.organisation) <= _max_length(Organisation, "name")
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
            _create(
                cohort=cohort,
                email=row.email,
                full_name=row.name,
                organisation=organisations.get(row.organisation.lower()),
                job_title=row.job_title,
                invited_by=invited_by,
            )
        report.saved = True
    return report


# Accepting ------------------------------------------------------------------------------------


class InvitationState:
    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"


def invitation_state(invitation: Invitation | None) -> str:
    if invitation is None:
        return InvitationState.UNKNOWN
    if invitation.accepted_at is not None:
        return InvitationState.USED
    if invitation.expires_at <= timezone.now():
        return InvitationState.EXPIRED
    return InvitationState.VALID


def _lock_valid_invitation(token: str) -> Invitation:
    # select_for_update: a double click, or two tabs, cannot use the same invitation twice.
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("cohort")
        .filter(token_hash=hash_token(token))
        .first()
    )
    state = invitation_state(invitation)
    if state != InvitationState.VALID:
        raise InvitationError(
            {
                InvitationState.UNKNOWN: "This invitation link is not valid.",
                InvitationState.USED: "This invitation has already been used.",
                InvitationState.EXPIRED: "This invitation has expired.",
            }[state]
        )
    return invitation


def _enrol_from_invitation(*, invitation: Invitation, user: User) -> Enrolment:
    user.groups.add(Group.objects.get(name=Role.TRAINEE.value))
    enrolment, created = Enrolment.objects.select_for_update().get_or_create(
        user=user, cohort=invitation.cohort, defaults={"status": Enrolment.Status.ACTIVE}
    )
    if created:
        log(
            instance=enrolment,
            action="courses.enrolment.create",
            user=user,
            data={"from": None, "to": Enrolment.Status.ACTIVE, "reason": "Accepted invitation"},
        )
    elif enrolment.status == Enrolment.Status.INVITED:
        enrolment.status = Enrolment.Status.ACTIVE
        enrolment.save(update_fields=["status", "updated_at"])
        log(
            instance=enrolment,
            action=ENROLMENT_ACTIONS[Enrolment.Status.ACTIVE],
            user=user,
            data={
                "from": Enrolment.Status.INVITED,
                "to": Enrolment.Status.ACTIVE,
                "reason": "Accepted invitation",
            },
        )
    else:
        raise InvitationError(
            f"You are already enrolled in {invitation.cohort} "
            f"({enrolment.get_status_display().lower()})."
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.enrolment = enrolment
    invitation.save(update_fields=["accepted_at", "accepted_by", "enrolment"])
    log(instance=invitation, action="courses.invitation.accept", user=user)
    return enrolment


@transaction.atomic
def invitation_accept_new_user(*, token: str, full_name: str, password: str) -> Enrolment:
    """Create the account the invitation was for. The invitation proves the email address."""
    invitation = _lock_valid_invitation(token)
    email = invitation.email.lower()
    if User.objects.filter(email__iexact=email).exists():
        raise InvitationError("An account with this email address already exists. Sign in.")
    full_name = full_name.strip() or invitation.full_name
    problems = _text_problems(name=full_name, organisation="", job_title="")
    if problems:
        raise InvitationError(" ".join(problems))
    user = User(
        email=email,
        full_name=full_name,
        organisation=invitation.organisation,
        job_title=invitation.job_title,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return _enrol_from_invitation(invitation=invitation, user=user)


@transaction.atomic
def invitation_accept_existing_user(*, token: str, user: User) -> Enrolment:
    invitation = _lock_valid_invitation(token)
    if invitation.email.lower() != user.email.lower():
        raise InvitationError(
            f"This invitation was sent to {invitation.email}, but you are signed in as "
            f"{user.email}."
        )
    # The invitation reached this inbox, so the address is proven.
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    return _enrol_from_invitation(invitation=invitation, user=user)
