"""The CPD log: a trainee or holder keeps their own entries, with hours in a day, a reflection
and an optional private evidence file; nobody else sees them."""

import datetime
from decimal import Decimal
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

import pytest

from accreditation import privacy
from accreditation.exceptions import TransitionError
from accreditation.models import CpdActivityType, CpdEntry, RenewalApplication
from accreditation.selectors.cpd import cpd_summary
from accreditation.services import cpd as services
from accreditation.services import renewal as renewal_services
from tests.concurrency import errors, overlap

from .factories import HTML_BYTES, PDF_BYTES, PNG_BYTES, upload
from .renewal_builders import apply, log_cpd, ready_to_renew

LOG = reverse("accreditation:cpd_log")
ADD = reverse("accreditation:cpd_add")
LOG_QUERIES = 9


@pytest.fixture
def private_dir(settings) -> Path:
    return Path(settings.STORAGES["private"]["OPTIONS"]["location"])


def _stored_files(private_dir: Path) -> list[Path]:
    return [p for p in private_dir.rglob("*") if p.is_file()] if private_dir.exists() else []


def _kind(number: int = 0) -> CpdActivityType:
    return CpdActivityType.objects.order_by("sort_order", "name")[number]


def _form(**changes) -> dict:
    today = timezone.localdate() - datetime.timedelta(days=3)
    data = {
        "date_day": str(today.day),
        "date_month": str(today.month),
        "date_year": str(today.year),
        "activity_type": str(_kind().pk),
        "title": "Co-led the Child K review",
        "hours": "6.5",
        "reflection": "Holding the family conversation taught me to listen first.",
    }
    data.update(changes)
    return data


def _add(person, **changes) -> CpdEntry:
    fields = {
        "date": timezone.localdate() - datetime.timedelta(days=3),
        "activity_type": _kind(),
        "title": "Read the national panel's report",
        "hours": "2",
        "reflection": "",
    }
    fields.update(changes)
    return services.cpd_entry_add(person=person, **fields)


def test_it_adds_changes_and_removes_an_entry(client, tess):
    client.force_login(tess)
    response = client.post(ADD, _form())
    assert response.status_code == 302
    entry = CpdEntry.objects.get()
    assert (entry.person, entry.hours, entry.title) == (
        tess,
        Decimal("6.50"),
        "Co-led the Child K review",
    )

    edit = reverse("accreditation:cpd_edit", args=[entry.pk])
    response = client.post(edit, _form(hours="7", activity_type=str(_kind(1).pk)))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.hours == Decimal("7.00")
    assert entry.activity_type == _kind(1)

    remove = reverse("accreditation:cpd_remove", args=[entry.pk])
    assert "Yes, remove it" in client.get(remove).content.decode()
    assert client.post(remove).status_code == 302
    assert not CpdEntry.objects.exists()


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0", "Hours must be more than 0."),
        ("-1", "Hours must be more than 0."),
        ("24.5", "No more than 24 hours in a day."),
        ("1.255", "no more than 2 decimal places"),
        ("lots", "Enter the hours as a number"),
    ],
)
def test_it_refuses_bad_hours_keeping_what_was_typed(client, tess, hours, message):
    client.force_login(tess)
    response = client.post(ADD, _form(hours=hours))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert "Co-led the Child K review" in page
    assert "Holding the family conversation taught me to listen first." in page
    assert not CpdEntry.objects.exists()


def test_it_refuses_bad_hours_in_the_service_too(tess):
    for hours in ("0", "-2", "24.01"):
        with pytest.raises(TransitionError):
            _add(tess, hours=hours)
    with pytest.raises(TransitionError, match="future"):
        _add(tess, date=timezone.localdate() + datetime.timedelta(days=1))
    assert _add(tess, hours="24").hours == Decimal("24.00")


def test_it_refuses_a_future_date_on_the_form(client, tess):
    client.force_login(tess)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        ADD,
        _form(
            date_day=str(tomorrow.day), date_month=str(tomorrow.month), date_year=str(tomorrow.year)
        ),
    )
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()


