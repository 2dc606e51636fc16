"""Erasing a person: none of their personal data is left in any table, and what others rely on
is kept with their name replaced."""

import logging

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.db.models import TextField
from django.db.models.functions import Cast
from django.test import Client
from django.urls import reverse

from wagtail.models import Comment, CommentReply, ModelLogEntry

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from accreditation.models import (
    CertificateEvent,
    Decision,
    Evidence,
    ReviewStage,
    SignOff,
    SupervisionAttendance,
)
from courses.models import KnowledgeCheckAttempt, ModuleProgress, ReflectionAnswer
from tests.factories import PASSWORD

from .privacy_scenario import (
    PAT_FILE_BYTES,
    PAT_FILE_NAME,
    PAT_NOTE_TITLE,
    PAT_REFLECTION_WORD,
    TESS_NOTE_WORD,
    TESS_OTHER_EMAIL,
    TESS_REFLECTION_WORD,
    TESS_STATEMENT_WORD,
    erase,
)

pytestmark = pytest.mark.django_db

TEXT_TYPES = {"CharField", "TextField", "JSONField", "EmailField", "SlugField", "URLField"}


def rows_mentioning(*needles: str) -> list[str]:
    """Every text, email and JSON column of every table, searched for each needle."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if field.get_internal_type() not in TEXT_TYPES and not hasattr(field, "stream_block"):
                continue
            rows = model._base_manager.annotate(_text=Cast(field.column, TextField()))
            for needle in needles:
                if rows.filter(_text__icontains=needle).exists():
                    found.append(f"{model._meta.label}.{field.name} holds {needle!r}")
    return found


def test_it_finds_tess_with_the_search_helper_before_the_erasure(world):
    found = rows_mentioning("tess@example.org", "Tess Trainee", TESS_REFLECTION_WORD)

    assert "accounts.User.email holds 'tess@example.org'" in found
    assert "accounts.User.full_name holds 'Tess Trainee'" in found
    assert f"courses.ReflectionAnswer.answer holds {TESS_REFLECTION_WORD!r}" in found


def test_it_leaves_none_of_tess_personal_data_in_any_table(
    client, ada, tess, world, django_capture_on_commit_callbacks
):
    tess_file = world.tess_file.file
    storage, stored_name = tess_file.storage, tess_file.name
    certificate_pdf = world.certificate.pdf.name
    assert storage.exists(stored_name) and storage.exists(certificate_pdf)

    response = erase(client, ada, tess, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert (
        rows_mentioning(
            "tess@example.org",
            "Tess Trainee",
            TESS_REFLECTION_WORD,
            TESS_NOTE_WORD,
            TESS_STATEMENT_WORD,
            "scope.pdf",
            TESS_OTHER_EMAIL,
            # Pat's evidence and its audit entries name her by her first name only.
            PAT_NOTE_TITLE,
            PAT_FILE_NAME,
        )
        == []
    )
    assert not storage.exists(stored_name)
    assert not storage.exists(certificate_pdf)
    # Page comments stay in the editing history, with her name (even her first name) replaced.
    label = f"Erased user #{tess.pk}"
    assert list(Comment.objects.values_list("text", flat=True)) == [
        f"{label} suggested this example."
    ]
    assert list(CommentReply.objects.values_list("text", flat=True)) == [f"Thanks, {label}."]


def test_it_anonymises_the_account_and_signs_tess_out_everywhere(client, ada, tess, world):
    tess_browser = Client()
    tess_browser.force_login(tess)
    assert tess_browser.get(reverse("accounts_profile")).status_code == 200

    erase(client, ada, tess)

    tess.refresh_from_db()
    assert tess.full_name == f"Erased user #{tess.pk}"
    assert tess.email == f"erased-{tess.pk}@invalid"
    assert (tess.is_active, tess.has_usable_password()) == (False, False)
    assert (tess.job_title, tess.organisation, tess.erased_at is not None) == ("", None, True)
    assert not tess.groups.exists()
    assert not EmailAddress.objects.filter(user=tess).exists()
    assert not Authenticator.objects.filter(user=tess).exists()
    response = tess_browser.get(reverse("accounts_profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not client.login(email="tess@example.org", password=PASSWORD)


def test_it_keeps_the_audit_history_and_training_record(client, ada, tess, sam, world):
    stages = ReviewStage.objects.filter(review=world.review)
    before = {
        "sign_offs": list(SignOff.objects.filter(stage__in=stages).values_list("pk", "by_id")),
        "decisions": list(Decision.objects.values_list("pk", "assessor_id", "outcome")),
        "events": list(CertificateEvent.objects.values_list("pk", "to_status")),
        "attendance": SupervisionAttendance.objects.filter(trainee=tess).count(),
        "attempts": KnowledgeCheckAttempt.objects.filter(progress__enrolment__user=tess).count(),
    }

    erase(client, ada, tess)

    after_sign_offs = SignOff.objects.filter(stage__in=stages)
    assert list(after_sign_offs.values_list("pk", "by_id")) == before["sign_offs"]
    assert {by for _, by in before["sign_offs"]} == {tess.pk, sam.pk}
    approved = after_sign_offs.get(decision=SignOff.Decision.APPROVED)
    assert approved.comment == (
        f"Clear scope, Erased user #{tess.pk}. Well done, Erased user #{tess.pk}."
    )
    assert list(Decision.objects.values_list("pk", "assessor_id", "outcome")) == before["decisions"]
    assert list(CertificateEvent.objects.values_list("pk", "to_status")) == before["events"]
    assert SupervisionAttendance.objects.filter(trainee=tess).count() == before["attendance"]
    assert ModuleProgress.objects.filter(enrolment__user=tess, completed_at__isnull=False).exists()
    assert (
        KnowledgeCheckAttempt.objects.filter(progress__enrolment__user=tess).count()
        == before["attempts"]
    )
    assert not ReflectionAnswer.objects.filter(progress__enrolment__user=tess).exists()


def test_it_keeps_the_django_admin_history_with_her_name_replaced(client, ada, tess, pat, world):
    history = LogEntry.objects.order_by("pk")
    before = list(history.values_list("pk", "user_id", "action_time", "object_id"))

    erase(client, ada, tess)

    label = f"Erased user #{tess.pk}"
    assert list(history.values_list("pk", "user_id", "action_time", "object_id")) == before
    assert [(entry.object_repr, entry.change_message) for entry in history] == [
        (label, '[{"changed": {"fields": ["Job title"]}}]'),
        (label, '[{"added": {}}]'),
        ("Pat Partner", f"Review partner set to {label} ({label})."),
    ]
    about_tess = history.get(object_id=str(tess.pk), content_type__model="user")
    assert about_tess.get_change_message() == "Changed Job title."


def test_it_keeps_the_partners_evidence_and_reflection(client, ada, tess, pat, world):
    erase(client, ada, tess)

    remaining = Evidence.objects.filter(stage__review=world.review).order_by("pk")
    assert list(remaining.values_list("pk", flat=True)) == [world.pat_file.pk, world.pat_note.pk]
    with world.pat_file.file.open("rb") as handle:
        assert handle.read() == PAT_FILE_BYTES
    # Kept as Pat's record, without Tess's name in it.
    erased = f"Erased user #{tess.pk}"
    pat_note = remaining.get(pk=world.pat_note.pk)
    assert pat_note.title == f"Interview plan agreed with {erased}"
    assert pat_note.note == f"Sent to {erased} after the review team meeting."
    assert remaining.get(pk=world.pat_file.pk).original_filename == f"team-for-{erased}.png"
    assert ReflectionAnswer.objects.filter(
        progress__enrolment__user=pat, answer__contains=PAT_REFLECTION_WORD
    ).exists()
    pat.refresh_from_db()
    assert (pat.full_name, pat.is_active) == ("Pat Partner", True)


def test_it_still_verifies_the_certificate_with_the_name_withdrawn(client, ada, tess, world):
    certificate = world.certificate
    erase(client, ada, tess)
    client.logout()

    response = client.get(reverse("certificate_verify_code", args=[certificate.verification_code]))

    body = response.content.decode()
    assert response.status_code == 200
    assert certificate.number in body
    assert "This certificate is valid" in body
    assert "Name withdrawn at the holder’s request" in body
    assert "Tess" not in body and "Erased user" not in body
    certificate.refresh_from_db()
    assert (certificate.status, certificate.number, certificate.listed_on_register) == (
        "issued",
        world.certificate.number,
        False,
    )


def test_it_takes_the_holder_off_the_register_and_off_lookup_by_surname(client, ada, tess, world):
    assert "Tess Trainee" in client.get(reverse("public_register")).content.decode()
    erase(client, ada, tess)
    client.logout()

    register = client.get(reverse("public_register")).content.decode()
    assert world.certificate.number not in register
    for surname in ("Trainee", f"#{tess.pk}", "Erased user"):
        response = client.post(
            reverse("certificate_verify"),
            {"number": world.certificate.number, "surname": surname},
        )
        assert response.status_code == 404


def test_it_records_the_erasure_in_the_audit_and_security_logs(
    client, ada, tess, world, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.INFO, logger="learning_platform.security"):
        erase(client, ada, tess, capture=django_capture_on_commit_callbacks)

    entry = ModelLogEntry.objects.get(action="accounts.user.erase")
    assert (entry.user_id, entry.object_id) == (ada.pk, str(tess.pk))
    assert entry.label == f"Erased user #{tess.pk}"
    [line] = [
        r.getMessage() for r in caplog.records if r.getMessage().startswith("personal_data_erased ")
    ]
    assert line == f"personal_data_erased user_id={tess.pk} by={ada.pk}"


def test_it_erases_a_supervisor_and_keeps_their_trainees_records(client, ada, tess, sam, world):
    stages = ReviewStage.objects.filter(review=world.review)
    sign_offs = list(SignOff.objects.filter(stage__in=stages).values_list("pk", "by_id"))

    erase(client, ada, sam)

    assert rows_mentioning("sam@example.org", "Sam Supervisor") == []
    assert list(SignOff.objects.filter(stage__in=stages).values_list("pk", "by_id")) == sign_offs
    submitted = SignOff.objects.get(stage__in=stages, decision=SignOff.Decision.SUBMITTED)
    assert submitted.comment == f"Ready for you, Erased user #{sam.pk}."
    assert Evidence.objects.filter(stage__review=world.review).count() == 4
    assert ReflectionAnswer.objects.filter(answer__contains=TESS_REFLECTION_WORD).exists()
    tess.refresh_from_db()
    assert (tess.full_name, tess.is_active) == ("Tess Trainee", True)
