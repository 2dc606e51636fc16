"""A person's CPD log: add, change and remove their own entries, each with an optional evidence
file kept in the private storage like review evidence (its type judged by its content).

A replaced or removed file is deleted only after the transaction commits, so a rollback never
leaves a row pointing at nothing; a file saved for a change that then fails is deleted at once.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.dateformat import format as date_format

from wagtail.log_actions import log

from learning_platform.accounts.models import User

from ..exceptions import TransitionError
from ..models import CpdActivityType, CpdEntry, RenewalApplication
from .evidence import _download_name, evidence_file_type

TITLE_MAX_LENGTH = 200
REFLECTION_MAX_LENGTH = 10_000
MAX_HOURS = Decimal("24")


def cpd_clean_hours(hours) -> Decimal:
    """The hours as a Decimal of at most two places, or TransitionError saying what is wrong."""
    try:
        hours = Decimal(str(hours))
    except (InvalidOperation, ValueError, TypeError):
        raise TransitionError("Enter the hours as a number, for example 1.5.") from None
    if not hours.is_finite():
        raise TransitionError("Enter the hours as a number, for example 1.5.")
    if hours <= 0:
        raise TransitionError("Hours must be more than 0.")
    if hours > MAX_HOURS:
        raise TransitionError("No more than 24 hours in a day.")
    if hours != hours.quantize(Decimal("0.01")):
        raise TransitionError("Give the hours to no more than 2 decimal places, for example 1.25.")
    return hours.quantize(Decimal("0.01"))


def _clean(*, day: date, activity_type: CpdActivityType, title: str, hours, reflection: str):
    title = (title or "").strip()
    reflection = (reflection or "").strip()
    if day is None:
        raise TransitionError("Enter the date of the activity.")
    if day > timezone.localdate():
        raise TransitionError("The date of the activity cannot be in the future.")
    if activity_type is None:
        raise TransitionError("Choose the type of activity.")
    if not title:
        raise TransitionError("Enter a title for the activity.")
    if len(title) > TITLE_MAX_LENGTH:
        raise TransitionError(
            f"The title is too long: keep it under {TITLE_MAX_LENGTH} characters."
        )
    if len(reflection) > REFLECTION_MAX_LENGTH:
        raise TransitionError(
            f"Your reflection is too long: keep it under {REFLECTION_MAX_LENGTH:,} characters."
        )
    return title, cpd_clean_hours(hours), reflection


def _day(day: date) -> str:
    return date_format(day, "j F Y")


def _hours_text(hours: Decimal) -> str:
    text = f"{hours.normalize():f}"
    return f"{text} hour" if hours == 1 else f"{text} hours"


def _lock_person(person: User) -> None:
    """Lock the person's user row, so two changes to their log on the same day take turns (the
    second then sees the first's hours)."""
    User.objects.select_for_update().get(pk=person.pk)


def _check_day_total(person: User, day: date, hours: Decimal, *, entry: CpdEntry | None = None):
    """No more than 24 hours in a day across all the person's entries (``entry``, being changed,
    left out). Call with the person's row locked."""
    others = CpdEntry.objects.filter(person=person, date=day)
    if entry is not None:
        others = others.exclude(pk=entry.pk)
    logged = others.aggregate(total=Sum("hours"))["total"] or Decimal("0")
    if logged + hours > MAX_HOURS:
        raise TransitionError(
            f"You have already logged {_hours_text(logged)} on {_day(day)}; "
            "no more than 24 hours in a day."
        )


def _counting_renewal(person: User, day: date) -> RenewalApplication | None:
    """The person's renewal whose CPD period, from the renewed certificate's issue to the
    renewal's submission, includes ``day``: the one submitted last. A withdrawn renewal counts
    nothing, and one referred back lets the holder put their log right before resubmitting."""
    return (
        RenewalApplication.objects.filter(
            holder=person, submitted_at__isnull=False, certificate__issued_at__lte=day
        )
        .exclude(
            status__in=(RenewalApplication.Status.WITHDRAWN, RenewalApplication.Status.REFERRED)
        )
        .annotate(submitted_on=TruncDate("submitted_at"))
        .filter(submitted_on__gte=day)
        .order_by("-submitted_at", "-pk")
        .first()
    )


