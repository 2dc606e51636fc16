from .analysis import ContributoryFactor, Finding, IssueForBoard, KeyPracticeEpisode
from .award import (
    AccreditationApplication,
    Certificate,
    CertificateEvent,
    CertificateNumberSequence,
    CriterionJudgement,
    Decision,
    SupervisorRecommendation,
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
from .cpd import CpdEntry
from .credential import IssuedCredential
from .lifecycle import (
    Appeal,
    AppealDecision,
    RenewalApplication,
    RenewalDecision,
    RenewalReview,
)
from .register import ContactMessage, RegisterProfile
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
    AssessmentCriterion,
    ContributoryFactorCategory,
    CpdActivityType,
    FactorLevel,
    FindingCategory,
    Region,
    ReviewType,
    StageDefinition,
)
from .site_settings import CertificateSettings

__all__ = [
    "AccreditationApplication",
    "AccreditationScheme",
    "Appeal",
    "AppealDecision",
    "AssessmentCriterion",
    "BulkIssue",
    "BulkIssueItem",
    "CaseGroupParticipant",
    "Certificate",
    "CertificateEvent",
    "CertificateNumberSequence",
    "CertificateSettings",
    "ContactMessage",
    "ContributoryFactor",
    "ContributoryFactorCategory",
    "Conversation",
    "CpdActivityType",
    "CpdEntry",
    "CriterionJudgement",
    "Decision",
    "Evidence",
    "FactorLevel",
    "FamilyInvolvement",
    "Finding",
    "FindingCategory",
    "IssueForBoard",
    "IssuedCredential",
    "KeyPracticeEpisode",
    "Region",
    "RegisterProfile",
    "RenewalApplication",
    "RenewalDecision",
    "RenewalReview",
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
    "SupervisorRecommendation",
]
