"""Evidence files: chosen by content, kept in private storage, nothing half-saved, and served
only through the permission-checked download view."""

from pathlib import Path

from django.urls import reverse

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import Evidence, ReviewStage
from accreditation.services.evidence import (
    evidence_add_file,
    evidence_add_note,
    evidence_remove,
)
from accreditation.services.stages import stage_approve, stage_submit

from .factories import (
    ELF_BYTES,
    EXE_BYTES,
    HTML_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    SVG_BYTES,
    docx_bytes,
    odt_bytes,
    stage,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def _damaged_odt() -> bytes:
    """An ODT whose compressed ``mimetype`` entry holds garbage, as a corrupted copy would."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    data = bytearray(buffer.getvalue())
    start = 30 + len("mimetype")  # the local header, then the compressed bytes
    data[start : start + 4] = b"\xff\xff\xff\xff"
    return bytes(data)


@pytest.fixture
def private_dir(settings) -> Path:
    return Path(settings.STORAGES["private"]["OPTIONS"]["location"])


def _stored_files(private_dir: Path) -> list[Path]:
    return [p for p in private_dir.rglob("*") if p.is_file()] if private_dir.exists() else []


def _post_file(client, s, name, data, title="Scope document"):
    return client.post(
        reverse("accreditation:evidence_add_file", args=[s.pk]),
        {"upload-title": title, "upload-file": upload(name, data)},
    )


# Accepted types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "content_type", "download_name"),
    [
        ("scope.pdf", PDF_BYTES, "application/pdf", "scope.pdf"),
        ("team.png", PNG_BYTES, "image/png", "team.png"),
        ("photo.jpeg", JPEG_BYTES, "image/jpeg", "photo.jpeg"),
        (
            "notes.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "notes.docx",
        ),
        (
            "log.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "log.xlsx",
        ),
        ("draft.odt", odt_bytes(), "application/vnd.oasis.opendocument.text", "draft.odt"),
        # A real PDF with the wrong name keeps the name but gets the right extension.
        ("scope.txt", PDF_BYTES, "application/pdf", "scope.pdf"),
    ],
)
def test_it_accepts_each_allowed_type_by_content(
    review, tess, private_dir, name, data, content_type, download_name
):
    evidence = evidence_add_file(
        stage=stage(review, 1), user=tess, title="Doc", upload=upload(name, data)
    )
    evidence.refresh_from_db()
    assert evidence.kind == Evidence.Kind.FILE
    assert evidence.content_type == content_type
    assert evidence.original_filename == download_name
    assert evidence.size == len(data)
    stored = _stored_files(private_dir)
    assert len(stored) == 1
    assert stored[0].read_bytes() == data
    # The stored name is random and carries nothing of the original.
    assert name.split(".")[0] not in stored[0].name
    assert stage(review, 1).status == ReviewStage.Status.IN_PROGRESS


def test_it_accepts_a_real_pdf_through_the_page(client, review, tess, private_dir):
    client.force_login(tess)
    response = _post_file(client, stage(review, 1), "scope.pdf", PDF_BYTES)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.title, evidence.uploaded_by) == ("Scope document", tess)
    assert len(_stored_files(private_dir)) == 1


# Refused types -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", HTML_BYTES),
        ("diagram.svg", SVG_BYTES),
        ("diagram.pdf", SVG_BYTES),
        ("setup.pdf", EXE_BYTES),
        ("tool.exe", EXE_BYTES),
        ("binary.pdf", ELF_BYTES),
        ("archive.docx", b"PK\x03\x04" + b"not really a zip" * 4),
        ("plain.pdf", b"just some text, no header"),
        ("damaged.odt", _damaged_odt()),
    ],
)
def test_it_refuses_other_types_whatever_their_name(client, review, tess, private_dir, name, data):
    client.force_login(tess)
    s = stage(review, 1)
    response = _post_file(client, s, name, data, title="My typed title")
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "not a type we accept" in content
    assert "PDF, Word (DOCX), OpenDocument text (ODT), Excel (XLSX), PNG or JPEG" in content
    # The title the person typed is kept.
    assert 'value="My typed title"' in content
    assert Evidence.objects.count() == 0
    assert _stored_files(private_dir) == []
    assert stage(review, 1).status == ReviewStage.Status.NOT_STARTED


def test_it_refuses_a_file_over_the_size_limit(client, review, tess, private_dir, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 100
    client.force_login(tess)
    response = _post_file(client, stage(review, 1), "scope.pdf", PDF_BYTES + b"0" * 200)
    assert response.status_code == 200
    assert "The file must be smaller than 100" in response.content.decode()
    assert Evidence.objects.count() == 0
    assert _stored_files(private_dir) == []


MB = 1024 * 1024


def _bomb(kind: str, unpacked: int) -> bytes:
    """A document whose one large part is zeros: tiny to upload, huge once unpacked."""
    import io
    import zipfile

    parts = {"[Content_Types].xml": b"<Types/>", f"{kind}/document.xml": b"\0" * unpacked}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "kind"), [("report.docx", "word"), ("grid.xlsx", "xl")])
def test_it_refuses_a_zip_bomb_dressed_as_a_document(
    client, review, tess, private_dir, settings, name, kind
):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = MB
    data = _bomb(kind, unpacked=50 * MB + 1)
    assert len(data) < MB  # within the upload limit: only what it unpacks to gives it away
    client.force_login(tess)

    response = _post_file(client, stage(review, 1), name, data, title="My typed title")

    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "would unpack to more than 50.0\xa0MB" in content
    assert "Save the document again, or save it as a PDF, and upload that." in content
    assert 'value="My typed title"' in content
    assert Evidence.objects.count() == 0
    assert _stored_files(private_dir) == []


def test_it_accepts_a_document_that_unpacks_within_the_limit(review, tess, private_dir, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = MB

    evidence = evidence_add_file(
        stage=stage(review, 1),
        user=tess,
        title="Large but real",
        # Every part counted: the two small ones as well as the large one.
        upload=upload("report.docx", _bomb("word", unpacked=50 * MB - len("<Types/>"))),
    )

    assert evidence.content_type.endswith("wordprocessingml.document")


def test_it_refuses_an_empty_file(review, tess, private_dir):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="empty"):
        evidence_add_file(stage=stage(review, 1), user=tess, title="x", upload=upload("a.pdf", b""))
    assert Evidence.objects.count() == 0


def test_it_leaves_no_file_when_the_stage_is_read_only(review, tess, sam, private_dir):
    s = stage(review, 1)
    evidence_add_note(stage=s, user=tess, title="Scope", note="Agreed.")
    stage_submit(stage=stage(review, 1), user=tess)
    with pytest.raises(TransitionError, match="waiting for sign-off"):
        evidence_add_file(
            stage=stage(review, 1), user=tess, title="Late", upload=upload("a.pdf", PDF_BYTES)
        )
    assert Evidence.objects.count() == 1
    assert _stored_files(private_dir) == []


# Read-only stages -----------------------------------------------------------------------------


def test_it_refuses_to_add_or_remove_evidence_on_an_approved_stage(review, tess, sam):
    s = stage(review, 1)
    note = evidence_add_note(stage=s, user=tess, title="Scope", note="Agreed.")
    stage_submit(stage=stage(review, 1), user=tess)
    stage_approve(stage=stage(review, 1), user=sam)
    with pytest.raises(TransitionError, match="approved"):
        evidence_add_note(stage=stage(review, 1), user=tess, title="More", note="More")
    with pytest.raises(TransitionError, match="approved"):
        evidence_remove(evidence=note, user=tess)
    assert list(Evidence.objects.values_list("title", flat=True)) == ["Scope"]


def test_it_removes_evidence_and_its_file_from_an_editable_stage(
    django_capture_on_commit_callbacks, review, pat, private_dir
):
    evidence = evidence_add_file(
        stage=stage(review, 1), user=pat, title="Doc", upload=upload("a.pdf", PDF_BYTES)
    )
    assert len(_stored_files(private_dir)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        evidence_remove(evidence=evidence, user=pat)
    assert Evidence.objects.count() == 0
    assert _stored_files(private_dir) == []


def test_it_says_a_double_clicked_remove_had_already_removed_the_evidence(
    client, review, tess, uma
):
    s = stage(review, 1)
    evidence = evidence_add_note(stage=s, user=tess, title="Scope", note="Agreed.")
    url = reverse("accreditation:evidence_remove", args=[evidence.pk])
    client.force_login(tess)

    first = client.post(url, {"stage": s.pk})
    second = client.post(url, {"stage": s.pk}, follow=True)

    assert first.status_code == 302
    assert second.status_code == 200
    assert "That evidence had already been removed." in second.content.decode()
    assert Evidence.objects.count() == 0
    # Someone who may not see the stage learns nothing.
    client.force_login(uma)
    assert client.post(url, {"stage": s.pk}).status_code == 404


def test_it_refuses_a_removal_that_lost_the_race_with_a_message(review, tess):
    evidence = evidence_add_note(stage=stage(review, 1), user=tess, title="Scope", note="x")
    stale = Evidence.objects.get(pk=evidence.pk)
    evidence_remove(evidence=evidence, user=tess)

    with pytest.raises(TransitionError, match="already been removed"):
        evidence_remove(evidence=stale, user=tess)


def test_it_refuses_evidence_from_the_supervisor(review, sam):
    with pytest.raises(TransitionError, match="Only the trainee and their review partner"):
        evidence_add_note(stage=stage(review, 1), user=sam, title="x", note="y")
    assert Evidence.objects.count() == 0


def test_it_keeps_the_typed_title_when_a_note_is_missing(client, review, tess):
    client.force_login(tess)
    response = client.post(
        reverse("accreditation:evidence_add_note", args=[stage(review, 1).pk]),
        {"note-title": "Half a note", "note-note": ""},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert 'value="Half a note"' in content
    assert Evidence.objects.count() == 0


# Download -----------------------------------------------------------------------------------


@pytest.fixture
def pdf_evidence(review, tess):
    return evidence_add_file(
        stage=stage(review, 1), user=tess, title="Scope", upload=upload("Scope v2.pdf", PDF_BYTES)
    )


@pytest.mark.parametrize("who", ["tess", "pat", "sam", "ada"])
def test_it_serves_evidence_as_a_private_attachment(client, pdf_evidence, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("accreditation:evidence_download", args=[pdf_evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Scope v2.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("who", ["uma", "sid", "ali"])
def test_it_hides_evidence_from_everyone_else(client, pdf_evidence, other_review, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("accreditation:evidence_download", args=[pdf_evidence.pk]))
    assert response.status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, pdf_evidence):
    response = client.get(reverse("accreditation:evidence_download", args=[pdf_evidence.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_lets_an_assessor_download_once_the_application_is_submitted(
    client, pdf_evidence, review, tess, ali
):
    from accreditation.models import AccreditationApplication

    application = AccreditationApplication.objects.create(
        trainee=tess, review=review, scheme=review.scheme
    )
    client.force_login(ali)
    url = reverse("accreditation:evidence_download", args=[pdf_evidence.pk])
    assert client.get(url).status_code == 404
    application.status = AccreditationApplication.Status.SUBMITTED
    application.save()
    assert client.get(url).status_code == 200


def test_it_says_what_to_do_when_an_upload_is_sent_empty(client, review, tess):
    client.force_login(tess)

    response = client.post(reverse("accreditation:evidence_add_file", args=[stage(review, 1).pk]))

    content = response.content.decode()
    assert '">Enter a title for the document.</a>' in content
    assert '">Choose a file to upload.</a>' in content
    assert "This field is required." not in content