def _check_not_counted(person: User, entry: CpdEntry, new_day: date | None = None) -> None:
    """Refuse changing or removing an entry a renewal counted, or moving one into such a period:
    the assessors judge the log as it stood when the holder applied."""
    renewal = _counting_renewal(person, entry.date)
    if renewal is not None:
        raise TransitionError(
            "This activity counts towards your renewal submitted on "
            f"{_day(timezone.localdate(renewal.submitted_at))}, so it can no longer be changed "
            "or removed."
        )
    if new_day is not None and new_day != entry.date:
        renewal = _counting_renewal(person, new_day)
        if renewal is not None:
            raise TransitionError(
                f"Your renewal submitted on {_day(timezone.localdate(renewal.submitted_at))} "
                f"counted your CPD up to that day, so an activity cannot be moved to "
                f"{_day(new_day)}."
            )


def _file_type(upload: UploadedFile):
    try:
        return evidence_file_type(upload)
    except ValidationError as error:
        raise TransitionError(" ".join(error.messages)) from None


def _save_file(entry: CpdEntry, upload: UploadedFile, file_type) -> str:
    entry.evidence_filename = _download_name(upload.name or "", file_type)
    entry.evidence_content_type = file_type.content_type
    entry.evidence_size = upload.size
    entry.evidence.save(upload.name or "evidence", upload, save=False)
    return entry.evidence.name


def _storage():
    return CpdEntry._meta.get_field("evidence").storage


def _log(entry: CpdEntry, verb: str, user: User) -> None:
    log(
        instance=entry,
        action=f"accreditation.cpd.{verb}",
        user=user,
        data={
            "entry_id": entry.pk,
            "title": entry.title,
            "hours": str(entry.hours),
            "filename": entry.evidence_filename,
        },
    )


def cpd_entry_add(
    *,
    person: User,
    date: date,
    activity_type: CpdActivityType,
    title: str,
    hours,
    reflection: str = "",
    upload: UploadedFile | None = None,
) -> CpdEntry:
    title, hours, reflection = _clean(
        day=date, activity_type=activity_type, title=title, hours=hours, reflection=reflection
    )
    # Judge the file before anything is written, so a refused file never touches the storage.
    file_type = _file_type(upload) if upload else None
    stored_name = ""
    try:
        with transaction.atomic():
            _lock_person(person)
            _check_day_total(person, date, hours)
            entry = CpdEntry(
                person=person,
                date=date,
                activity_type=activity_type,
                title=title,
                hours=hours,
                reflection=reflection,
            )
            if upload:
                stored_name = _save_file(entry, upload, file_type)
            entry.save()
            _log(entry, "add", person)
    except BaseException:
        if stored_name:
            _storage().delete(stored_name)
        raise
    return entry


def _lock_own(entry: CpdEntry, person: User) -> CpdEntry:
    locked = CpdEntry.objects.select_for_update().filter(pk=entry.pk).first()
    if locked is None:
        raise TransitionError("That CPD entry had already been removed.")
    if locked.person_id != person.pk:
        raise TransitionError("You can change only your own CPD log.")
    return locked


def cpd_entry_change(
    *,
    entry: CpdEntry,
    person: User,
    date: date,
    activity_type: CpdActivityType,
    title: str,
    hours,
    reflection: str = "",
    upload: UploadedFile | None = None,
    remove_evidence: bool = False,
) -> CpdEntry:
    """Change an entry. A new file replaces the old one; ``remove_evidence`` drops it."""
    title, hours, reflection = _clean(
        day=date, activity_type=activity_type, title=title, hours=hours, reflection=reflection
    )
    file_type = _file_type(upload) if upload else None
    stored_name = ""
    try:
        with transaction.atomic():
            _lock_person(person)
            entry = _lock_own(entry, person)
            _check_not_counted(person, entry, date)
            _check_day_total(person, date, hours, entry=entry)
            old_name = entry.evidence.name if entry.evidence else ""
            entry.date = date
            entry.activity_type = activity_type
            entry.title = title
            entry.hours = hours
            entry.reflection = reflection
            if upload:
                stored_name = _save_file(entry, upload, file_type)
            elif remove_evidence and old_name:
                entry.evidence = ""
                entry.evidence_filename = ""
                entry.evidence_content_type = ""
                entry.evidence_size = 0
            entry.save()
            _log(entry, "edit", person)
            if old_name and (upload or remove_evidence):
                storage = _storage()
                transaction.on_commit(lambda: storage.delete(old_name))
    except BaseException:
        if stored_name:
            _storage().delete(stored_name)
        raise
    return entry


def cpd_entry_remove(*, entry: CpdEntry, person: User) -> None:
    with transaction.atomic():
        entry = _lock_own(entry, person)
        _check_not_counted(person, entry)
        _log(entry, "remove", person)
        stored_name = entry.evidence.name if entry.evidence else ""
        entry.delete()
        if stored_name:
            storage = _storage()
            # Only once the row is really gone: a rollback must not leave a row with no file.
            transaction.on_commit(lambda: storage.delete(stored_name))
