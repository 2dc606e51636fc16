"""Writes for the public site: receiving an enquiry and telling staff about it."""

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

from .models import EnquiryFormPage, EnquiryNotification
from .selectors import enquiries_unsent_ids

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


@transaction.atomic
def enquiry_submit(*, page: EnquiryFormPage, cleaned_data: dict) -> FormSubmission:
    """Store the enquiry, then have a worker e-mail staff once the row is committed."""
    submission = page.get_submission_class().objects.create(form_data=cleaned_data, page=page)
    # Recorded as unsent now, in the same transaction: if the task message is lost, the
    # sweeper finds this row and sends the e-mail.
    EnquiryNotification.objects.create(submission=submission)
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
    """For the sweeper: enqueue again the staff e-mail of each enquiry that has still not gone
    ten minutes after it was sent (its message was lost, the mail server refused it every time,
    or the worker sending it died and its claim went stale). Each is counted before it is
    enqueued, so after MAX_AUTOMATIC_RESENDS tries the sweeper leaves it alone. Returns how many
    were enqueued."""
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
                _unclaimed(now),
                submission_id=submission_id,
                sent_at__isnull=True,
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
    reply_to = [
        data[field.clean_name]
        for field in fields
        if field.field_type == "email" and data.get(field.clean_name)
    ][:1]
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


def enquiry_send_notification(*, submission_id: int) -> bool:
    """E-mail staff about one enquiry, at most once. Returns whether this call sent it."""
    submission = FormSubmission.objects.select_related("page").filter(pk=submission_id).first()
    if submission is None:
        return False  # deleted in the admin before the worker got to it
    page = submission.page.specific
    if not isinstance(page, EnquiryFormPage):
        return False
    notification, _ = EnquiryNotification.objects.get_or_create(submission=submission)
    # Claim the work: a duplicated or redelivered task finds nothing to claim and stops. The
    # claim is not the record of sending: a worker that dies mid-send leaves sent_at empty, and
    # once its claim is stale the sweeper (or a redelivered task) sends the e-mail.
    claimed_at = timezone.now()
    claimed = EnquiryNotification.objects.filter(
        _unclaimed(claimed_at), pk=notification.pk, sent_at__isnull=True
    ).update(claimed_at=claimed_at)
    if claimed != 1:
        return False
    message = enquiry_email(page=page, submission=submission)
    try:
        message.send()
    except Exception:
        # Only our own claim is given back: a worker that took over a stale one keeps it. A
        # worker that dies here (SystemExit, or killed outright) leaves its claim to go stale.
        EnquiryNotification.objects.filter(pk=notification.pk, claimed_at=claimed_at).update(
            claimed_at=None
        )
        raise
    EnquiryNotification.objects.filter(pk=notification.pk).update(
        sent_at=timezone.now(), recipients=", ".join(message.to)
    )
    return True