def test_it_refuses_a_file_of_the_wrong_type(client, tess, private_dir):
    client.force_login(tess)
    response = client.post(ADD, {**_form(), "evidence": upload("notes.html", HTML_BYTES)})
    assert response.status_code == 400
    assert "not a type we accept" in response.content.decode()
    assert not CpdEntry.objects.exists()
    assert _stored_files(private_dir) == []


def test_it_keeps_evidence_private_and_replaces_it(
    client, tess, pat, private_dir, django_capture_on_commit_callbacks
):
    client.force_login(tess)
    client.post(ADD, {**_form(), "evidence": upload("certificate.pdf", PDF_BYTES)})
    entry = CpdEntry.objects.get()
    assert entry.evidence_filename == "certificate.pdf"
    download = reverse("accreditation:cpd_evidence", args=[entry.pk])
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Cache-Control"].startswith("no-store")
    old = _stored_files(private_dir)
    assert len(old) == 1

    for other in (pat, None):
        client.logout()
        if other:
            client.force_login(other)
        assert client.get(download).status_code in (302, 404)
    client.force_login(pat)
    assert client.get(download).status_code == 404
    assert client.get(reverse("accreditation:cpd_edit", args=[entry.pk])).status_code == 404
    assert client.post(reverse("accreditation:cpd_remove", args=[entry.pk])).status_code == 404
    assert CpdEntry.objects.filter(pk=entry.pk).exists()

    client.force_login(tess)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accreditation:cpd_edit", args=[entry.pk]),
            {**_form(), "evidence": upload("photo.png", PNG_BYTES)},
        )
    entry.refresh_from_db()
    assert entry.evidence_filename == "photo.png"
    files = _stored_files(private_dir)
    assert len(files) == 1 and files != old

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accreditation:cpd_remove", args=[entry.pk]))
    assert _stored_files(private_dir) == []


def test_it_lists_the_log_with_totals_and_prints_html_as_text(client, tess, pat):
    client.force_login(tess)
    page = client.get(LOG).content.decode()
    assert "Your CPD log is empty" in page

    _add(tess, hours="2.25", reflection="<script>alert('x')</script>")
    _add(tess, hours="1.5", activity_type=_kind(1))
    _add(pat, hours="9")
    page = client.get(LOG).content.decode()
    assert "3.75 hours from 2 activities" in page
    assert "&lt;script&gt;" in page
    assert "<script>alert" not in page


def test_it_runs_a_fixed_number_of_queries(client, tess, django_assert_num_queries):
    _add(tess)
    client.force_login(tess)
    client.get(LOG)
    with django_assert_num_queries(LOG_QUERIES):
        assert client.get(LOG).status_code == 200
    for number in range(10):
        _add(tess, title=f"Entry {number}", activity_type=_kind(number % 3))
    with django_assert_num_queries(LOG_QUERIES):
        assert client.get(LOG).status_code == 200


def test_it_shows_the_log_only_to_trainees_and_holders(client, sam, ali):
    for person in (sam, ali):
        client.force_login(person)
        assert client.get(LOG).status_code == 404
        assert client.get(ADD).status_code == 404


def test_it_sums_a_period_by_type(tess):
    today = timezone.localdate()
    _add(tess, hours="2", date=today - datetime.timedelta(days=10))
    _add(tess, hours="3.5", date=today - datetime.timedelta(days=5), activity_type=_kind(1))
    _add(tess, hours="1", date=today - datetime.timedelta(days=5))
    _add(tess, hours="8", date=today - datetime.timedelta(days=400))

    summary = cpd_summary(tess, today - datetime.timedelta(days=30), today)
    assert summary.hours == Decimal("6.50")
    assert summary.entries == 3
    assert summary.by_type == [(_kind().name, Decimal("3.00")), (_kind(1).name, Decimal("3.50"))]


