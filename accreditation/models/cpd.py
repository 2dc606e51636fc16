"""A holder's (or a trainee's) log of continuing professional development."""

from django.conf import settings
from django.db import models

from .base import private_storage


def _private_storage():
    return private_storage


def cpd_evidence_upload_to(instance: "CpdEntry", filename: str) -> str:
    # The stored name is random; the original name is kept on the row for downloads.
    import secrets

    return f"cpd/{instance.person_id}/{secrets.token_hex(16)}"


class CpdEntry(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cpd_entries"
    )
    date = models.DateField()
    activity_type = models.ForeignKey(
        "accreditation.CpdActivityType", on_delete=models.PROTECT, related_name="entries"
    )
    title = models.CharField(max_length=200)
    hours = models.DecimalField(max_digits=4, decimal_places=2)
    reflection = models.TextField(blank=True)
    evidence = models.FileField(
        upload_to=cpd_evidence_upload_to, storage=_private_storage, blank=True
    )
    evidence_filename = models.CharField(max_length=255, blank=True)
    evidence_content_type = models.CharField(max_length=100, blank=True)
    evidence_size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "CPD entry"
        verbose_name_plural = "CPD entries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=24), name="cpd_hours_in_a_day"
            )
        ]

    def __str__(self) -> str:
        return self.title
