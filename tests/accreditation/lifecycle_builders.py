"""Appeals and the CPD log in the access tables' worlds: a CPD entry of Tess's with an evidence
file, and an appeal of hers waiting for a decision. The appeal is against a revocation recorded
by no assessor (a system change), so Ali may decide it; the certificate itself stays issued, so
every other row sees the world as before."""

import datetime

from django.utils import timezone

from accreditation.models import Appeal, Certificate, CertificateEvent, CpdActivityType
from accreditation.services.cpd import cpd_entry_add

from .factories import PDF_BYTES, upload


def add_appeal_and_cpd(*, tess) -> dict:
    entry = cpd_entry_add(
        person=tess,
        date=timezone.localdate() - datetime.timedelta(days=7),
        activity_type=CpdActivityType.objects.order_by("sort_order", "pk").first(),
        title="Co-led a review",
        hours="6",
        reflection="Listening first.",
        upload=upload("course.pdf", PDF_BYTES),
    )
    certificate = Certificate.objects.get(holder=tess)
    event = CertificateEvent.objects.create(
        certificate=certificate,
        by=None,
        from_status=Certificate.Status.ISSUED,
        to_status=Certificate.Status.REVOKED,
        reason="Recorded for the access tables.",
    )
    appeal = Appeal.objects.create(
        kind=Appeal.Kind.REVOCATION,
        appellant=tess,
        certificate_event=event,
        grounds="The finding was withdrawn.",
    )
    return {"cpd_entry": entry.pk, "appeal": appeal.pk}


def cpd_form_data(title: str = "Read the panel's report") -> dict:
    day = timezone.localdate() - datetime.timedelta(days=2)
    return {
        "date_day": str(day.day),
        "date_month": str(day.month),
        "date_year": str(day.year),
        "activity_type": str(CpdActivityType.objects.order_by("sort_order", "pk").first().pk),
        "title": title,
        "hours": "1.5",
        "reflection": "",
    }