def test_it_exports_and_erases_the_log(tess, private_dir, django_capture_on_commit_callbacks):
    entry = _add(tess, upload=upload("course.pdf", PDF_BYTES), reflection="Learned much.")
    data = privacy.user_data(tess)
    (record,) = data["cpd_entries"]
    assert record["title"] == entry.title
    assert record["reflection"] == "Learned much."
    files = dict(privacy.user_files(tess))
    assert record["evidence"] in files
    assert files[record["evidence"]]().read() == PDF_BYTES

    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_user(tess)
    assert not CpdEntry.objects.filter(person=tess).exists()
    assert _stored_files(private_dir) == []


# No more than 24 hours in a day, across the day's entries ----------------------------------


def _on(day: datetime.date) -> dict:
    return {"date_day": str(day.day), "date_month": str(day.month), "date_year": str(day.year)}


def test_it_refuses_a_day_over_24_hours_keeping_what_was_typed(client, tess):
    day = timezone.localdate() - datetime.timedelta(days=3)
    _add(tess, date=day, hours="20")
    client.force_login(tess)

    response = client.post(ADD, _form(**_on(day), hours="6.5"))

    page = response.content.decode()
    assert response.status_code == 400
    assert (
        f"You have already logged 20 hours on {day.day} {day:%B %Y}; "
        "no more than 24 hours in a day."
    ) in page
    assert "Co-led the Child K review" in page
    assert "Holding the family conversation taught me to listen first." in page
    assert CpdEntry.objects.filter(person=tess).count() == 1


def test_it_refuses_a_change_that_takes_the_day_over_24_hours(client, tess):
    day = timezone.localdate() - datetime.timedelta(days=3)
    _add(tess, date=day, hours="1.5")
    entry = _add(tess, date=day, hours="10", title="Conference")
    client.force_login(tess)

    response = client.post(
        reverse("accreditation:cpd_edit", args=[entry.pk]), _form(**_on(day), hours="23")
    )

    assert response.status_code == 400
    assert "You have already logged 1.5 hours on" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.hours, entry.title) == (Decimal("10.00"), "Conference")


def test_it_counts_only_the_persons_other_entries_on_that_day(tess, pat):
    day = timezone.localdate() - datetime.timedelta(days=3)
    entry = _add(tess, date=day, hours="20")
    _add(pat, date=day, hours="20")
    _add(tess, date=day - datetime.timedelta(days=1), hours="20")

    # Changing an entry does not count its own old hours; the day may reach exactly 24.
    services.cpd_entry_change(
        entry=entry, person=tess, date=day, activity_type=_kind(), title="All day", hours="24"
    )
    with pytest.raises(TransitionError, match="already logged 24 hours"):
        _add(tess, date=day, hours="0.25")
    # Moved to another day, the change counts that day's hours.
    with pytest.raises(TransitionError, match="already logged 20 hours"):
        services.cpd_entry_change(
            entry=entry,
            person=tess,
            date=day - datetime.timedelta(days=1),
            activity_type=_kind(),
            title="All day",
            hours="5",
        )
    entry.refresh_from_db()
    assert (entry.date, entry.hours) == (day, Decimal("24.00"))
    assert _add(tess, date=day - datetime.timedelta(days=1), hours="4").hours == Decimal("4.00")


@pytest.mark.postgres
def test_it_keeps_a_day_within_24_hours_when_two_entries_are_added_at_once(locked, tess):
    """Guards ``User.objects.select_for_update()`` in the CPD service's ``_lock_person``.
    Without it each add reads the day's hours before the other commits, and the day ends
    with 30 hours logged."""
    day = timezone.localdate() - datetime.timedelta(days=3)
    results = overlap(
        lambda: _add(tess, date=day, hours="15"),
        lambda: _add(tess, date=day, hours="15"),
    )

    assert not isinstance(results[0], Exception), results
    [error] = errors(results)
    assert "already logged 15 hours" in str(error)
    assert CpdEntry.objects.filter(person=tess, date=day).count() == 1


# The CPD a renewal counted -----------------------------------------------------------------


