"""The accreditation part of a person's data: supervised reviews, evidence, sign-offs,
supervision, applications, decisions and certificates.

What is "theirs" for the export: a review the person leads or is the partner on is shared, so
all of it is in their export (stages, every piece of evidence and its files, sign-offs, the
registers, the review's people, conversations and meetings). A supervisor's export has the
people, conversations and meetings of the reviews they supervise; a lead reviewer's lists the
conversations they held. Applications, decisions on them and certificates belong to one person
only. A supervisor's or assessor's export lists the sign-offs, decisions and sessions they
recorded.

Erasure decisions, field by field:

- Evidence the person added (notes and files), and every piece of evidence on a review nobody
  else still holds (no partner, or the partner was erased too): rows deleted, files deleted from
  storage after the commit. Evidence a partner added on a shared review stays: it is the
  partner's record, with the person's identifiers replaced in its title, note and file name
  (the file's contents are the partner's and are not rewritten). The audit entries about
  deleted evidence keep their action and time but lose the title and file name.
- Sign-offs, decisions (with their criterion judgements, on applications and on renewals,
  the person's own and those they made as an assessor) and certificate events: append-only
  audit, kept with who and when. The person's name and addresses are replaced by "Erased user
  #<id>" in their comments and reasons, on the person's own records and on those they wrote.
- Reviews the person leads or partners on: kept (the case reference is pseudonymous), with the
  person's identifiers replaced in the registers' free text and in that of the review's
  people, conversations and meetings.
- Applications: the reflective statement (the person's own free text) is emptied; status and
  dates stay, as the decisions refer to them.
- Supervision sessions the person led or attended: kept, attendance included, as other
  trainees' records count them; the person's identifiers are replaced in the notes.
- Certificates: number, status and dates stay, so a verifier is still answered; the
  verification page then says the name was withdrawn at the holder's request. The listing on
  the public register is withdrawn and the PDF (which prints the name) is deleted after commit.
  Each certificate's Open Badges credential is revoked in the status list and withdrawn: its
  signed copy (which carries the name) is deleted, and its endpoints answer 410.
- The register profile (organisation shown, regions, contact on or off), the messages sent
  to the person through the register and those sent from one of their verified addresses:
  deleted (this app's erasure runs before the accounts app replaces the addresses).
- Appeals: the grounds (the person's own account) are replaced whole; the kind, status, dates
  and outcome stay, the outcome's reasons losing the person's identifiers. CPD entries: rows
  deleted, evidence files deleted after commit, their audit entries losing title and file name.
- Bulk issue jobs: kept, with their counts and items, but the ZIP of any job that holds one of
  the person's certificates is deleted after commit (it holds a copy of the PDF); the job's page
  then says the ZIP was withdrawn because a holder's data was erased.
"""

from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django.utils import timezone

from wagtail.models import ModelLogEntry

from allauth.account.models import EmailAddress

from learning_platform import public_cache
from learning_platform.accounts.personal_data.redaction import REDACTED, redactor_for

from .export_records import (
    appeal_record,
    application_record,
    certificate_record,
    conduct_record,
    conversation_record,
    cpd_entry_record,
    cpd_evidence_path,
    evidence_path,
    judgement_records,
    recommendation_record,
    renewal_record,
    review_record,
    session_record,
    sign_off_record,
)
from .models import (
    AccreditationApplication,
    Appeal,
    AppealDecision,
    BulkIssue,
    CaseGroupParticipant,
    Certificate,
    CertificateEvent,
    ContactMessage,
    ContributoryFactor,
    Conversation,
    CpdEntry,
    CriterionJudgement,
    Decision,
    Evidence,
    FamilyInvolvement,
    Finding,
    IssueForBoard,
    KeyPracticeEpisode,
    RegisterProfile,
    RenewalApplication,
    RenewalDecision,
    RenewalReview,
    ReviewMeeting,
    ReviewStage,
    ReviewTeamMember,
    SignOff,
    SupervisedReview,
    SupervisionAttendance,
    SupervisionSession,
    SupervisorRecommendation,
)
from .models.review import review_carried_out_by
from .services.credentials import credentials_withdraw


