from .award import (
    AccreditationApplication,
    Certificate,
    CertificateEvent,
    CertificateNumberSequence,
    Decision,
)
from .bulk import BulkIssue, BulkIssueItem
from .review import (
    ContributoryFactor,
    Evidence,
    KeyPracticeEpisode,
    ReviewStage,
    SignOff,
    SupervisedReview,
    SupervisionAttendance,
    SupervisionSession,
    UnderlyingPattern,
)
from .scheme import AccreditationScheme, ContributoryFactorCategory, PatternType, StageDefinition

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
    "KeyPracticeEpisode",
    "PatternType",
    "ReviewStage",
    "SignOff",
    "StageDefinition",
    "SupervisedReview",
    "SupervisionAttendance",
    "SupervisionSession",
    "UnderlyingPattern",
]
