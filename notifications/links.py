"""The page a notification leads to, worked out when it is created and stored as a path (ids
only). The model is named by its label so this module imports no other app's models."""

from django.db import models
from django.urls import reverse

from .models import Event

# Pages for events that are not about one object (a digest, a reminder to get going again).
_EVENT_PAGES = {
    Event.SUPERVISOR_DIGEST: "accreditation:supervisor_queue",
    Event.TRAINEE_INACTIVITY_REMINDER: "accreditation:my_review",
    Event.CERTIFICATE_EXPIRY_WARNING: "accreditation:my_certificates",
    Event.INVITATION: "courses:my_learning",
}


def link_for(*, event: str, target: models.Model | None) -> str:
    if target is not None:
        path = _target_link(event, target)
        if path:
            return path
    name = _EVENT_PAGES.get(event)
    return reverse(name) if name else reverse("notifications:list")


def _target_link(event: str, target: models.Model) -> str:
    label = target._meta.label
    if label == "accreditation.AccreditationApplication":
        # Assessors read the portfolio; the trainee reads their own application page.
        if event == Event.APPLICATION_SUBMITTED:
            return reverse("accreditation:assessment_portfolio", args=[target.pk])
        return reverse("accreditation:application")
    if label == "accreditation.Decision":
        return reverse("accreditation:application")
    if label == "accreditation.SignOff":
        return reverse("accreditation:stage_detail", args=[target.stage_id])
    if label == "accreditation.ReviewStage":
        return reverse("accreditation:stage_detail", args=[target.pk])
    if label == "accreditation.SupervisionSession":
        return reverse("accreditation:session_detail", args=[target.pk])
    if label in ("accreditation.Certificate", "accreditation.CertificateEvent"):
        return reverse("accreditation:my_certificates")
    return ""
