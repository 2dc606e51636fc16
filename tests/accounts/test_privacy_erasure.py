import logging
from datetime import UTC, datetime, timedelta

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
from learning_platform.accounts.management.commands.demo_totp import current_code
from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role
from tests.accreditation.award_builders import log_supervision
from tests.accreditation.factories import SupervisedReviewFactory
from tests.factories import PASSWORD, give_totp, make_persona

from .privacy_scenario import (
    PAT_FILE_BYTES,
    PAT_FILE_NAME,
    PAT_NOTE_TITLE,
    PAT_REFLECTION_WORD,
    TESS_NOTE_WORD,
    TESS_OTHER_EMAIL,
    TESS_REFLECTION_WORD,
    TESS_STATEMENT_WORD,
    build_world,
    erase,
    erase_url,
    sign_in_recently,
)

pytestmark = pytest.mark.django_db

ERASE_PAGE_QUERIES = 22
TEXT_TYPES = {"CharField", "TextField", "JSONField", "EmailField", "SlugField", "URLField"}


@pytest.fixture
def world(tess, pat, sam, ali, django_capture_on_commit_callbacks):
    return build_world(tess, pat, sam, ali, django_capture_on_commit_callbacks)


@pytest.fixture
def root(db):
    user = User.objects.create_superuser("root@example.org", PASSWORD, full_name="Root Admin")
    give_totp(user)
    return user


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


def test_it_says_what_will_happen_and_asks_for_the_email(
    client, ada, tess, sam, world, django_assert_num_queries
):
    sign_in_recently(client, ada)
    # The first request looks up a content type, which then stays in the per-process cache for
    # good; whether it is cached depends on the tests run before, so the pin is on the second.
    client.get(erase_url(tess))

    with django_assert_num_queries(ERASE_PAGE_QUERIES):
        response = client.get(erase_url(tess))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Erase the personal data of Tess Trainee (tess@example.org)" in body
    assert f"Erased user #{tess.pk}" in body
    assert "delete their 1 reflection and 2 pieces of evidence" in body
    assert "Name withdrawn at the holder’s request" in body
    assert 'name="email"' in body

    # Much more of Tess's data: the page counts it, it does not fetch it row by row.
    stage = world.review.stages.get(sort_order=1)
    Evidence.objects.bulk_create(
        Evidence(stage=stage, kind=Evidence.Kind.NOTE, title=f"More {n}", uploaded_by=tess)
        for n in range(30)
    )
    log_supervision(tess, sam, group=10, individual=5)
    SupervisedReviewFactory(trainee=tess, supervisor=sam, case_reference="Family J")
    with django_assert_num_queries(ERASE_PAGE_QUERIES):
        response = client.get(erase_url(tess))
    assert "delete their 1 reflection and 32 pieces of evidence" in response.content.decode()


def test_it_offers_the_action_in_the_user_list_for_administrators(client, ada, root, tess):
    client.force_login(root)
    assert erase_url(tess) in client.get(f"/admin/users/edit/{tess.pk}/").content.decode()

    client.force_login(ada)
    listing = client.get("/admin/users/").content.decode()
    assert erase_url(tess) in listing
    assert erase_url(ada) not in listing


@pytest.mark.parametrize("persona", ["sam", "ali", "tess", "pat"])
def test_it_refuses_the_erase_screen_to_everyone_else(client, persona, request, tess, pat):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(erase_url(pat))
    post = client.post(erase_url(pat), {"email": pat.email})

    assert page.status_code in (302, 403)
    assert post.status_code in (302, 403)
    pat.refresh_from_db()
    assert (pat.erased_at, pat.full_name) == (None, "Pat Partner")


def test_it_asks_for_the_password_again_before_erasing(client, tess, world, time_machine):
    admin = make_persona("Ari Administrator", "ari@example.org", Role.PROGRAMME_ADMIN, mfa=False)
    secret = give_totp(admin)
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    client.post(reverse("account_login"), {"login": admin.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert client.session["_auth_user_id"] == str(admin.pk)
    # Past the five minutes a sign-in counts as recent, well inside the idle timeout.
    time_machine.shift(timedelta(minutes=10))

    response = client.post(erase_url(tess), {"email": tess.email})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    tess.refresh_from_db()
    assert (tess.erased_at, tess.full_name) == (None, "Tess Trainee")

    confirmed = client.post(response["Location"], {"password": PASSWORD})

    # The suspended request goes ahead once the password is confirmed.
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("wagtailusers_users:index")
    tess.refresh_from_db()
    assert tess.erased_at is not None
    assert tess.full_name == f"Erased user #{tess.pk}"


def test_it_sends_anonymous_visitors_to_sign_in(client, tess):
    response = client.get(erase_url(tess))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_it_refuses_a_wrong_confirmation_and_changes_nothing(client, ada, tess, world):
    response = erase(client, ada, tess, email="pat@example.org")

    body = response.content.decode()
    assert response.status_code == 200
    assert "The email address does not match this user" in body
    tess.refresh_from_db()
    assert (tess.full_name, tess.email, tess.erased_at) == (
        "Tess Trainee",
        "tess@example.org",
        None,
    )
    assert ReflectionAnswer.objects.filter(answer__contains=TESS_REFLECTION_WORD).exists()
    assert Evidence.objects.filter(pk=world.tess_note.pk).exists()


def test_it_asks_for_the_email_when_it_is_left_blank(client, ada, tess):
    body = erase(client, ada, tess, email="").content.decode()

    assert "Type the user&#x27;s email address to confirm the erasure." in body
    tess.refresh_from_db()
    assert tess.erased_at is None


def test_it_refuses_a_second_erasure_with_a_message(client, ada, tess, world):
    erase(client, ada, tess)
    tess.refresh_from_db()

    response = client.post(erase_url(tess), {"email": tess.email}, follow=True)

    body = response.content.decode()
    assert "already been erased" in body
    assert ModelLogEntry.objects.filter(action="accounts.user.erase").count() == 1


def test_it_refuses_to_erase_yourself(client, ada):
    sign_in_recently(client, ada)
    response = client.post(erase_url(ada), {"email": ada.email}, follow=True)

    assert "You cannot erase your own personal data" in response.content.decode()
    ada.refresh_from_db()
    assert ada.erased_at is None


def test_it_leaves_a_superuser_to_another_superuser(client, ada, root):
    sign_in_recently(client, ada)
    response = client.post(erase_url(root), {"email": root.email}, follow=True)

    assert "Only a superuser can erase a superuser" in response.content.decode()
    root.refresh_from_db()
    assert root.erased_at is None


def test_it_lets_a_superuser_erase_a_programme_administrator(client, root, ada):
    response = erase(client, root, ada)

    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.erased_at is not None
    assert ada.full_name == f"Erased user #{ada.pk}"


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