def user_data(user) -> dict:
    reviews = (
        SupervisedReview.objects.carried_out_by(user)
        .select_related(
            "review_type", "trainee", "partner", "supervisor", "commissioning_organisation"
        )
        .prefetch_related(
            Prefetch(
                "stages",
                queryset=ReviewStage.objects.select_related("definition").order_by("sort_order"),
            ),
            Prefetch("stages__evidence", queryset=Evidence.objects.select_related("uploaded_by")),
            Prefetch("stages__sign_offs", queryset=SignOff.objects.select_related("by")),
            Prefetch(
                "key_practice_episodes__contributory_factors",
                queryset=ContributoryFactor.objects.select_related("category"),
            ),
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related("category").prefetch_related(
                    "episodes", "issues_for_board"
                ),
            ),
        )
        .order_by("start_date", "pk")
    )
    attended = (
        SupervisionAttendance.objects.filter(trainee=user)
        .select_related("session__supervisor")
        .order_by("session__date", "pk")
    )
    applications = (
        AccreditationApplication.objects.filter(trainee=user)
        .select_related("review", "scheme")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("assessor").prefetch_related("judgements"),
            )
        )
        .order_by("created_at")
    )
    certificates = (
        Certificate.objects.filter(holder=user)
        .select_related("scheme")
        .prefetch_related(
            Prefetch("events", queryset=CertificateEvent.objects.select_related("by"))
        )
        .order_by("issued_at", "pk")
    )
    own_reviews = SupervisedReview.objects.carried_out_by(user).values("pk")
    return {
        **_conduct_data(user),
        "supervised_reviews": [review_record(review, user) for review in reviews],
        "sign_offs_made_on_others_reviews": [
            {
                "case_reference": sign_off.stage.review.case_reference,
                "stage": sign_off.stage.definition.title,
                **sign_off_record(sign_off),
            }
            for sign_off in SignOff.objects.filter(by=user)
            .exclude(stage__review__in=own_reviews)
            .select_related("stage__review", "stage__definition", "by")
            .order_by("created_at", "pk")
        ],
        "supervision_sessions_attended": [
            {**session_record(row.session), "attendance_confirmed_at": row.confirmed_at}
            for row in attended
        ],
        "supervision_sessions_led": [
            session_record(session)
            for session in SupervisionSession.objects.filter(supervisor=user)
            .select_related("supervisor")
            .order_by("date", "pk")
        ],
        "applications": [application_record(application) for application in applications],
        "decisions_made": [
            {
                "application_id": decision.application_id,
                "outcome": decision.get_outcome_display(),
                "reasons": decision.reasons,
                "required_actions": decision.required_actions,
                "at": decision.created_at,
                "criteria": judgement_records(decision),
            }
            for decision in Decision.objects.filter(assessor=user)
            .prefetch_related("judgements")
            .order_by("created_at", "pk")
        ],
        **_recommendation_data(user),
        "certificates": [certificate_record(certificate) for certificate in certificates],
        **_register_data(user),
        # Renewal, expiry and supersession
        "renewals": [
            renewal_record(renewal)
            for renewal in RenewalApplication.objects.filter(holder=user)
            .select_related("certificate", "scheme")
            .prefetch_related(
                "reviews",
                Prefetch(
                    "decisions",
                    queryset=RenewalDecision.objects.select_related("assessor").prefetch_related(
                        "judgements"
                    ),
                ),
            )
            .order_by("created_at", "pk")
        ],
        "renewal_decisions_made": [
            {
                "renewal_id": decision.renewal_id,
                "outcome": decision.get_outcome_display(),
                "reasons": decision.reasons,
                "required_actions": decision.required_actions,
                "at": decision.created_at,
                "criteria": judgement_records(decision),
            }
            for decision in RenewalDecision.objects.filter(assessor=user)
            .prefetch_related("judgements")
            .order_by("created_at", "pk")
        ],
    }


def _recommendation_data(user) -> dict:
    """The supervisor's recommendations: those about the person, and those they made."""
    recommendations = SupervisorRecommendation.objects.select_related(
        "review", "trainee", "supervisor"
    ).order_by("created_at", "pk")
    return {
        "supervisor_recommendations_received": [
            recommendation_record(row) for row in recommendations.filter(trainee=user)
        ],
        "supervisor_recommendations_made": [
            recommendation_record(row) for row in recommendations.filter(supervisor=user)
        ],
        **_appeal_and_cpd_data(user),
    }


# Appeals and the CPD log: the person's appeals (grounds and outcome), the appeal decisions they
# made as an assessor, and their CPD entries with the evidence files (in user_files).


