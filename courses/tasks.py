import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from learning_platform.background import background_task

from .models import Invitation
from .services.invitations.links import invitation_email_link, invitation_mark_emailed

logger = logging.getLogger(__name__)


# smtplib's errors are OSErrors, as is a refused connection. Given up, the invitation stays
# unsent and the sweeper sends it a fresh link.
@background_task(transient=(OSError,), first_wait=30, give_up="log")
def send_invitation_email(self, invitation_id: int) -> None:
    _send_invitation_email(invitation_id)


def _send_invitation_email(invitation_id: int) -> None:
    # The link is made here, from the invitation's stored nonce, not carried in the message.
    link = invitation_email_link(invitation_id=invitation_id)
    if link is None:
        return  # accepted, or already sent (a duplicate message)
    invitation = link.invitation
    context = {
        "invitation": invitation,
        "cohort": invitation.cohort,
        "accept_url": link.url,
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
    invitation_mark_emailed(invitation_id=invitation.pk, token=link.token)


def contact_email_for(invitation: Invitation | None) -> str:
    if invitation is not None and invitation.invited_by is not None:
        return invitation.invited_by.email
    return settings.ENQUIRY_RECIPIENTS[0]
