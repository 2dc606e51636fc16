"""The worlds several test directories build the same way: the fixtures in tests/conftest.py
call these.

- The courses world: Tess and Pat enrolled on a cohort of a two-module course, Tess having
  completed the first module and answered its reflective question, and an invitation waiting.
- The accreditation world: Tess and Pat's supervised review through to Tess's certificate, with
  a file, a note, register entries, a supervision session and a bulk re-render; Uma (supervised
  by Sid) has her own review (``draft_review``) and a draft application on it.

The per-app access tables, the project's access matrix and outcome table, and the date checks
all build these, so a URL is tried against the same objects everywhere.
"""

from django.utils import timezone

from accreditation.models import CpdActivityType, FactorLevel, Region
from accreditation.services.applications import application_save_draft
from accreditation.services.bulk import bulk_issue_start_for_cohort
from accreditation.services.evidence import evidence_add_file, evidence_add_note
from courses.models import ModuleProgress, ReflectionAnswer

from .accreditation.award_builders import approve, make_ready, submit
from .accreditation.conduct_helpers import add_conduct_records
from .accreditation.factories import (
    PDF_BYTES,
    add_register_entries,
    categories,
    finding_categories,
    record_group_session,
    stage,
    upload,
)
from .accreditation.lifecycle_builders import add_appeal_and_cpd
from .accreditation.outcome_rows_renewal import add_renewal_world
from .courses.factories import InvitationFactory, TrainingDayFactory

TESS_REFLECTION = "Tess wrote this privately."
INVITATION_TOKEN = "matrix-invitation-token"


def block_id(module, block_type):
    return next(item["id"] for item in module.body.raw_data if item["type"] == block_type)


def build_courses_world(*, client, course, modules, cohort, tess_enrolment, ada) -> dict:
    first, second = modules
    progress = ModuleProgress.objects.create(
        enrolment=tess_enrolment, module=first, completed_at=timezone.now()
    )
    ReflectionAnswer.objects.create(
        progress=progress,
        block_id=block_id(first, "reflective_question"),
        answer=TESS_REFLECTION,
    )
    InvitationFactory(
        cohort=cohort,
        token=INVITATION_TOKEN,
        email="new.trainee@example.org",
        full_name="New Trainee",
        invited_by=ada,
    )
    return {
        "client": client,
        "course": course,
        "first": first,
        "second": second,
        "cohort": cohort,
        "calendar_token": cohort.calendar_token,
        "day": TrainingDayFactory(cohort=cohort, title="Day 1: systems thinking"),
        "tess_enrolment": tess_enrolment,
    }


def build_accreditation_world(*, tess, pat, uma, sam, ali, ada, review, capture_on_commit) -> dict:
    """The objects' ids (and the certificate's verification code), by the name the access
    tables use for them."""
    evidence = evidence_add_file(
        stage=stage(review, 1), user=tess, title="Scope", upload=upload("scope.pdf", PDF_BYTES)
    )
    note = evidence_add_note(
        stage=stage(review, 2), user=tess, title="Conversation log", note="Seven held."
    )
    episode, pattern = add_register_entries(review, tess)
    conduct_ids = add_conduct_records(review, tess)
    session = record_group_session(sam, [tess, pat])
    make_ready(tess, review)
    with capture_on_commit(execute=True):
        certificate = approve(submit(tess), ali)
    certificate.refresh_from_db()
    assert certificate.pdf
    draft = application_save_draft(trainee=uma, reflective_statement="Draft")
    cohort = tess.enrolments.get().cohort
    with capture_on_commit(execute=True):
        bulk = bulk_issue_start_for_cohort(cohort=cohort, by=ada, kind="rerender")
    bulk.refresh_from_db()
    assert bulk.zip_file
    return {
        "review": review.pk,
        "stage": stage(review, 1).pk,
        "reopen_stage": stage(review, 5).pk,
        "kpe_stage": stage(review, 3).pk,
        "pattern_stage": stage(review, 4).pk,
        "evidence": evidence.pk,
        "note": note.pk,
        "episode": episode.pk,
        "pattern": pattern.pk,
        "session": session.pk,
        "application": certificate.application_id,
        "draft": draft.pk,
        "draft_review": draft.review_id,
        "certificate": certificate.pk,
        "code": certificate.verification_code,
        "certificate_number": certificate.number,
        # The revocation status list that holds the certificate's credential.
        "status_list": certificate.credentials.get().status_list,
        # Renewal, expiry and supersession; appeals and the CPD log
        **add_renewal_world(certificate),
        **add_appeal_and_cpd(tess=certificate.holder),
        "scheme": review.scheme_id,
        "category": categories()[0].pk,
        "finding_category": finding_categories()[0].pk,
        "factor_level": FactorLevel.objects.first().pk,
        "review_type": review.review_type_id,
        "cpd_activity_type": CpdActivityType.objects.order_by("pk").first().pk,
        "region": Region.objects.order_by("pk").first().pk,
        "cohort": cohort.pk,
        "bulk": bulk.pk,
        **conduct_ids,
    }