@pytest.fixture
def renewed(tess, review, ali):
    """Tess applied to renew ten days ago: her CPD from the certificate's issue to then counted."""
    certificate = ready_to_renew(tess, review, ali)
    renewal = apply(certificate, tess)
    submitted = timezone.now() - datetime.timedelta(days=10)
    RenewalApplication.objects.filter(pk=renewal.pk).update(submitted_at=submitted)
    renewal.refresh_from_db()
    return renewal


def _counted_message(renewal) -> str:
    day = timezone.localdate(renewal.submitted_at)
    return (
        f"This activity counts towards your renewal submitted on {day.day} {day:%B %Y}, "
        "so it can no longer be changed or removed."
    )


def _with_evidence(entry: CpdEntry) -> CpdEntry:
    entry.evidence.save("course.pdf", upload("course.pdf", PDF_BYTES), save=False)
    entry.evidence_filename = "course.pdf"
    entry.save()
    return entry


def test_it_refuses_changing_or_removing_an_activity_a_renewal_counted(client, renewed, tess):
    counted = _with_evidence(
        log_cpd(tess, hours=2, on=timezone.localdate() - datetime.timedelta(days=40))
    )
    client.force_login(tess)
    edit = reverse("accreditation:cpd_edit", args=[counted.pk])

    for changes in ({"hours": "3"}, {"evidence": upload("photo.png", PNG_BYTES)}):
        response = client.post(edit, {**_form(**_on(counted.date)), **changes})
        assert response.status_code == 400
        assert _counted_message(renewed) in response.content.decode()
    response = client.post(edit, {**_form(**_on(counted.date)), "remove_evidence": "on"})
    assert response.status_code == 400

    response = client.post(reverse("accreditation:cpd_remove", args=[counted.pk]), follow=True)
    assert _counted_message(renewed) in response.content.decode()
    counted.refresh_from_db()
    assert (counted.hours, counted.title, counted.evidence_filename) == (
        Decimal("2.00"),
        "Safeguarding conference",
        "course.pdf",
    )


def test_it_refuses_moving_an_activity_into_the_counted_period(renewed, tess):
    later = _add(tess, date=timezone.localdate() - datetime.timedelta(days=3))
    inside = timezone.localdate() - datetime.timedelta(days=40)

    with pytest.raises(TransitionError, match="cannot be moved to"):
        services.cpd_entry_change(
            entry=later, person=tess, date=inside, activity_type=_kind(), title="Moved", hours="1"
        )
    later.refresh_from_db()
    assert later.title == "Read the national panel's report"


def test_it_lets_the_holder_change_what_no_renewal_counted(renewed, tess):
    after = _add(tess, date=timezone.localdate() - datetime.timedelta(days=3))
    changed = services.cpd_entry_change(
        entry=after, person=tess, date=after.date, activity_type=_kind(), title="Read it", hours="3"
    )
    assert changed.hours == Decimal("3.00")
    services.cpd_entry_remove(entry=after, person=tess)
    assert not CpdEntry.objects.filter(pk=after.pk).exists()

    counted = log_cpd(tess, hours=2, on=timezone.localdate() - datetime.timedelta(days=40))
    renewal_services.renewal_withdraw(renewal=renewed, holder=tess)
    services.cpd_entry_remove(entry=counted, person=tess)
    assert not CpdEntry.objects.filter(pk=counted.pk).exists()


def test_it_lets_the_assessor_download_only_the_evidence_a_renewal_counted(
    client, renewed, tess, ali
):
    counted = _with_evidence(
        log_cpd(tess, hours=2, on=timezone.localdate() - datetime.timedelta(days=40))
    )
    after = _with_evidence(
        log_cpd(tess, hours=2, on=timezone.localdate() - datetime.timedelta(days=3))
    )
    client.force_login(ali)

    def status(entry):
        return client.get(
            reverse("accreditation:renewal_cpd_evidence", args=[entry.pk])
        ).status_code

    assert status(counted) == 200
    assert status(after) == 404

    RenewalApplication.objects.filter(pk=renewed.pk).update(
        status=RenewalApplication.Status.WITHDRAWN
    )
    assert status(counted) == 404
