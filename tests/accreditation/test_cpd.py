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
from accreditation.models import CpdActivityType, CpdEntry
from accreditation.selectors.cpd import cpd_summary
from accreditation.services import cpd as services

from .factories import HTML_BYTES, PDF_BYTES, PNG_BYTES, upload

LOG = reverse("accreditation:cpd_log")
ADD = reverse("accreditation:cpd_add")
LOG_QUERIES = 10


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
