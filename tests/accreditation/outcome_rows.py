"""The accreditation outcome table's rows for reviews, evidence, registers, supervision,
applications and certificates, with the helpers that arrange and check them.

Each ``Row`` names a URL, the object it acts on, the personas allowed, its form data, an
``arrange`` that puts the object where only the check on the person can refuse, and a
``check`` that holds once an allowed POST has made its change. The admin screens' rows are in
outcome_rows_admin.py; the tests that send them are in test_access_outcomes.py.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from django.utils import timezone

from accreditation.models import (
    AccreditationApplication,
    Appeal,
    AssessmentCriterion,
    BulkIssue,
    BulkIssueItem,
    CaseGroupParticipant,
    Certificate,
    CertificateEvent,
    ContactMessage,
    Conversation,
    CpdEntry,
    Decision,
    Evidence,
    FamilyInvolvement,
    Finding,
    KeyPracticeEpisode,
    RegisterProfile,
    ReviewMeeting,
    ReviewStage,
    ReviewTeamMember,
    SupervisedReview,
    SupervisionAttendance,
    SupervisionSession,
    SupervisorRecommendation,
)

from .award_builders import STATEMENT
from .factories import (
    PDF_BYTES,
    upload,
)
from .lifecycle_builders import cpd_form_data

Status = ReviewStage.Status
AppStatus = AccreditationApplication.Status
PAIR = frozenset({"tess", "pat"})
NOBODY = frozenset()


# Arranging one row's state (inside the savepoint, so it is undone with the request) ------------


def stage_in(key: str, status: str) -> Callable:
    def arrange(w):
        ReviewStage.objects.filter(pk=w.ids[key]).update(status=status)

    return arrange


def application_in(status: str, *, and_stage: tuple[str, str] | None = None) -> Callable:
    def arrange(w):
        submitted_at = None if status == AppStatus.DRAFT else timezone.now()
        AccreditationApplication.objects.filter(pk=w.ids["application"]).update(
            status=status, submitted_at=submitted_at
        )
        if and_stage:
            stage_in(*and_stage)(w)

    return arrange


def bulk_with_a_failure(w):
    """The job finished with its one item failed: what "retry" is for."""
    BulkIssueItem.objects.filter(bulk_id=w.ids["bulk"]).update(
        status=BulkIssueItem.Status.FAILED, error="Rendering failed."
    )
    BulkIssue.objects.filter(pk=w.ids["bulk"]).update(
        status=BulkIssue.Status.FINISHED, failed=1, finished_at=timezone.now()
    )


# What an allowed POST must have changed (run before the rollback) ------------------------------


def stage_now(key: str, status: str) -> Callable:
    return lambda w, user: ReviewStage.objects.get(pk=w.ids[key]).status == status


def gone(model, key: str) -> Callable:
    return lambda w, user: not model.objects.filter(pk=w.ids[key]).exists()


def own_application(user) -> AccreditationApplication:
    return AccreditationApplication.objects.filter(trainee=user).latest("pk")


# Form data ---------------------------------------------------------------------------------


class AdminForm:
    """The form the admin screen shows programme staff, as a browser would send it back, with
    some fields changed (the admin's forms carry formsets and widgets of their own)."""

    def __init__(self, changes: Callable[[SimpleNamespace], dict] | None = None):
        self.changes = changes or (lambda w: {})


@dataclass(frozen=True)
class Row:
    name: str
    key: str | None
    allowed: frozenset
    data: Callable[[SimpleNamespace], dict] | AdminForm = lambda w: {}
    arrange: Callable[[SimpleNamespace], None] | None = None
    check: Callable[[SimpleNamespace, object], bool] | None = None


def _date_parts(name: str, day: datetime.date) -> dict:
    # Well before the sessions the world logged over the last month, so none is a duplicate.
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def _episode_data(w, title="Strategy meeting"):
    return {
        "title": title,
        "what_happened": "A meeting without health present.",
        "when": "March",
        "agencies": "Police",
        "assessment": "problematic",
        "case_group_view": "not_discussed",
    }


def _finding_data(w, title="Meetings exclude health"):
    return {
        "title": title,
        "category": w.ids["finding_category"],
        "direction": "poor_more_likely",
        "in_this_case": "Invitations go by a list that omits GPs.",
        "priority": "2",
        "episodes": [w.ids["episode"]],
        "issue_1": "How does the partnership make sure GPs are invited?",
    }


# The review as it is run: the pair and the supervisor keep its records, once no application
# holds the portfolio lock (Tess's is referred back).
KEEPERS = frozenset({"tess", "pat", "sam"})
NO_LOCK = application_in(AppStatus.REFERRED)
_PLAIN_DAY = datetime.date(2026, 2, 10)


def _conversation_data(w, notes="Planned with the health visitor."):
    return {
        "status": "planned",
        **_date_parts("date", _PLAIN_DAY),
        "participants": [w.ids["participant"]],
        "lead_reviewer": w.users["tess"].pk,
        "notes": notes,
    }


def _meeting_data(w, notes="Terms of reference agreed."):
    return {
        "kind": "review_team",
        "status": "held",
        **_date_parts("date", _PLAIN_DAY),
        "team_attendees": [w.ids["team_member"]],
        "notes": notes,
    }


def _named(model, key: str, **fields) -> Callable:
    return lambda w, user: model.objects.filter(pk=w.ids[key], **fields).exists()


CONDUCT_ROWS = [
    Row(
        "accreditation:team_member_add",
        "review",
        KEEPERS,
        lambda w: {"name": "Ann Other", "role": "Head of service", "agency": "Health"},
        arrange=NO_LOCK,
        check=lambda w, user: ReviewTeamMember.objects.filter(name="Ann Other").exists(),
    ),
    Row(
        "accreditation:team_member_edit",
        "team_member",
        KEEPERS,
        lambda w: {"name": "Dee Renamed", "role": "Head", "agency": "Police"},
        arrange=NO_LOCK,
        check=_named(ReviewTeamMember, "team_member", name="Dee Renamed"),
    ),
    Row(
        "accreditation:team_member_delete",
        "spare_team_member",
        KEEPERS,
        arrange=NO_LOCK,
        check=gone(ReviewTeamMember, "spare_team_member"),
    ),
    Row(
        "accreditation:participant_add",
        "review",
        KEEPERS,
        lambda w: {"name": "K.L.", "role": "Teacher", "agency": "School", "involvement": "direct"},
        arrange=NO_LOCK,
        check=lambda w, user: CaseGroupParticipant.objects.filter(name="K.L.").exists(),
    ),
    Row(
        "accreditation:participant_edit",
        "participant",
        KEEPERS,
        lambda w: {
            "name": "J.T.",
            "role": "School nurse",
            "agency": "NHS",
            "involvement": "direct",
        },
        arrange=NO_LOCK,
        check=_named(CaseGroupParticipant, "participant", role="School nurse"),
    ),
    Row(
        "accreditation:participant_delete",
        "spare_participant",
        KEEPERS,
        arrange=NO_LOCK,
        check=gone(CaseGroupParticipant, "spare_participant"),
    ),
    Row(
        "accreditation:family_add",
        "review",
        KEEPERS,
        lambda w: {"relationship": "Grandmother", "status": "invited"},
        arrange=NO_LOCK,
        check=lambda w, user: FamilyInvolvement.objects.filter(relationship="Grandmother").exists(),
    ),
    Row(
        "accreditation:family_edit",
        "family",
        KEEPERS,
        lambda w: {"relationship": "Mother", "status": "took_part", "how": "A home visit."},
        arrange=NO_LOCK,
        check=_named(FamilyInvolvement, "family", status="took_part"),
    ),
    Row(
        "accreditation:family_delete",
        "family",
        KEEPERS,
        arrange=NO_LOCK,
        check=gone(FamilyInvolvement, "family"),
    ),
    Row(
        "accreditation:conversation_add",
        "review",
        KEEPERS,
        _conversation_data,
        arrange=NO_LOCK,
        check=lambda w, user: Conversation.objects.count() == 2,
    ),
    Row(
        "accreditation:conversation_edit",
        "conversation",
        KEEPERS,
        lambda w: _conversation_data(w, notes="Moved."),
        arrange=NO_LOCK,
        check=_named(Conversation, "conversation", notes="Moved."),
    ),
    Row(
        "accreditation:conversation_delete",
        "conversation",
        KEEPERS,
        arrange=NO_LOCK,
        check=gone(Conversation, "conversation"),
    ),
    Row(
        "accreditation:meeting_add",
        "review",
        KEEPERS,
        _meeting_data,
        arrange=NO_LOCK,
        check=lambda w, user: ReviewMeeting.objects.count() == 2,
    ),
    Row(
        "accreditation:meeting_edit",
        "meeting",
        KEEPERS,
        lambda w: _meeting_data(w, notes="Renamed."),
        arrange=NO_LOCK,
        check=_named(ReviewMeeting, "meeting", notes="Renamed."),
    ),
    Row(
        "accreditation:meeting_delete",
        "meeting",
        KEEPERS,
        arrange=NO_LOCK,
        check=gone(ReviewMeeting, "meeting"),
    ),
]


def _review_details_data(w):
    data = {"published_report_url": "https://example.org/child-k.pdf"}
    for name in (
        "incident_notified_on",
        "rapid_review_on",
        "decision_on",
        "target_publication_date",
    ):
        data.update({f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""})
    data.update(_date_parts("board_agreed_on", datetime.date(2026, 7, 1)))
    data.update(_date_parts("published_on", datetime.date(2026, 7, 20)))
    return data


REVIEW_ROWS = [
    # The review's details: the pair and their supervisor, once no application rests on it.
    Row(
        "accreditation:review_details_edit",
        "review",
        PAIR | {"sam"},
        _review_details_data,
        arrange=application_in(AppStatus.REFERRED),
        check=lambda w, user: SupervisedReview.objects.filter(
            pk=w.ids["review"], published_report_url="https://example.org/child-k.pdf"
        ).exists(),
    ),
    # Stages: the pair start and submit, the supervisor signs off, sends back and reopens.
    Row(
        "accreditation:stage_start",
        "stage",
        PAIR,
        arrange=stage_in("stage", Status.NOT_STARTED),
        check=stage_now("stage", Status.IN_PROGRESS),
    ),
    Row(
        "accreditation:stage_submit",
        "stage",
        PAIR,
        lambda w: {"submit-comment": "Ready for you."},
        arrange=stage_in("stage", Status.IN_PROGRESS),
        check=stage_now("stage", Status.SUBMITTED),
    ),
    Row(
        "accreditation:stage_approve",
        "stage",
        frozenset({"sam"}),
        lambda w: {"approve-comment": "Clear scope."},
        arrange=stage_in("stage", Status.SUBMITTED),
        check=stage_now("stage", Status.APPROVED),
    ),
    Row(
        "accreditation:stage_request_changes",
        "stage",
        frozenset({"sam"}),
        lambda w: {"request_changes-comment": "Add the scope."},
        arrange=stage_in("stage", Status.SUBMITTED),
        check=stage_now("stage", Status.CHANGES_REQUESTED),
    ),
    Row(
        "accreditation:stage_reopen",
        "stage",
        frozenset({"sam"}),
        lambda w: {"reopen-comment": "The terms of reference changed."},
        # Approved, and no application rests on the review (it was referred back).
        arrange=application_in(AppStatus.REFERRED),
        check=stage_now("stage", Status.IN_PROGRESS),
    ),
    # Evidence, on a stage in progress.
    Row(
        "accreditation:evidence_add_note",
        "stage",
        PAIR,
        lambda w: {"note-title": "Scope", "note-note": "Agreed."},
        arrange=stage_in("stage", Status.IN_PROGRESS),
        check=lambda w, user: Evidence.objects.filter(stage_id=w.ids["stage"]).count() == 2,
    ),
    Row(
        "accreditation:evidence_add_file",
        "stage",
        PAIR,
        lambda w: {"upload-title": "Scope", "upload-file": upload("more.pdf", PDF_BYTES)},
        arrange=stage_in("stage", Status.IN_PROGRESS),
        check=lambda w, user: Evidence.objects.filter(stage_id=w.ids["stage"]).count() == 2,
    ),
    Row(
        "accreditation:evidence_edit_note",
        "note",
        PAIR,
        lambda w: {"note-title": "Log", "note-note": "Changed."},
        arrange=stage_in("note_stage", Status.IN_PROGRESS),
        check=lambda w, user: Evidence.objects.get(pk=w.ids["note"]).title == "Log",
    ),
    Row(
        "accreditation:evidence_remove",
        "evidence",
        PAIR,
        arrange=stage_in("stage", Status.IN_PROGRESS),
        check=gone(Evidence, "evidence"),
    ),
    # The registers, on their stages in progress.
    Row(
        "accreditation:episode_add",
        "kpe_stage",
        PAIR,
        _episode_data,
        arrange=stage_in("kpe_stage", Status.IN_PROGRESS),
        check=lambda w, user: (
            KeyPracticeEpisode.objects.filter(title="Strategy meeting").count() == 2
        ),
    ),
    Row(
        "accreditation:episode_edit",
        "episode",
        PAIR,
        lambda w: _episode_data(w, title="Strategy meeting, renamed"),
        arrange=stage_in("kpe_stage", Status.IN_PROGRESS),
        check=lambda w, user: (
            KeyPracticeEpisode.objects.get(pk=w.ids["episode"]).title == "Strategy meeting, renamed"
        ),
    ),
    Row(
        "accreditation:episode_delete",
        "spare_episode",
        PAIR,
        arrange=stage_in("kpe_stage", Status.IN_PROGRESS),
        check=gone(KeyPracticeEpisode, "spare_episode"),
    ),
    # The first episode moves down a place: it becomes KPE2.
    Row(
        "accreditation:episode_move",
        "episode",
        PAIR,
        lambda w: {"direction": "down"},
        arrange=stage_in("kpe_stage", Status.IN_PROGRESS),
        check=lambda w, user: KeyPracticeEpisode.objects.get(pk=w.ids["episode"]).label == "KPE2",
    ),
    Row(
        "accreditation:finding_add",
        "pattern_stage",
        PAIR,
        _finding_data,
        arrange=stage_in("pattern_stage", Status.IN_PROGRESS),
        check=lambda w, user: Finding.objects.count() == 2,
    ),
    Row(
        "accreditation:finding_edit",
        "pattern",
        PAIR,
        lambda w: _finding_data(w, title="Meetings leave out GPs"),
        arrange=stage_in("pattern_stage", Status.IN_PROGRESS),
        check=lambda w, user: (
            Finding.objects.get(pk=w.ids["pattern"]).title == "Meetings leave out GPs"
        ),
    ),
    Row(
        "accreditation:finding_delete",
        "pattern",
        PAIR,
        arrange=stage_in("pattern_stage", Status.IN_PROGRESS),
        check=gone(Finding, "pattern"),
    ),
    # Supervision: the supervisor records, each attendee confirms their own attendance.
    Row(
        "accreditation:supervision_log",
        None,
        frozenset({"sam"}),
        lambda w: {
            "kind": "individual",
            **_date_parts("date", timezone.localdate() - datetime.timedelta(days=100)),
            "duration_minutes": "60",
            "attendees": [w.users["tess"].pk],
            "notes": "Pseudonyms only.",
        },
        check=lambda w, user: SupervisionSession.objects.filter(
            kind="individual", notes="Pseudonyms only."
        ).exists(),
    ),
    Row(
        "accreditation:session_confirm",
        "session",
        PAIR,
        check=lambda w, user: (
            SupervisionAttendance.objects.get(
                session_id=w.ids["session"], trainee=user
            ).confirmed_at
            is not None
        ),
    ),
    # The application: each trainee saves their own statement (Pat and Uma their own drafts);
    # only Tess's draft is ready to submit; Tess and Uma each withdraw their own.
    Row(
        "accreditation:application",
        None,
        frozenset({"tess", "pat", "uma"}),
        lambda w: {"reflective_statement": STATEMENT + " Revised.", "action": "save"},
        arrange=application_in(AppStatus.DRAFT),
        check=lambda w, user: own_application(user).reflective_statement.endswith("Revised."),
    ),
    Row(
        "accreditation:application_check",
        None,
        frozenset({"tess"}),
        arrange=application_in(AppStatus.DRAFT),
        check=lambda w, user: own_application(user).status == AppStatus.SUBMITTED,
    ),
    Row(
        "accreditation:application_withdraw",
        None,
        frozenset({"tess", "uma"}),
        lambda w: {"reason": "I am moving abroad."},
        arrange=application_in(AppStatus.SUBMITTED),
        check=lambda w, user: own_application(user).status == AppStatus.WITHDRAWN,
    ),
    # Assessment and certificates.
    Row(
        "accreditation:assessment_decide",
        "application",
        frozenset({"ali"}),
        lambda w: {
            "outcome": "declined",
            "reasons": "The statement does not reflect.",
            **_criteria_judged(w),
        },
        arrange=application_in(AppStatus.SUBMITTED),
        check=lambda w, user: (
            AccreditationApplication.objects.get(pk=w.ids["application"]).status
            == AppStatus.DECLINED
        ),
    ),
    Row(
        "accreditation:certificate_manage",
        "certificate",
        frozenset({"ali"}),
        lambda w: {"action": "suspend", "reason": "Under investigation."},
        check=lambda w, user: (
            Certificate.objects.get(pk=w.ids["certificate"]).status == Certificate.Status.SUSPENDED
        ),
    ),
    Row(
        "accreditation:certificate_register",
        "certificate",
        frozenset({"tess"}),
        lambda w: {"listed": "1"},
        check=lambda w, user: Certificate.objects.get(pk=w.ids["certificate"]).listed_on_register,
    ),
]
REVIEW_ROWS += CONDUCT_ROWS


# Criteria, the supervisor's recommendation and training attendance --------------------------


def _criteria_judged(w) -> dict:
    """Every criterion of the application's scheme judged (the first not yet met, as a decline
    may): what the decision form posts."""
    application = AccreditationApplication.objects.get(pk=w.ids["application"])
    data = {}
    criteria = AssessmentCriterion.objects.filter(
        scheme_id=application.scheme_id, purpose=AssessmentCriterion.Purpose.ACCREDITATION
    ).order_by("sort_order", "pk")
    for index, criterion in enumerate(criteria):
        data[f"criterion_{criterion.pk}"] = "not_met" if index == 0 else "met"
        data[f"criterion_{criterion.pk}_comment"] = "Judged."
    return data


def _recommendation_data(w) -> dict:
    tess = w.users["tess"].pk
    return {
        "trainee": tess,
        f"trainee-{tess}-ready": "ready",
        f"trainee-{tess}-statement": "Ready: a careful review.",
    }


REVIEW_ROWS += [
    Row(
        "accreditation:recommendation",
        "review",
        frozenset({"sam"}),
        _recommendation_data,
        check=lambda w, user: (
            SupervisorRecommendation.objects.filter(
                review_id=w.ids["review"], trainee=w.users["tess"]
            ).count()
            == 2
        ),
    ),
]


# The public register: the holder's profile, and a message to a listed holder (anyone may send
# one, signed in or not).
def _list_tess(w):
    Certificate.objects.filter(pk=w.ids["certificate"]).update(listed_on_register=True)


REGISTER_ROWS = [
    Row(
        "accreditation:register_profile",
        None,
        frozenset({"tess"}),
        lambda w: {"show_organisation": "on", "contact_enabled": "on"},
        check=lambda w, user: RegisterProfile.objects.get(person=user).show_organisation,
    ),
    Row(
        "public_register_contact",
        "certificate_number",
        frozenset({"anonymous", "tess", "pat", "uma", "sam", "ali", "ada"}),
        lambda w: {
            "sender_name": "Bea Board",
            "sender_email": "bea@example.org",
            "message": "Could we talk about a review?",
        },
        arrange=_list_tess,
        check=lambda w, user: ContactMessage.objects.filter(sender_name="Bea Board").exists(),
    ),
]
REVIEW_ROWS += REGISTER_ROWS
# Appeals and the CPD log ----------------------------------------------------------------------


def tess_declined(w):
    """Tess's application declined by Ali today: her appeal's window is open."""
    AccreditationApplication.objects.filter(pk=w.ids["application"]).update(
        status=AppStatus.DECLINED
    )
    Decision.objects.create(
        application_id=w.ids["application"],
        assessor=w.users["ali"],
        outcome=Decision.Outcome.DECLINED,
        reasons="The analysis does not reach the system.",
    )


def tess_revoked(w):
    """Tess's certificate revoked by Ali today: her appeal's window is open."""
    Certificate.objects.filter(pk=w.ids["certificate"]).update(status=Certificate.Status.REVOKED)
    CertificateEvent.objects.create(
        certificate_id=w.ids["certificate"],
        by=w.users["ali"],
        from_status=Certificate.Status.ISSUED,
        to_status=Certificate.Status.REVOKED,
        reason="Misconduct.",
    )


LIFECYCLE_ROWS = [
    Row(
        "accreditation:appeal_decline",
        None,
        frozenset({"tess"}),
        lambda w: {"grounds": "The family work was missed."},
        arrange=tess_declined,
        check=lambda w, user: Appeal.objects.filter(appellant=user, kind="decline").exists(),
    ),
    Row(
        "accreditation:appeal_revocation",
        "certificate",
        frozenset({"tess"}),
        lambda w: {"grounds": "The finding was withdrawn."},
        arrange=tess_revoked,
        check=lambda w, user: Appeal.objects.filter(appellant=user, kind="revocation").count() == 2,
    ),
    Row(
        "accreditation:appeal_detail",
        "appeal",
        frozenset({"ali"}),
        lambda w: {"outcome": "upheld", "reasons": "The revocation stands."},
        check=lambda w, user: Appeal.objects.get(pk=w.ids["appeal"]).status == "upheld",
    ),
    Row(
        "accreditation:cpd_add",
        None,
        frozenset({"tess", "pat", "uma"}),
        lambda w: cpd_form_data("Read the panel's report"),
        check=lambda w, user: CpdEntry.objects.filter(
            person=user, title="Read the panel's report"
        ).exists(),
    ),
    Row(
        "accreditation:cpd_edit",
        "cpd_entry",
        frozenset({"tess"}),
        lambda w: cpd_form_data("Led a review"),
        check=lambda w, user: CpdEntry.objects.get(pk=w.ids["cpd_entry"]).title == "Led a review",
    ),
    Row(
        "accreditation:cpd_remove",
        "cpd_entry",
        frozenset({"tess"}),
        check=gone(CpdEntry, "cpd_entry"),
    ),
]
REVIEW_ROWS += LIFECYCLE_ROWS
