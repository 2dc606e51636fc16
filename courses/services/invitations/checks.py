"""Who may be invited: the checks a single invitation and every row of an import share."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from learning_platform.accounts.models import Organisation

from ...models import Cohort, Enrolment, Invitation
from ...validators import control_characters_problem, has_control_characters


class InvitationError(Exception):
    """An invitation that cannot be made or used. The message is for people."""


def invitation_expiry_days() -> int:
    return int(getattr(settings, "INVITATION_EXPIRY_DAYS", 14))


def normalise_email(email: str) -> str:
    return email.strip().lower()


def taken_emails(cohort: Cohort) -> tuple[set[str], dict[str, str]]:
    """Emails with a pending invitation, and emails already enrolled (with their status)."""
    pending = {
        e.lower()
        for e in Invitation.objects.filter(cohort=cohort).pending().values_list("email", flat=True)
    }
    enrolled = {
        email.lower(): Enrolment.Status(status).label.lower()
        for email, status in Enrolment.objects.filter(cohort=cohort).values_list(
            "user__email", "status"
        )
    }
    return pending, enrolled


def max_length(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


def text_problems(*, name: str, organisation: str, job_title: str) -> list[str]:
    """Control characters and over-long values, which the database would refuse."""
    problems = []
    for label, value, limit in (
        ("name", name, max_length(Invitation, "full_name")),
        ("organisation", organisation, max_length(Organisation, "name")),
        ("job title", job_title, max_length(Invitation, "job_title")),
    ):
        if has_control_characters(value):
            problems.append(control_characters_problem(label))
        if len(value) > limit:
            problems.append(
                f"The {label} is {len(value)} characters long; it can be at most {limit}."
            )
    return problems


def invitee_problems(
    *,
    name: str,
    email: str,
    pending: set[str],
    enrolled: dict[str, str],
    organisation: str = "",
    job_title: str = "",
) -> list[str]:
    problems = []
    if not name:
        problems.append("The name is missing.")
    problems += text_problems(name=name, organisation=organisation, job_title=job_title)
    email_limit = max_length(Invitation, "email")
    if not email:
        problems.append("The email address is missing.")
    elif len(email) > email_limit:
        problems.append(
            f"The email address is {len(email)} characters long; it can be at most {email_limit}."
        )
    else:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(f"“{email}” is not a valid email address.")
    key = email.lower()
    if key in enrolled:
        problems.append(f"{email} is already enrolled in this cohort ({enrolled[key]}).")
    elif key in pending:
        problems.append(f"{email} has already been invited and has not replied yet.")
    return problems
