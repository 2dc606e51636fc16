"""The portable form of a certificate: an Open Badges 3.0 credential, signed as vc+jwt, with its
place in a published revocation status list."""

from django.db import models

from .award import Certificate


class IssuedCredential(models.Model):
    """A certificate's Open Badges credential, as it was signed. The JWT's payload is the
    credential itself, so the JSON and the JWT served for it are the same document. A renewed
    certificate is a new certificate, with a new credential of its own.

    A certificate has one current credential. Only a revocation overturned on appeal replaces
    it: the old one keeps its bit set (a bit is never cleared), and a new one takes a new bit."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="credentials"
    )
    # Emptied when the holder's personal data is erased: the credential carries their name.
    jwt = models.TextField(blank=True)
    kid = models.CharField("signing key", max_length=64)
    # The bit's place in a status list. Drawn at random, so that a list's bits say nothing about
    # the order or the time of issue, and never reused: the pair is unique and a certificate is
    # never deleted.
    status_list = models.PositiveSmallIntegerField(default=1)
    status_index = models.PositiveIntegerField()
    # The revocation bit: set in the transaction that revokes the certificate or erases its
    # holder, and never cleared. A suspension is reversible and is not written into the list.
    revoked_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text="Withdrawn at the holder's request (erasure)."
    )
    replaced_at = models.DateTimeField(
        null=True, blank=True, help_text="Replaced by a new credential (a revocation overturned)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="credential_status_slot_unique"
            ),
            models.UniqueConstraint(
                fields=["certificate"],
                condition=models.Q(replaced_at__isnull=True),
                name="credential_one_current_per_certificate",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status_list", "status_index"],
                condition=models.Q(revoked_at__isnull=False),
                name="credential_revoked_bits",
            )
        ]

    def __str__(self) -> str:
        return f"Credential for {self.certificate_id}"