def _appeal_and_cpd_data(user) -> dict:
    appeals = (
        Appeal.objects.filter(appellant=user)
        .select_related("outcome__assessor")
        .order_by("lodged_at", "pk")
    )
    return {
        "appeals": [appeal_record(appeal) for appeal in appeals],
        "appeal_decisions_made": [
            {
                "appeal_id": outcome.appeal_id,
                "outcome": outcome.get_outcome_display(),
                "reasons": outcome.reasons,
                "at": outcome.created_at,
            }
            for outcome in AppealDecision.objects.filter(assessor=user).order_by("created_at", "pk")
        ],
        "cpd_entries": [
            cpd_entry_record(entry)
            for entry in CpdEntry.objects.filter(person=user)
            .select_related("activity_type")
            .order_by("date", "pk")
        ],
    }


def _erase_appeals_and_cpd(user, redactor) -> None:
    # The grounds are the person's own account, like a withdrawal reason: replaced whole. The
    # outcome's reasons, another's record, lose only the person's identifiers.
    Appeal.objects.filter(appellant=user).update(grounds=REDACTED)
    redactor.redact_rows(
        AppealDecision.objects.filter(Q(appeal__appellant=user) | Q(assessor=user)), ["reasons"]
    )
    entries = list(CpdEntry.objects.filter(person=user))
    files = [(entry.evidence.storage, entry.evidence.name) for entry in entries if entry.evidence]
    ids = [str(entry.pk) for entry in entries]
    # The audit entries keep what was done and when, not what it was.
    for log_entry in ModelLogEntry.objects.filter(
        action__startswith="accreditation.cpd.", object_id__in=ids
    ):
        data = dict(log_entry.data or {})
        data.update(title=REDACTED, filename=REDACTED)
        ModelLogEntry.objects.filter(pk=log_entry.pk).update(data=data)
    CpdEntry.objects.filter(person=user).delete()
    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


def _conduct_data(user) -> dict:
    """The records of how each review the person works on or supervises is run, and the
    conversations the person held as lead reviewer."""
    participants = CaseGroupParticipant.objects.order_by("pk")
    conversations = Conversation.objects.select_related("lead_reviewer").prefetch_related(
        Prefetch("participants", queryset=participants)
    )
    reviews = (
        SupervisedReview.objects.filter(review_carried_out_by(user) | Q(supervisor=user))
        .prefetch_related(
            "team_members",
            "case_group",
            "family_involvement",
            Prefetch("conversations", queryset=conversations),
            Prefetch(
                "meetings",
                queryset=ReviewMeeting.objects.prefetch_related(
                    Prefetch("team_attendees", queryset=ReviewTeamMember.objects.order_by("pk")),
                    Prefetch("group_attendees", queryset=participants),
                ),
            ),
        )
        .order_by("start_date", "pk")
    )
    led = conversations.filter(lead_reviewer=user).select_related("review").order_by("date", "pk")
    return {
        "review_records": [conduct_record(review, user) for review in reviews],
        "conversations_led": [
            {"case_reference": item.review.case_reference, **conversation_record(item)}
            for item in led
        ],
    }


def _opener(field_file):
    storage, name = field_file.storage, field_file.name
    return lambda: storage.open(name, "rb")


def user_files(user) -> list:
    evidence = (
        Evidence.objects.filter(
            stage__review__in=SupervisedReview.objects.carried_out_by(user).values("pk"),
            purged_at=None,
        )
        .exclude(file="")
        .select_related("stage")
        .order_by("stage__review_id", "stage__sort_order", "pk")
    )
    files = [(evidence_path(item), _opener(item.file)) for item in evidence]
    files += [
        (f"files/certificates/{certificate.number}.pdf", _opener(certificate.pdf))
        for certificate in Certificate.objects.filter(holder=user).exclude(pdf="").order_by("pk")
    ]
    files += [
        (cpd_evidence_path(entry), _opener(entry.evidence))
        for entry in CpdEntry.objects.filter(person=user).exclude(evidence="").order_by("pk")
    ]
    return files


