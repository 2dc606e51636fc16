from .analysis import ContributoryFactor, Finding, IssueForBoard, KeyPracticeEpisode
from .award import (
    AccreditationApplication,
    Certificate,
    CertificateEvent,
    CertificateNumberSequence,
    Decision,
)
from .bulk import BulkIssue, BulkIssueItem
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
    StageDefinition,
)

__all__ = [
    "AccreditationApplication",
    "AccreditationScheme",
    "BulkIssue",
    "BulkIssueItem",
    "Certificate",
    "CertificateEvent",
    "CertificateNumberSequence",
    "ContributoryFactor",
    "ContributoryFactorCategory",
    "Decision",
    "Evidence",
    "FactorLevel",
    "Finding",
    "FindingCategory",
    "IssueForBoard",
    "KeyPracticeEpisode",
    "ReviewStage",
    "SignOff",
    "StageDefinition",
    "SupervisedReview",
    "SupervisionAttendance",
    "SupervisionSession",
]
