"""What an erasure will touch, counted, for the confirmation page.

Each app's ``privacy`` module contributes the counts for what it holds through its optional
``erasure_counts(user)``; an app that is not installed counts nothing.
"""

from dataclasses import dataclass

from .registry import privacy_modules


@dataclass(frozen=True)
class ErasureSummary:
    reflections: int = 0
    evidence: int = 0
    applications: int = 0
    certificates: int = 0
    appeals: int = 0
    cpd_entries: int = 0


def user_erasure_summary(user) -> ErasureSummary:
    counts: dict[str, int] = {}
    for entry in privacy_modules():
        erasure_counts = getattr(entry.module, "erasure_counts", None)
        if erasure_counts is not None:
            counts.update(erasure_counts(user))
    return ErasureSummary(**counts)