def evidence_to_erase(user):
    """Evidence the person added, and all evidence on a review nobody else still holds (no
    partner, or a partner whose data was erased too)."""
    reviews = SupervisedReview.objects.carried_out_by(user).select_related("trainee", "partner")
    orphaned = [
        review.pk
        for review in reviews
        if all(
            person is None or person.pk == user.pk or person.erased_at is not None
            for person in (review.trainee, review.partner)
        )
    ]
    return Evidence.objects.filter(Q(uploaded_by=user) | Q(stage__review__in=orphaned))


def erasure_counts(user) -> dict[str, int]:
    return {
        "evidence": evidence_to_erase(user).count(),
        "applications": AccreditationApplication.objects.filter(trainee=user).count(),
        "certificates": Certificate.objects.filter(holder=user).count(),
        "appeals": Appeal.objects.filter(appellant=user).count(),
        "cpd_entries": CpdEntry.objects.filter(person=user).count(),
    }


def user_name_is_published(user) -> bool:
    """Whether a certificate that was issued carries the person's name (suspended and revoked
    ones too: their verification page still shows it). A pending one has not been issued yet."""
    return Certificate.objects.awarded().filter(holder=user).exists()


def erase_user(user) -> None:
    redactor = redactor_for(user)
    review_ids = list(SupervisedReview.objects.carried_out_by(user).values_list("pk", flat=True))
    _delete_evidence(evidence_to_erase(user))
    # What is left is the partner's evidence; it may still name the person ("notes from Tess").
    redactor.redact_rows(
        Evidence.objects.filter(stage__review__in=review_ids),
        ["title", "note", "original_filename"],
    )

    # Comments on reviews the person supervised address them too ("Thanks, Sam").
    supervised = SupervisedReview.objects.filter(supervisor=user).values("pk")
    redactor.redact_rows(
        SignOff.objects.filter(
            Q(stage__review__in=review_ids) | Q(stage__review__in=supervised) | Q(by=user)
        ),
        ["comment"],
    )
    redactor.redact_rows(
        KeyPracticeEpisode.objects.filter(review__in=review_ids),
        list(KeyPracticeEpisode.TEXT_FIELDS),
    )
    redactor.redact_rows(
        ContributoryFactor.objects.filter(episode__review__in=review_ids), ["description"]
    )
    redactor.redact_rows(Finding.objects.filter(review__in=review_ids), list(Finding.TEXT_FIELDS))
    # The records of how the review was run, as its registers.
    for model in (
        ReviewTeamMember,
        CaseGroupParticipant,
        FamilyInvolvement,
        Conversation,
        ReviewMeeting,
    ):
        redactor.redact_rows(model.objects.filter(review__in=review_ids), list(model.TEXT_FIELDS))
    redactor.redact_rows(IssueForBoard.objects.filter(finding__review__in=review_ids), ["text"])
    redactor.redact_rows(
        SupervisionSession.objects.filter(
            Q(supervisor=user) | Q(attendees__trainee=user)
        ).distinct(),
        ["notes"],
    )

    AccreditationApplication.objects.filter(trainee=user).update(reflective_statement="")
    redactor.redact_rows(
        Decision.objects.filter(Q(application__trainee=user) | Q(assessor=user)),
        ["reasons", "required_actions"],
    )
    # Criteria, the supervisor's recommendation: identifiers in what was written, as decisions.
    redactor.redact_rows(
        CriterionJudgement.objects.filter(
            Q(decision__application__trainee=user) | Q(decision__assessor=user)
        ),
        ["comment"],
    )
    redactor.redact_rows(
        SupervisorRecommendation.objects.filter(Q(trainee=user) | Q(supervisor=user)),
        ["statement"],
    )

    redactor.redact_rows(
        CertificateEvent.objects.filter(Q(certificate__holder=user) | Q(by=user)), ["reason"]
    )
    # Renewal, expiry and supersession: the holder's statement goes; the reviews they named and
    # the decisions (with their judgements) stay as records, redacted of the person's name.
    RenewalApplication.objects.filter(holder=user).update(practice_statement="")
    redactor.redact_rows(RenewalReview.objects.filter(renewal__holder=user), ["title"])
    redactor.redact_rows(
        CriterionJudgement.objects.filter(
            Q(renewal_decision__renewal__holder=user) | Q(renewal_decision__assessor=user)
        ),
        ["comment"],
    )
    redactor.redact_rows(
        RenewalDecision.objects.filter(Q(renewal__holder=user) | Q(assessor=user)),
        ["reasons", "required_actions"],
    )
    # Locked (in number order, as a bulk job locks them to attach its ZIP), so a PDF a worker is
    # attaching right now is either seen here or refused there, and a ZIP being attached is
    # either stale there or withdrawn below.
    certificates = Certificate.objects.filter(holder=user)
    pdfs = [
        (item.pdf.storage, item.pdf.name)
        for item in certificates.select_for_update().order_by("number")
        if item.pdf
    ]
    certificates.update(listed_on_register=False, pdf="", pdf_sha256="")
    # An update sends no signal: the register and verification pages must drop the holder now.
    public_cache.invalidate(public_cache.CERTIFICATES)
    credentials_withdraw(holder=user)
    for storage, name in pdfs:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    _withdraw_bulk_zips(certificates)
    _erase_register(user)
    _erase_appeals_and_cpd(user, redactor)


