"""Error messages in the site's own words, for every form, and "Error: " in the page title.

Django's built-in messages ("This field is required.", "Ensure this value is greater than or
equal to 1.", "Enter a valid email address.") do not say which answer is wrong, so they cannot
stand alone in an error summary. `SiteFormRenderer`, the project's FORM_RENDERER, gives every
form's fields a `SiteBoundField`, which replaces any of those built-in messages with one that
names the field, derived from its label ("Enter full name.", "Number of places must be 1 or
more."). A message a form writes itself is kept as it is. Forms need nothing to take part.

`ErrorTitleMiddleware` starts the page title with "Error: " on any page that shows an error
summary, so a screen reader user hears that the form was not accepted as the page loads.
"""

import re
from functools import cache

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise

FILE_FIELDS = (forms.FileField,)
CHOICE_FIELDS = (forms.ChoiceField, forms.ModelChoiceField)
NUMBER_FIELDS = (forms.IntegerField, forms.FloatField, forms.DecimalField)


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for subclass in cls.__subclasses__():
        found.add(subclass)
        found |= _all_subclasses(subclass)
    return found


@cache
def _django_defaults() -> tuple[frozenset[int], frozenset[str]]:
    """Every message Django's form fields, model fields and validators give by default: the
    message objects themselves (a plural message only has its text once it is formatted) and
    their texts."""
    found = []
    field_classes = {forms.Field, models.Field}
    field_classes |= _all_subclasses(forms.Field) | _all_subclasses(models.Field)
    for field_class in field_classes:
        if field_class.__module__.startswith("django."):
            found += field_class.default_error_messages.values()
    for value in vars(validators).values():
        message = getattr(value, "message", None)
        if isinstance(message, str | Promise):
            found.append(message)
        messages = getattr(value, "messages", None)
        if isinstance(messages, dict):
            found += messages.values()
    return frozenset(id(message) for message in found), frozenset(
        text for text in map(str, found) if text
    )


def is_django_default(message) -> bool:
    ids, texts = _django_defaults()
    return id(message) in ids or str(message) in texts


def _lower_first(label: str) -> str:
    """The label inside a sentence: "New Password" becomes "new password"; an abbreviation
    stays as it is written ("CSV file", "DBS number")."""
    return " ".join(
        word if len(word) > 1 and word.isupper() else word.lower() for word in label.split(" ")
    )


def _upper_first(label: str) -> str:
    return label[:1].upper() + label[1:]


def site_message(field: forms.Field, label: str, code: str | None, params: dict) -> str:
    """The site's wording for a built-in message with this code, naming the field."""
    label = (label or "").strip().rstrip(":")
    if not label:
        name, Name = "an answer", "The answer"
    elif label.endswith("?"):
        # A question: "Select an answer to “What is your enquiry about?”."
        name, Name = f"an answer to “{label}”", f"The answer to “{label}”"
    else:
        name, Name = _lower_first(label), _upper_first(label)
    limit = params.get("limit_value", params.get("max"))
    if code in ("required", "null", "blank", "missing", "incomplete"):
        if isinstance(field, forms.BooleanField):
            return f"Tick “{label}” to continue."
        if isinstance(field, FILE_FIELDS):
            return f"Choose {name} to upload."
        if isinstance(field, CHOICE_FIELDS):
            return f"Select {name}."
        return f"Enter {name}."
    if code in ("invalid_choice", "invalid_pk_value", "invalid_list"):
        return f"{Name} must be one of the options given."
    if code == "min_value":
        return f"{Name} must be {limit} or more."
    if code == "max_value":
        return f"{Name} must be {limit} or less."
    if code == "step_size":
        return f"{Name} must be a multiple of {limit}."
    if code == "min_length":
        return f"{Name} must be {limit} characters or more."
    if code == "max_length":
        if isinstance(field, FILE_FIELDS):
            return f"The name of the file must be {limit} characters or fewer."
        return f"{Name} must be {limit} characters or fewer."
    if code == "max_digits":
        return f"{Name} must have {limit} digits or fewer."
    if code == "max_decimal_places":
        return f"{Name} must have {limit} decimal places or fewer."
    if code == "max_whole_digits":
        return f"{Name} must have {limit} digits or fewer before the decimal point."
    if code == "empty":
        return f"The file chosen for {name} is empty."
    if code == "contradiction":
        return f"Either choose a new file for {name} or tick to clear it, not both."
    if code == "invalid_image":
        return f"{Name} must be a picture: a JPEG, PNG or GIF file."
    if code == "unique":
        model_name = str(params.get("model_name", "record")).lower()
        field_label = str(params.get("field_label", label)).lower()
        return f"There is already a {model_name} with this {field_label}."
    if code == "null_characters_not_allowed":
        return f"{Name} must not contain null characters."
    # "invalid", "overflow", "invalid_date", "invalid_time" and anything else.
    if isinstance(field, forms.EmailField):
        return "Enter an email address in the correct format, like name@example.org."
    if isinstance(field, forms.URLField):
        return "Enter a web address in the correct format, like https://www.example.org."
    if isinstance(field, NUMBER_FIELDS):
        return f"{Name} must be a number."
    if isinstance(field, forms.DateTimeField | forms.SplitDateTimeField):
        return f"{Name} must be a real date and time."
    if isinstance(field, forms.DateField):
        return f"{Name} must be a real date."
    if isinstance(field, forms.TimeField):
        return f"{Name} must be a real time, like 14:30."
    if isinstance(field, FILE_FIELDS):
        return f"Choose {name} to upload."
    return f"{Name} is not in the right format."


def in_site_words(field: forms.Field, label: str, error: ValidationError) -> ValidationError:
    if not is_django_default(error.message):
        return error
    return ValidationError(site_message(field, label, error.code, error.params or {}), error.code)


class SiteBoundField(BoundField):
    """A form field whose built-in error messages are in the site's own words."""

    @property
    def errors(self):
        errors = super().errors
        if not errors:
            return errors
        reworded = errors.copy()
        reworded.data = [
            in_site_words(self.field, str(self.label), error) for error in errors.as_data()
        ]
        return reworded


class SiteFormRenderer(DjangoTemplates):
    """The project's FORM_RENDERER: Django's templates, with `SiteBoundField` for every field."""

    bound_field_class = SiteBoundField


_TITLE = re.compile(rb"<title>\s*(?!Error: )")
_ERROR_SUMMARY = b'class="error-summary"'


class ErrorTitleMiddleware:
    """Start the title with "Error: " on every page that shows an error summary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and _ERROR_SUMMARY in response.content
        ):
            response.content = _TITLE.sub(b"<title>Error: ", response.content, count=1)
        return response
