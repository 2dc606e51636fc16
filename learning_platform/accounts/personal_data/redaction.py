"""Text helpers for erasure: find a person's identifiers in free text and replace them."""

import re
from collections.abc import Iterable

from allauth.account.models import EmailAddress

REDACTED = "[erased]"


def erased_label(user) -> str:
    return f"Erased user #{user.pk}"


def erased_email(user) -> str:
    return f"erased-{user.pk}@invalid"


def user_emails(user) -> list[str]:
    """The addresses the person has proven are theirs: the ones they verified here.

    Anyone can type any address on the email page. Until its owner follows the link sent to it,
    an address proves nothing, so it must not pull a stranger's enquiries or invitations into
    this person's export, nor let this person's erasure delete or redact them.
    """
    return sorted(
        {
            address.lower()
            for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        }
    )


def user_identifiers(user) -> list[str]:
    """The strings that identify the person: full name, each part of it and their addresses.

    Name parts shorter than three letters are left out: an initial would match everywhere.
    """
    names = [user.full_name.strip()] if user.full_name.strip() else []
    names += [part for part in user.full_name.split() if len(part) >= 3]
    # Longest first, so "Tess Trainee" is replaced whole before "Tess" is.
    return sorted({*names, *user_emails(user)}, key=len, reverse=True)


def _pattern(identifiers: Iterable[str]) -> re.Pattern | None:
    parts = [re.escape(identifier) for identifier in identifiers if identifier]
    if not parts:
        return None
    # Whole words only, so "Pat" does not eat the start of "pattern".
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


class Redactor:
    """Replaces a person's identifiers with a placeholder in text and in JSON values."""

    def __init__(self, identifiers: Iterable[str], replacement: str):
        self.pattern = _pattern(identifiers)
        self.replacement = replacement

    def text(self, value: str) -> str:
        if not value or self.pattern is None:
            return value
        return self.pattern.sub(self.replacement, value)

    def json(self, value):
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {key: self.json(item) for key, item in value.items()}
        return value

    def redact_rows(self, queryset, fields: Iterable[str]) -> int:
        """Rewrite the given text fields of each row that mentions the person.

        ``update()`` rather than ``save()``: append-only audit rows refuse ``save()``, and the
        identifiers are the one thing erasure may change in them.
        """
        fields = list(fields)
        changed = 0
        for row in queryset.only("pk", *fields):
            values = {field: self.text(getattr(row, field)) for field in fields}
            if any(values[field] != getattr(row, field) for field in fields):
                type(row)._default_manager.filter(pk=row.pk).update(**values)
                changed += 1
        return changed


def redactor_for(user) -> Redactor:
    return Redactor(user_identifiers(user), erased_label(user))
