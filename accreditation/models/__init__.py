from .analysis import ContributoryFactor, Finding, IssueForBoard, KeyPracticeEpisode
from .award import (
    AccreditationApplication,
    Certificate,
    CertificateEvent,
    CertificateNumberSequence,
    Decision,
)
from .bulk import BulkIssue, BulkIssueItem
from .conduct import (
    CaseGroupParticipant,
    Conversation,
    FamilyInvolvement,
    ReviewCase,
    ReviewMeeting,
    ReviewTeamMember,
)
from .review import (
    Evidence,
    ReviewStage,
    SignOff,
    SupervisedReview,
    SupervisionAttendance,
    SupervisionSession,
)
from .scheme import (
    AccreditationScheme,
    ContributoryFactorCategory,
    FactorLevel,
    FindingCategory,
    ReviewType,
    StageDefinition,
)

__all__ = [
    "AccreditationApplication",
    "AccreditationScheme",
    "BulkIssue",
    "BulkIssueItem",
    "CaseGroupParticipant",
    "Certificate",
    "CertificateEvent",
    "CertificateNumberSequence",
    "ContributoryFactor",
    "ContributoryFactorCategory",
    "Conversation",
    "Decision",
    "Evidence",
    "FamilyInvolvement",
    "FactorLevel",
    "Finding",
    "FindingCategory",
    "IssueForBoard",
    "KeyPracticeEpisode",
    "ReviewCase",
    "ReviewMeeting",
    "ReviewStage",
    "ReviewTeamMember",
    "ReviewType",
    "SignOff",
    "StageDefinition",
    "SupervisedReview",
    "SupervisionAttendance",
    "SupervisionSession",
]
