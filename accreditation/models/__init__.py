from .award import (
    AccreditationApplication,
    Certificate,
    CertificateEvent,
    CertificateNumberSequence,
    Decision,
)
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
