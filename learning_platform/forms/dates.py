"""A date as three boxes, day, month and year, in the pattern UK public-sector users know.

A browser's own date picker shows mm/dd/yyyy or dd/mm/yyyy depending on the machine, is hard
to use with a screen reader or a keyboard and cannot be typed into on some phones. Three
labelled boxes inside a fieldset work everywhere, without JavaScript. What the person typed
is shown again when it is wrong, with a message that says which part to fix.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

_DAY_OR_MONTH = re.compile(r"[0-9]{1,2}")
_DIGITS = re.compile(r"[0-9]+")

PART_LABELS = ("Day", "Month", "Year")
EXAMPLE_HINT = "For example, 27 3 2026"


class DateInputWidget(forms.MultiWidget):
    """Day, month and year text boxes; the page wraps them in a fieldset with a legend."""

    template_name = "includes/date_input.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        def box(width: int) -> forms.TextInput:
            return forms.TextInput(
                attrs={
                    "class": f"date-input__input date-input__input--width-{width}",
                    "inputmode": "numeric",
                }
            )

        super().__init__({"day": box(2), "month": box(2), "year": box(4)}, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value:
            try:
                day = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [str(day.day), str(day.month), str(day.year)]
        return [None, None, None]

    def id_for_label(self, id_):
        # The legend names the group; a link to the field (from the error summary) goes to
        # its first box.
        return f"{id_}_0" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for label, subwidget in zip(PART_LABELS, context["widget"]["subwidgets"], strict=True):
            subwidget["label"] = label
        return context

    def _render(self, template_name, context, renderer=None):
        # The site's own template engine, which finds the project's templates folder.
        return mark_safe(render_to_string(template_name, context))  # noqa: S308


class DateInputField(forms.MultiValueField):
    """A date typed as day, month and year. Each kind of mistake has its own message.

    `subject` names the date in the messages ("The date of the session must be a real date").
    """

    widget = DateInputWidget

    def __init__(self, *, subject: str = "The date", help_text: str = EXAMPLE_HINT, **kwargs):
        error_messages = {
            "required": f"Enter {_lower_first(subject)}.",
            "incomplete": f"{subject} must include a %(parts)s.",
            "invalid": f"{subject} must be a real date.",
            "year": "The year must include 4 numbers.",
        }
        error_messages.update(kwargs.pop("error_messages", {}) or {})
        parts = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(
            fields=parts,
            require_all_fields=False,
            error_messages=error_messages,
            help_text=help_text,
            **kwargs,
        )

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (value or "" for value in data_list)
        parts = {"day": day, "month": month, "year": year}
        missing = [name for name, value in parts.items() if not value]
        if missing:
            raise ValidationError(
                self.error_messages["incomplete"],
                code="incomplete",
                params={"parts": " and ".join(missing)},
            )
        if not (_DAY_OR_MONTH.fullmatch(day) and _DAY_OR_MONTH.fullmatch(month)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if not _DIGITS.fullmatch(year):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            raise ValidationError(self.error_messages["year"], code="year")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
