"""Checks shared by the forms and the CSV import that take people's names and titles."""

import re

from django.core.exceptions import ValidationError

# C0 control characters and DEL: invisible, often pasted in from another program, and they
# break the spreadsheets and certificates a name is later written into.
CONTROL_CHARACTERS_RE = re.compile(r"[\x00-\x1f\x7f]")


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS_RE.search(value or ""))


def control_characters_problem(label: str) -> str:
    return (
        f"The {label} contains an invisible control character (such as a tab or line break "
        "pasted from another program). Type it again without it."
    )


def reject_control_characters(label: str):
    """A form-field validator refusing control characters, with ``label`` in the message."""

    def validate(value: str) -> None:
        if has_control_characters(value):
            raise ValidationError(control_characters_problem(label), code="control_characters")

    return validate
