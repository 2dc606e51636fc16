"""The link in an invitation's email.

The token in the link is made from a random nonce and the SECRET_KEY; only the nonce and a
sha256 of the token are stored. The email task is given the invitation's id alone and asks for
the link when it sends, so no token sits in the broker, and a message delivered twice (a retry,
or a worker lost after sending) sends the same link, which works in both emails. A new link is
made only when staff or the sweeper resend, and then the link in any earlier email stops working.
"""

import base64
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ...models import Invitation

KEY_SALT = "courses.invitation.link"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_token(nonce: str) -> str:
    digest = salted_hmac(KEY_SALT, nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def new_link(invitation: Invitation) -> None:
    """Give the (unsaved) invitation a link of its own, replacing any it had."""
    invitation.link_nonce = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(link_token(invitation.link_nonce))
    invitation.link_made_at = timezone.now()


def accept_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("courses:invitation_accept", args=[token])


@dataclass(frozen=True)
class EmailLink:
    invitation: Invitation
    token: str
    url: str


def invitation_email_link(*, invitation_id: int) -> EmailLink | None:
    """The link to put in the invitation's email, or None when there is no email to send: the
    invitation was accepted, deleted, or its email has gone already (a duplicate message)."""
    invitation = (
        Invitation.objects.unsent()
        .select_related("cohort", "cohort__course", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return None
    token = link_token(invitation.link_nonce)
    if not invitation.link_nonce or hash_token(token) != invitation.token_hash:
        # A link not made from a nonce, or made under a SECRET_KEY since replaced: its token
        # cannot be made again, and no email has carried it, so the email gets a fresh one.
        # Conditional, so a resend or acceptance in the meantime wins.
        old_hash = invitation.token_hash
        new_link(invitation)
        replaced = (
            Invitation.objects.unsent()
            .filter(pk=invitation.pk, token_hash=old_hash)
            .update(link_nonce=invitation.link_nonce, token_hash=invitation.token_hash)
        )
        if replaced != 1:
            return None
        token = link_token(invitation.link_nonce)
    return EmailLink(invitation=invitation, token=token, url=accept_url(token))


def invitation_mark_emailed(*, invitation_id: int, token: str) -> bool:
    """Record that the email with this token went. A link replaced since then is not counted,
    so the sweeper still sends the current one."""
    return (
        Invitation.objects.filter(
            pk=invitation_id, token_hash=hash_token(token), emailed_at__isnull=True
        ).update(emailed_at=timezone.now())
        == 1
    )
