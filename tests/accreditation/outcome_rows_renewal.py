"""Renewal's part of the access tables: the renewal and the CPD entry both worlds add to Tess's
certificate, and the outcome rows for renewal's POSTs."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from accreditation.models import (
    AssessmentCriterion,
    Certificate,
    CpdActivityType,
    CpdEntry,
    RenewalApplication,
)

from .outcome_rows import Row


def add_renewal_world(certificate: Certificate) -> dict:
    """A submitted renewal of the certificate (made directly: the world's certificate is new,
    so its window is not open) and a CPD entry with evidence in its validity."""
    entry = CpdEntry.objects.create(
        person=certificate.holder,
        date=certificate.issued_at,
        activity_type=CpdActivityType.objects.order_by("pk").first(),
        title="Safeguarding conference",
        hours=Decimal("6"),
        evidence_filename="programme.pdf",
        evidence_content_type="application/pdf",
    )
    entry.evidence.save("programme.pdf", ContentFile(b"%PDF-1.4 programme"), save=True)
    renewal = RenewalApplication.objects.create(
        holder=certificate.holder,
        certificate=certificate,
        application=certificate.origin_application,
        scheme=certificate.scheme,
        practice_statement="I led two reviews.",
        declaration=True,
        submitted_at=timezone.now(),
    )
    return {"renewal": renewal.pk, "renewal_cpd_entry": entry.pk}


def _window_open(w) -> None:
    """The certificate expires in a month, with the CPD the scheme asks for logged, and no
    renewal open."""
    RenewalApplication.objects.filter(pk=w.ids["renewal"]).update(
        status=RenewalApplication.Status.WITHDRAWN
    )
    valid_until = timezone.localdate() + datetime.timedelta(days=30)
    Certificate.objects.filter(pk=w.ids["certificate"]).update(
        valid_until=valid_until, issued_at=valid_until.replace(year=valid_until.year - 3)
    )
    certificate = Certificate.objects.get(pk=w.ids["certificate"])
    for _ in range(3):
        CpdEntry.objects.create(
            person_id=certificate.holder_id,
            date=timezone.localdate() - datetime.timedelta(days=10),
            activity_type=CpdActivityType.objects.order_by("pk").first(),
            title="Course",
            hours=Decimal("10"),
        )


def _renewal_form(w) -> dict:
    return {
        "practice_statement": "I led the review of Family N.",
        "outside_title": "Family N",
        "outside_role": "led",
        "outside_completed_on": (timezone.localdate() - datetime.timedelta(days=90)).isoformat(),
        "outside_url": "https://example.org/reports/family-n",
        "declaration": "on",
    }


def _decline_form(w) -> dict:
    renewal = RenewalApplication.objects.get(pk=w.ids["renewal"])
    criteria = AssessmentCriterion.objects.filter(
        scheme_id=renewal.scheme_id, purpose=AssessmentCriterion.Purpose.RENEWAL
    )
    data = {"outcome": "declined", "reasons": "No evidence of practice."}
    for criterion in criteria:
        data[f"criterion_{criterion.pk}"] = "not_met"
        data[f"criterion_{criterion.pk}_comment"] = "Not shown."
    return data


def _renewal_status(w) -> str:
    return RenewalApplication.objects.get(pk=w.ids["renewal"]).status


RENEWAL_ROWS = [
    Row(
        "accreditation:renewal",
        "certificate",
        frozenset({"tess"}),
        _renewal_form,
        arrange=_window_open,
        check=lambda w, user: RenewalApplication.objects.filter(
            certificate_id=w.ids["certificate"], status=RenewalApplication.Status.SUBMITTED
        ).exists(),
    ),
    Row(
        "accreditation:renewal_withdraw",
        "renewal",
        frozenset({"tess"}),
        check=lambda w, user: _renewal_status(w) == RenewalApplication.Status.WITHDRAWN,
    ),
    Row(
        "accreditation:renewal_decide",
        "renewal",
        frozenset({"ali"}),
        _decline_form,
        check=lambda w, user: _renewal_status(w) == RenewalApplication.Status.DECLINED,
    ),
]

RENEWAL_READ_ONLY = {
    "accreditation:renewal_status": "renewal",
    "accreditation:renewal_portfolio": "renewal",
    "accreditation:renewal_cpd_evidence": "renewal_cpd_entry",
}
