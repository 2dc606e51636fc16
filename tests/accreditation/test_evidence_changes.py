"""Removing evidence asks first (GET shows what will go, POST removes it), and a written note can
be changed in place, with an audit entry, while its stage may still be changed."""

from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import Evidence
from accreditation.services.evidence import (
    evidence_add_file,
    evidence_add_note,
    evidence_update_note,
)
from accreditation.services.stages import stage_submit

from .factories import PDF_BYTES, stage, upload

pytestmark = pytest.mark.django_db

CONFIRM_QUERIES = 11
EDIT_QUERIES = 10


@pytest.fixture
def note(review, tess):
    return evidence_add_note(
        stage=stage(review, 1), user=tess, title="Scope", note="Research questions agreed."
    )


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# Removing asks first -------------------------------------------------------------------------


def test_it_links_remove_to_a_confirmation_page_not_a_button_that_removes(client, note, tess):
    client.force_login(tess)
    content = client.get(
        reverse("accreditation:stage_detail", args=[note.stage_id])
    ).content.decode()
    remove_url = reverse("accreditation:evidence_remove", args=[note.pk])
    assert f'<a href="{remove_url}">Remove' in content
    assert f'action="{remove_url}"' not in content


def _more_notes_on_the_stage(note, count=40):
    Evidence.objects.bulk_create(
        Evidence(
            stage=note.stage,
            kind="note",
            title=f"Other {n}",
            note="x",
            uploaded_by=note.uploaded_by,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("persona", ["tess", "pat"])
def test_it_asks_to_confirm_before_removing_and_removes_nothing_yet(
    client, note, persona, request, django_assert_num_queries
):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("accreditation:evidence_remove", args=[note.pk])
    client.get(url)  # the first request draws the site's menu
    with django_assert_num_queries(CONFIRM_QUERIES):
        response = client.get(url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Remove “Scope”?" in content
    assert "This written note, added by Tess Trainee" in content
    assert "This cannot be undone" in content

    _more_notes_on_the_stage(note)
    with django_assert_num_queries(CONFIRM_QUERIES):
        assert client.get(url).status_code == 200
    assert Evidence.objects.filter(stage=note.stage).count() == 41
    assert f'<form method="post" action="{url}">' in content
    assert f'name="stage" value="{note.stage_id}"' in content
    assert reverse("accreditation:stage_detail", args=[note.stage_id]) + "#evidence" in content
    assert Evidence.objects.filter(pk=note.pk).exists()


def test_it_removes_once_confirmed_with_an_audit_entry(client, note, tess):
    client.force_login(tess)
    url = reverse("accreditation:evidence_remove", args=[note.pk])
    response = client.post(url, {"stage": note.stage_id}, follow=True)
    assert "“Scope” removed." in _messages(response)
    assert not Evidence.objects.filter(pk=note.pk).exists()
    assert ModelLogEntry.objects.filter(action="accreditation.evidence.remove").count() == 1


def test_it_names_the_file_on_the_confirmation_page(client, review, tess):
    evidence = evidence_add_file(
        stage=stage(review, 1), user=tess, title="Terms", upload=upload("terms.pdf", PDF_BYTES)
    )
    client.force_login(tess)
    content = client.get(
        reverse("accreditation:evidence_remove", args=[evidence.pk])
    ).content.decode()
    assert "The file terms.pdf" in content
    assert "the file is deleted, and you would need to upload it again" in content


@pytest.mark.parametrize(
    ("persona", "message"),
    [
        ("tess", "This stage is waiting for sign-off, so it cannot be changed"),
        ("sam", "Only the trainee and their review partner can remove evidence."),
    ],
)
def test_it_explains_instead_of_asking_when_the_evidence_cannot_be_removed(
    client, note, review, tess, persona, message, request
):
    stage_submit(stage=stage(review, 1), user=tess)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("accreditation:evidence_remove", args=[note.pk]), follow=True)
    assert response.redirect_chain[-1][0].startswith(
        reverse("accreditation:stage_detail", args=[note.stage_id])
    )
    assert any(message in m for m in _messages(response))
    assert Evidence.objects.filter(pk=note.pk).exists()


def test_it_hides_the_confirmation_from_outsiders_and_after_removal(client, note, tess, uma):
    url = reverse("accreditation:evidence_remove", args=[note.pk])
    client.force_login(uma)
    assert client.get(url).status_code == 404
    client.force_login(tess)
    client.post(url, {"stage": note.stage_id})
    assert client.get(url).status_code == 404


# Changing a note ------------------------------------------------------------------------------


def test_it_changes_a_note_in_place_with_an_audit_entry(
    client, note, pat, django_assert_num_queries
):
    client.force_login(pat)
    url = reverse("accreditation:evidence_edit_note", args=[note.pk])
    client.get(url)  # the first request draws the site's menu
    with django_assert_num_queries(EDIT_QUERIES):
        form_page = client.get(url)
    _more_notes_on_the_stage(note)
    with django_assert_num_queries(EDIT_QUERIES):
        assert client.get(url).status_code == 200
    content = form_page.content.decode()
    assert 'value="Scope"' in content and "Research questions agreed." in content
    stage_page = client.get(reverse("accreditation:stage_detail", args=[note.stage_id]))
    assert f'href="{url}"' in stage_page.content.decode()

    rows_before = Evidence.objects.count()
    response = client.post(
        url, {"note-title": "Scope and questions", "note-note": "Three questions agreed."}
    )

    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.pk, note.title, note.note) == (
        note.pk,
        "Scope and questions",
        "Three questions agreed.",
    )
    assert Evidence.objects.count() == rows_before  # changed in place, not added again
    entry = ModelLogEntry.objects.get(action="accreditation.evidence.edit")
    assert entry.user_id == pat.pk
    assert entry.data["evidence_id"] == note.pk
    assert entry.data["title"] == "Scope and questions"
    assert entry.data["previous_title"] == "Scope"
    assert entry.data["note_changed"] is True


def test_it_keeps_what_was_typed_when_a_changed_note_is_empty(client, note, tess):
    client.force_login(tess)
    url = reverse("accreditation:evidence_edit_note", args=[note.pk])
    response = client.post(url, {"note-title": "Scope, revised", "note-note": "  "})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    assert "There is a problem" in content and "Enter the note." in content
    assert 'value="Scope, revised"' in content
    note.refresh_from_db()
    assert (note.title, note.note) == ("Scope", "Research questions agreed.")


def test_it_keeps_the_change_on_the_form_when_the_stage_was_submitted_meanwhile(
    client, note, review, tess, pat
):
    client.force_login(tess)
    url = reverse("accreditation:evidence_edit_note", args=[note.pk])
    assert client.get(url).status_code == 200
    stage_submit(stage=stage(review, 1), user=pat)

    response = client.post(url, {"note-title": "Scope", "note-note": "A late change."})

    content = response.content.decode()
    assert response.status_code == 200
    assert "waiting for sign-off, so it cannot be changed" in content
    assert "A late change." in content
    note.refresh_from_db()
    assert note.note == "Research questions agreed."
    assert not ModelLogEntry.objects.filter(action="accreditation.evidence.edit").exists()


def test_it_does_not_offer_to_change_a_note_on_a_stage_waiting_for_sign_off(
    client, note, review, tess
):
    stage_submit(stage=stage(review, 1), user=tess)
    client.force_login(tess)
    url = reverse("accreditation:evidence_edit_note", args=[note.pk])
    stage_page = client.get(reverse("accreditation:stage_detail", args=[note.stage_id]))
    assert url not in stage_page.content.decode()
    response = client.get(url, follow=True)
    assert any("waiting for sign-off" in m for m in _messages(response))


def test_it_has_no_change_page_for_a_file(client, review, tess):
    evidence = evidence_add_file(
        stage=stage(review, 1), user=tess, title="Terms", upload=upload("terms.pdf", PDF_BYTES)
    )
    client.force_login(tess)
    assert (
        client.get(reverse("accreditation:evidence_edit_note", args=[evidence.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("who", ["sam", "uma"])
def test_it_lets_only_the_pair_change_a_note(note, who, request):
    with pytest.raises(TransitionError, match="Only the trainee and their review partner"):
        evidence_update_note(
            evidence=note, user=request.getfixturevalue(who), title="Changed", note="Changed"
        )
    note.refresh_from_db()
    assert note.title == "Scope"


def test_it_erases_the_previous_title_of_a_changed_note_with_the_note(note, tess):
    from accreditation.privacy import erase_user
    from learning_platform.accounts.personal_data.redaction import REDACTED

    evidence_update_note(evidence=note, user=tess, title="Scope, revised", note="Changed.")
    erase_user(tess)

    assert not Evidence.objects.filter(pk=note.pk).exists()
    entry = ModelLogEntry.objects.get(action="accreditation.evidence.edit")
    assert (entry.data["title"], entry.data["previous_title"]) == (REDACTED, REDACTED)
