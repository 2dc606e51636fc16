"""The public site's part of a person's data: enquiries sent through the contact form.

An enquirer need not have an account, but when the address typed into an enquiry's email field
is one of the person's own (their login address or another address they verified here), the
enquiry is treated as theirs: it is in their export, and erasure deletes it. Anyone can type
any address into a public form, so this is a match on the address, not proof of authorship;
it errs towards the person, which is what a subject access request and an erasure ask for.

Erasure decisions: matching enquiries (``FormSubmission`` rows) are deleted, and with them the
record of the e-mails sent about each one (to staff, and the acknowledgement to the enquirer,
which holds no address or text of its own). Copies already delivered to staff mailboxes are
outside the platform.
"""

import json

from django.db.models import Q, TextField
from django.db.models.functions import Cast

from wagtail.contrib.forms.models import FormSubmission

from learning_platform.accounts.personal_data.redaction import user_emails

from .models import EnquiryFormField


def _email_fields() -> dict[int, list[str]]:
    fields: dict[int, list[str]] = {}
    for page_id, clean_name in EnquiryFormField.objects.filter(field_type="email").values_list(
        "page_id", "clean_name"
    ):
        fields.setdefault(page_id, []).append(clean_name)
    return fields


def _enquiries_of(user) -> list[FormSubmission]:
    emails = set(user_emails(user))
    fields = _email_fields()
    if not emails or not fields:
        return []
    # The database narrows the rows down; the exact field is checked below.
    mentions = Q()
    for email in emails:
        mentions |= Q(data_text__icontains=json.dumps(email)[1:-1])
    candidates = (
        FormSubmission.objects.filter(page_id__in=fields)
        .annotate(data_text=Cast("form_data", TextField()))
        .filter(mentions)
        .select_related("page")
        .order_by("submit_time", "pk")
    )
    return [
        submission
        for submission in candidates
        if any(
            str(submission.form_data.get(name, "")).strip().lower() in emails
            for name in fields[submission.page_id]
        )
    ]


def user_data(user) -> dict:
    return {
        "enquiries": [
            {
                "form": submission.page.title,
                "sent_at": submission.submit_time,
                "answers": submission.form_data,
            }
            for submission in _enquiries_of(user)
        ]
    }


def user_files(user) -> list:
    return []


def erase_user(user) -> None:
    submissions = _enquiries_of(user)
    if submissions:
        FormSubmission.objects.filter(pk__in=[item.pk for item in submissions]).delete()
