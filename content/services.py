"""Writes for the public site: receiving an enquiry, telling staff about it and acknowledging it
to the enquirer."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from wagtail.contrib.forms.models import FormSubmission

from kombu.exceptions import OperationalError as BrokerError

from .models import EnquiryFormPage, EnquiryNotification, enquiry_emails_unsent
from .selectors import enquiries_unsent_ids, legal_page_url

logger = logging.getLogger(__name__)

# An enquiry e-mail not gone this long after the enquiry was sent is taken as lost.
UNSENT_AFTER = timedelta(minutes=10)
# After this many attempts the sweeper stops; staff still see the enquiry in the admin.
MAX_AUTOMATIC_RESENDS = 3
# Longer than a task may run (its hard time limit), so a claim this old belongs to a worker that
# died mid-send, never to one still sending.
CLAIM_TIMEOUT = timedelta(minutes=10)


def _unclaimed(now: datetime) -> Q:
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)


def enquirer_address(*, fields, data: dict) -> str:
    """The address typed into the form's first email field, if any."""
    for field in fields:
        if field.field_type == "email" and data.get(field.clean_name):
            return str(data[field.clean_name]).strip()
    return ""


@transaction.atomic
def enquiry_submit(*, page: EnquiryFormPage, cleaned_data: dict) -> FormSubmission:
    """Store the enquiry, then have a worker e-mail staff, and acknowledge it to the enquirer,
    once the row is committed."""
    submission = page.get_submission_class().objects.create(form_data=cleaned_data, page=page)
    # Recorded as unsent now, in the same transaction: if the task message is lost, the
    # sweeper finds this row and sends the e-mails.
    EnquiryNotification.objects.create(
        submission=submission,
        acknowledgement_due=bool(
            enquirer_address(fields=page.get_form_fields(), data=cleaned_data)
        ),
    )
    transaction.on_commit(lambda: _enqueue_notification(submission.pk))
    return submission


def _enqueue_notification(submission_id: int) -> None:
    """A broker that cannot be reached is logged, not raised into the enquirer's request: the
    enquiry is already stored, and the sweeper sends its e-mail later."""
    from .tasks import send_enquiry_notification

    try:
        send_enquiry_notification.delay(submission_id)
    except BrokerError:
        logger.exception("Could not enqueue the staff e-mail of enquiry %s.", submission_id)


def enquiries_resend_unsent(*, now: datetime | None = None) -> int:
    """For the sweeper: enqueue again the e-mails of each enquiry whose staff e-mail or
    acknowledgement has still not gone ten minutes after it was sent (its message was lost, the
    mail server refused it every time, or the worker sending it died and its claim went stale).
    Each is counted before it is enqueued, so after MAX_AUTOMATIC_RESENDS tries the sweeper
    leaves it alone. Returns how many were enqueued."""
    now = now or timezone.now()
    enqueued = 0
    for submission_id in enquiries_unsent_ids(
        created_before=now - UNSENT_AFTER, resent_fewer_than=MAX_AUTOMATIC_RESENDS
    ):
        with transaction.atomic():
            # Conditional on the row still being unsent, unclaimed (or claimed by a worker that
            # died) and under the limit: a worker sending it now, or a second sweeper, makes
            # this a no-op.
            counted = EnquiryNotification.objects.filter(
                enquiry_emails_unsent(),
                _unclaimed(now),
                submission_id=submission_id,
                automatic_resends__lt=MAX_AUTOMATIC_RESENDS,
            ).update(automatic_resends=F("automatic_resends") + 1)
            if counted != 1:
                continue
            transaction.on_commit(lambda pk=submission_id: _enqueue_notification(pk))
        enqueued += 1
    if enqueued:
        logger.warning("Enqueued %s enquiry e-mail(s) again: the first never went.", enqueued)
    return enqueued


def enquiry_recipients(*, page: EnquiryFormPage) -> list[str]:
    addresses = [address.strip() for address in page.to_address.split(",") if address.strip()]
    return addresses or list(settings.ENQUIRY_RECIPIENTS)