def _withdraw_bulk_zips(certificates) -> None:
    """A bulk job's ZIP holds a copy of each certificate's PDF: withdraw every ZIP that holds
    one of the person's, whoever else's certificates are in it too."""
    jobs = dict(
        BulkIssue.objects.filter(items__certificate__in=certificates)
        .exclude(zip_file="")
        .values_list("pk", "zip_file")
        .distinct()
    )
    if not jobs:
        return
    BulkIssue.objects.filter(pk__in=jobs).update(zip_file="", zip_withdrawn_at=timezone.now())
    storage = BulkIssue._meta.get_field("zip_file").storage
    for name in jobs.values():
        transaction.on_commit(lambda name=name: storage.delete(name))


def _delete_evidence(queryset) -> None:
    doomed = list(queryset.select_related("stage"))
    if not doomed:
        return
    files = [(item.file.storage, item.file.name) for item in doomed if item.file]
    ids = {item.pk for item in doomed}
    stage_ids = {item.stage_id for item in doomed}
    # The audit entries about this evidence keep what was done and when, not what it was.
    for entry in ModelLogEntry.objects.filter(
        action__startswith="accreditation.evidence.", object_id__in=[str(pk) for pk in stage_ids]
    ):
        data = dict(entry.data or {})
        if data.get("evidence_id") in ids:
            data.update(title=REDACTED, filename=REDACTED)
            if "previous_title" in data:
                data["previous_title"] = REDACTED
            ModelLogEntry.objects.filter(pk=entry.pk).update(data=data)
    Evidence.objects.filter(pk__in=ids).delete()
    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


# The public register ------------------------------------------------------------------------


def _register_data(user) -> dict:
    profile = RegisterProfile.objects.filter(person=user).prefetch_related("regions").first()
    return {
        "register_profile": None
        if profile is None
        else {
            "show_organisation": profile.show_organisation,
            "regions": [region.name for region in profile.regions.all()],
            "accept_messages": profile.contact_enabled,
            "updated_at": profile.updated_at,
        },
        "messages_received_through_the_register": [
            {
                "from": message.sender_name,
                "organisation": message.sender_organisation,
                "email": message.sender_email,
                "message": message.message,
                "at": message.created_at,
            }
            for message in ContactMessage.objects.filter(holder=user).order_by("created_at", "pk")
        ],
        "messages_sent_through_the_register": [
            {
                "to": message.holder.full_name,
                "from": message.sender_name,
                "organisation": message.sender_organisation,
                "email": message.sender_email,
                "message": message.message,
                "at": message.created_at,
            }
            for message in _messages_sent_by(user)
            .select_related("holder")
            .order_by("created_at", "pk")
        ],
    }


def _messages_sent_by(user):
    """Messages sent through the register from one of the person's own addresses (those they
    verified here, as for enquiries through the contact form: an address anyone could type
    proves nothing). A match on the address, not proof of authorship; it errs towards the
    person. Read before the accounts app replaces the person's addresses."""
    verified = (
        EmailAddress.objects.filter(user=user, verified=True)
        .annotate(address=Lower("email"))
        .values("address")
    )
    # One query: the addresses are compared lower-cased, as ``user_emails`` lists them.
    return ContactMessage.objects.annotate(sent_from=Lower("sender_email")).filter(
        sent_from__in=verified
    )


def _erase_register(user) -> None:
    RegisterProfile.objects.filter(person=user).delete()
    ContactMessage.objects.filter(holder=user).delete()
    _messages_sent_by(user).delete()
