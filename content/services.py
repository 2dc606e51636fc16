"""Writes for the public site: receiving an enquiry and telling staff about it."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from wagtail.contrib.forms.models import FormSubmission

from .models import EnquiryFormPage, EnquiryNotification


def enquiry_submit(*, page: EnquiryFormPage, cleaned_data: dict) -> FormSubmission:
    """Store the enquiry, then have a worker e-mail staff once the row is committed."""
    from .tasks import send_enquiry_notification

    submission = page.get_submission_class().objects.create(form_data=cleaned_data, page=page)
    transaction.on_commit(lambda: send_enquiry_notification.delay(submission.pk))
    return submission


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
    # Claim the work: a duplicated or redelivered task finds nothing to claim and stops.
    claimed = EnquiryNotification.objects.filter(pk=notification.pk, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if claimed != 1:
        return False
    message = enquiry_email(page=page, submission=submission)
    try:
        message.send()
    except Exception:
        EnquiryNotification.objects.filter(pk=notification.pk).update(sent_at=None)
        raise
    EnquiryNotification.objects.filter(pk=notification.pk).update(recipients=", ".join(message.to))
    return True
