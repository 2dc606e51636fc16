"""Bulk certificate issuance: one job per request, one row per application.

The rows are the source of truth for progress: the page, the status endpoint and the workers all
read and write them, so progress survives a page reload, a lost message and a worker restart.
"""

from django.conf import settings
from django.db import models

from .base import private_storage


def _private_storage():
    return private_storage


class BulkIssue(models.Model):
    class Kind(models.TextChoices):
        ISSUE = "issue", "Issue certificates"
        RERENDER = "rerender", "Re-render certificate PDFs"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"

    cohort = models.ForeignKey(
        "courses.Cohort", on_delete=models.PROTECT, related_name="bulk_issues"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    zip_file = models.FileField(upload_to="bulk-issues/", storage=_private_storage, blank=True)
    zip_started_at = models.DateTimeField(null=True, blank=True)
    # Set when the ZIP was deleted because a holder's personal data was erased: it held their
    # certificate, which prints their name.
    zip_withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.cohort} ({self.get_status_display()})"

    @property
    def settled(self) -> int:
        return self.done + self.failed


class BulkIssueItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    bulk = models.ForeignKey(BulkIssue, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey(
        "accreditation.AccreditationApplication", on_delete=models.PROTECT, related_name="+"
    )
    certificate = models.ForeignKey(
        "accreditation.Certificate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(max_length=300, blank=True)
    # The task message that holds the claim; a redelivery of that same message may take it again.
    task_id = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["bulk", "application"], name="bulk_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.application} in {self.bulk_id} ({self.get_status_display()})"
