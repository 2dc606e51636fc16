from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from celery import shared_task

from .models import Invitation


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(self, invitation_id: int, token: str) -> None:
    invitation = (
        Invitation.objects.select_related("cohort", "cohort__course", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        # Withdrawn or already accepted by the time the worker got to it: nothing to send.
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


def contact_email_for(invitation: Invitation | None) -> str:
    if invitation is not None and invitation.invited_by is not None:
        return invitation.invited_by.email
    return settings.ENQUIRY_RECIPIENTS[0]
