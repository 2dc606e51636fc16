import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from learning_platform.background import background_task

from .models import Invitation
from .services.invitations import hash_token, invitation_mark_emailed

logger = logging.getLogger(__name__)


# smtplib's errors are OSErrors, as is a refused connection. Given up, the invitation stays
# unsent and the sweeper sends it a fresh link.
@background_task(transient=(OSError,), first_wait=30, give_up="log")
def send_invitation_email(self, invitation_id: int, token: str) -> None:
    _send_invitation_email(invitation_id, token)


def _send_invitation_email(invitation_id: int, token: str) -> None:
    invitation = (
        Invitation.objects.select_related("cohort", "cohort__course", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True, emailed_at__isnull=True)
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        # Accepted, already sent (a duplicate message), or given a fresh link since: the link in
        # this message is not the one to send.
        return
    context = {
        "invitation": invitation,
        "cohort": invitation.cohort,
        "accept_url": settings.SITE_URL.rstrip("/")
        + reverse("courses:invitation_accept", args=[token]),
        "contact_email": contact_email_for(invitation),
    }
    subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}You are invited to {invitation.cohort}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("courses/email/invitation.txt", context),
        to=[invitation.email],
        reply_to=[context["contact_email"]],
    )
    message.attach_alternative(
        render_to_string("courses/email/invitation.html", context), "text/html"
    )
    message.send()
    invitation_mark_emailed(invitation_id=invitation.pk, token=token)


def contact_email_for(invitation: Invitation | None) -> str:
    if invitation is not None and invitation.invited_by is not None:
        return invitation.invited_by.email
    return settings.ENQUIRY_RECIPIENTS[0]