def _display(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def enquiry_email(*, page: EnquiryFormPage, submission: FormSubmission) -> EmailMultiAlternatives:
    fields = list(page.get_form_fields())
    data = submission.form_data
    rows = [(field.label, _display(data.get(field.clean_name))) for field in fields]
    enquirer = enquirer_address(fields=fields, data=data)
    reply_to = [enquirer] if enquirer else []
    context = {
        "page": page,
        "rows": rows,
        "submitted_at": submission.submit_time,
        "submissions_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("wagtailforms:list_submissions", args=[page.pk]),
    }
    message = EmailMultiAlternatives(
        subject=page.subject or f"New enquiry from the {settings.WAGTAIL_SITE_NAME} website",
        body=render_to_string("content/email/enquiry_notification.txt", context),
        from_email=page.from_address or settings.DEFAULT_FROM_EMAIL,
        to=enquiry_recipients(page=page),
        reply_to=reply_to,
    )
    message.attach_alternative(
        render_to_string("content/email/enquiry_notification.html", context), "text/html"
    )
    return message


def enquiry_acknowledgement_email(
    *, page: EnquiryFormPage, submission: FormSubmission
) -> EmailMultiAlternatives | None:
    """The enquirer's acknowledgement: when it arrived, its reference, who replies and when.

    It repeats nothing the enquirer typed (anyone can type any address into a public form, so
    the e-mail must be harmless to someone who never sent it), and replies go to the staff who
    received the enquiry.
    """
    address = enquirer_address(fields=page.get_form_fields(), data=submission.form_data)
    if not address:
        return None
    context = {
        "page": page,
        "reference": f"LT-{submission.pk}",
        "submitted_at": submission.submit_time,
        "reply_within": page.reply_within,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
        "privacy_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + legal_page_url(kind="privacy"),
    }
    message = EmailMultiAlternatives(
        subject=f"We have received your enquiry ({context['reference']})",
        body=render_to_string("content/email/enquiry_acknowledgement.txt", context),
        from_email=page.from_address or settings.DEFAULT_FROM_EMAIL,
        to=[address],
        reply_to=enquiry_recipients(page=page),
    )
    message.attach_alternative(
        render_to_string("content/email/enquiry_acknowledgement.html", context), "text/html"
    )
    return message


def enquiry_send_notification(*, submission_id: int) -> bool:
    """E-mail staff about one enquiry and acknowledge it to the enquirer, each at most once.

    Returns whether this call sent anything. A failure of one e-mail does not stop the other;
    the first failure is raised afterwards, so the task retries only what is still unsent.
    """
    submission = FormSubmission.objects.select_related("page").filter(pk=submission_id).first()
    if submission is None:
        return False  # deleted in the admin before the worker got to it
    page = submission.page.specific
    if not isinstance(page, EnquiryFormPage):
        return False
    notification, _ = EnquiryNotification.objects.get_or_create(submission=submission)
    # Claim the work: a duplicated or redelivered task finds nothing to claim and stops. The
    # claim is not the record of sending: a worker that dies mid-send leaves sent_at (or
    # acknowledged_at) empty, and once its claim is stale the sweeper (or a redelivered task)
    # sends what is missing.
    claimed_at = timezone.now()
    claimed = EnquiryNotification.objects.filter(
        enquiry_emails_unsent(), _unclaimed(claimed_at), pk=notification.pk
    ).update(claimed_at=claimed_at)
    if claimed != 1:
        return False
    # Read after the claim: what the previous holder already sent is not sent again.
    notification.refresh_from_db()
    sent_any = False
    failure: Exception | None = None
    if notification.sent_at is None:
        message = enquiry_email(page=page, submission=submission)
        try:
            message.send()
        except Exception as error:
            failure = error
        else:
            EnquiryNotification.objects.filter(pk=notification.pk).update(
                sent_at=timezone.now(), recipients=", ".join(message.to)
            )
            sent_any = True
    if notification.acknowledgement_due and notification.acknowledged_at is None:
        acknowledgement = enquiry_acknowledgement_email(page=page, submission=submission)
        try:
            if acknowledgement is not None:  # the form lost its email field since
                acknowledgement.send()
        except Exception as error:
            failure = failure or error
        else:
            EnquiryNotification.objects.filter(pk=notification.pk).update(
                acknowledged_at=timezone.now()
            )
            sent_any = sent_any or acknowledgement is not None
    if failure is not None:
        # Only our own claim is given back: a worker that took over a stale one keeps it. A
        # worker that dies mid-send (SystemExit, or killed outright) leaves its claim to go
        # stale.
        EnquiryNotification.objects.filter(pk=notification.pk, claimed_at=claimed_at).update(
            claimed_at=None
        )
        raise failure
    return sent_any
