"""Tess's whole record, built through the services, for the export and erasure tests.

Tess leads a review with Pat as her partner, supervised by Sam; both trainees reflect on a
module; Tess is accredited by Ali and lists her certificate on the public register. Pat's
evidence on the shared review names Tess, and Tess once had an invitation sent to her other
address. The Django admin's history holds an edit of her account, the address added to it and
an edit of Pat's account that names her.
"""

import json
from dataclasses import dataclass

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from wagtail.models import Comment, CommentReply

from allauth.account.models import EmailAddress

from accreditation.models import Certificate, Evidence, SupervisionSession
from accreditation.services.evidence import evidence_add_file, evidence_add_note
from accreditation.services.stages import stage_approve, stage_submit
from courses.models import Enrolment, ModulePage
from courses.services.progress import knowledge_check_submit, reflection_answer_save
from tests.accreditation.award_builders import (
    STATEMENT,
    approve,
    approve_all_stages,
    complete_modules,
    log_supervision,
    recommend,
    submit,
)
from tests.accreditation.factories import (
    PDF_BYTES,
    PNG_BYTES,
    SupervisedReviewFactory,
    stage,
    upload,
)
from tests.courses.factories import (
    CohortFactory,
    EnrolmentFactory,
    InvitationFactory,
    add_module,
    build_course,
    knowledge_check_block,
    reflection_block,
)
from tests.factories import PASSWORD

# Words that appear only in one person's private writing, so a search for them proves a leak.
TESS_REFLECTION_WORD = "Quillfeather"
PAT_REFLECTION_WORD = "Marmalution"
TESS_NOTE_WORD = "Brambleworth"
TESS_STATEMENT_WORD = "Lanternhollow"
TESS_FILE_BYTES = PDF_BYTES + b"% Tess's own stage one evidence\n"
PAT_FILE_BYTES = PNG_BYTES
# Pat's record names Tess by her first name only, and at an address that is not her login.
PAT_NOTE_TITLE = "Interview plan agreed with Tess"
PAT_FILE_NAME = "team-for-tess.png"
TESS_OTHER_EMAIL = "tess.home@example.org"
# An older, plain-text Django admin change message on Pat's account.
PAT_ADMIN_MESSAGE = "Review partner set to Tess Trainee (tess@example.org)."


def erase_url(user) -> str:
    return reverse("wagtailusers_users:erase", args=[user.pk])


def sign_in_recently(client, user) -> None:
    """Signed in, and the password confirmed again just now, as erasure asks of an admin."""
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.status_code


def erase(client, admin, user, email=None, capture=None):
    """``admin`` erases ``user`` on the confirmation page; on-commit work runs if ``capture``."""
    sign_in_recently(client, admin)
    data = {"email": user.email if email is None else email}
    if capture is None:
        return client.post(erase_url(user), data)
    with capture(execute=True):
        return client.post(erase_url(user), data)


def admin_log(actor, obj, action_flag: int, message: str) -> LogEntry:
    """A row of the Django admin's history, as the admin writes it when `actor` saves `obj`."""
    return LogEntry.objects.create(
        user=actor,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj),
        action_flag=action_flag,
        change_message=message,
    )


@dataclass
class World:
    enrolment: Enrolment
    module: ModulePage
    review: object
    tess_file: Evidence
    tess_note: Evidence
    pat_file: Evidence
    pat_note: Evidence
    certificate: Certificate


def build_world(tess, pat, sam, ali, capture_on_commit) -> World:
    course = build_course(title="Lead reviewer programme")
    reflection = reflection_block("What did the case teach you about your own agency?")
    check = knowledge_check_block()
    module = add_module(course, title="Systems thinking", body=[reflection, check])
    cohort = CohortFactory(course=course)
    EmailAddress.objects.create(user=tess, email=TESS_OTHER_EMAIL, verified=True, primary=False)
    InvitationFactory(cohort=cohort, email=TESS_OTHER_EMAIL, full_name="Tess Trainee")
    enrolment = EnrolmentFactory(user=tess, cohort=cohort, supervisor=sam, review_partner=pat)
    pat_enrolment = EnrolmentFactory(user=pat, cohort=cohort, supervisor=sam, review_partner=tess)
    reflection_answer_save(
        enrolment=enrolment,
        module=module,
        block_id=reflection["id"],
        answer=f"I noticed the {TESS_REFLECTION_WORD} effect in my own team's handovers.",
    )
    knowledge_check_submit(
        enrolment=enrolment, module=module, block_id=check["id"], answers={0: 0, 1: 1}
    )
    reflection_answer_save(
        enrolment=pat_enrolment,
        module=module,
        block_id=reflection["id"],
        answer=f"Privately, {PAT_REFLECTION_WORD} is how I think about my manager.",
    )

    review = SupervisedReviewFactory(
        trainee=tess, partner=pat, supervisor=sam, case_reference="Child K"
    )
    first = stage(review, 1)
    tess_file = evidence_add_file(
        stage=first,
        user=tess,
        title="Scoping notes",
        upload=upload("scope.pdf", TESS_FILE_BYTES),
    )
    tess_note = evidence_add_note(
        stage=first,
        user=tess,
        title="Research questions",
        note=f"Questions drafted at the {TESS_NOTE_WORD} meeting by Tess Trainee.",
    )
    pat_file = evidence_add_file(
        stage=first,
        user=pat,
        title="Review team list",
        upload=upload(PAT_FILE_NAME, PAT_FILE_BYTES, "image/png"),
    )
    pat_note = evidence_add_note(
        stage=first,
        user=pat,
        title=PAT_NOTE_TITLE,
        note="Sent to Tess Trainee after the review team meeting.",
    )
    stage_submit(stage=first, user=tess, comment="Ready for you, Sam.")
    stage_approve(stage=first, user=sam, comment="Clear scope, Tess Trainee. Well done, Tess.")

    # An editor's comment on a course page, and a reply, naming her.
    comment = Comment.objects.create(
        page=module, user=ali, text="Tess Trainee suggested this example.", contentpath="title"
    )
    CommentReply.objects.create(comment=comment, user=sam, text="Thanks, Tess.")
    other_address = EmailAddress.objects.get(email=TESS_OTHER_EMAIL)
    admin_log(ali, tess, CHANGE, json.dumps([{"changed": {"fields": ["Job title"]}}]))
    admin_log(ali, other_address, ADDITION, json.dumps([{"added": {}}]))
    admin_log(ali, pat, CHANGE, PAT_ADMIN_MESSAGE)

    complete_modules(enrolment)
    approve_all_stages(review)
    log_supervision(tess, sam)
    recommend(tess, review, statement="Tess Trainee is ready.")
    SupervisionSession.objects.filter(attendees__trainee=tess).update(
        notes="Tess Trainee led the discussion of the second episode."
    )
    application = submit(
        tess,
        f"Leading the review showed me the {TESS_STATEMENT_WORD} of local rationality. "
        + STATEMENT,
    )
    with capture_on_commit(execute=True):
        certificate = approve(application, ali, reasons="Tess Trainee's portfolio is thorough.")
    Certificate.objects.filter(pk=certificate.pk).update(listed_on_register=True)
    certificate.refresh_from_db()
    return World(
        enrolment=enrolment,
        module=module,
        review=review,
        tess_file=tess_file,
        tess_note=tess_note,
        pat_file=pat_file,
        pat_note=pat_note,
        certificate=certificate,
    )
