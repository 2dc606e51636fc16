"""One pattern for error messages on every form: the site's own words, each naming its field.

Every form class in our apps, and every allauth form the site renders, is submitted empty, with
answers of the wrong kind, and with answers just outside their limits. Its errors are then
rendered as the pages render them (includes/error_summary.html and includes/form_field.html). No
Django default message may reach the page, the error summary gives each message in the same
words as beside its field, and no message repeats the field's label as a prefix.

The page titles ("Error: " first when the form has errors) are checked on the pages themselves
in test_form_error_pages.py.
"""

import copy
import importlib
import pkgutil
import re

from django import forms
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils.html import escape

import pytest

from learning_platform.security import first_party_packages

from .wording import DJANGO_DEFAULTS

pytestmark = pytest.mark.django_db

# The allauth forms the site shows (sign-in, invitation sign-up, passwords, email addresses,
# confirming access, two-factor setup and sign-in).
ALLAUTH_FORMS = (
    "allauth.account.forms.LoginForm",
    "allauth.account.forms.SignupForm",
    "allauth.account.forms.AddEmailForm",
    "allauth.account.forms.ChangePasswordForm",
    "allauth.account.forms.SetPasswordForm",
    "allauth.account.forms.ResetPasswordForm",
    "allauth.account.forms.ResetPasswordKeyForm",
    "allauth.account.forms.ReauthenticateForm",
    "allauth.mfa.base.forms.AuthenticateForm",
    "allauth.mfa.base.forms.ReauthenticateForm",
    "allauth.mfa.totp.forms.ActivateTOTPForm",
    "allauth.mfa.totp.forms.DeactivateTOTPForm",
    "allauth.mfa.recovery_codes.forms.GenerateRecoveryCodesForm",
)

# Modules that define no forms and do something when imported (settings, server entry points).
SKIPPED_MODULES = {"migrations", "settings", "wsgi", "asgi", "management"}

PAGE = Template(
    '{% include "includes/error_summary.html" %}'
    '{% for field in form.visible_fields %}{% include "includes/form_field.html" %}{% endfor %}'
)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for subclass in cls.__subclasses__():
        found |= {subclass} | _subclasses(subclass)
    return found


def our_form_classes() -> list[type]:
    """Every Form and ModelForm defined in one of our apps (their modules imported first)."""
    packages = first_party_packages()
    for package in packages:
        for module in pkgutil.walk_packages(
            importlib.import_module(package).__path__, f"{package}."
        ):
            if any(part in SKIPPED_MODULES for part in module.name.split(".")):
                continue
            importlib.import_module(module.name)
    classes = [
        cls for cls in _subclasses(forms.BaseForm) if cls.__module__.split(".")[0] in packages
    ]
    return sorted(classes, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def allauth_form_classes() -> list[type]:
    classes = []
    for dotted in ALLAUTH_FORMS:
        module, name = dotted.rsplit(".", 1)
        classes.append(getattr(importlib.import_module(module), name))
    return classes


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _wrong_kind(field: forms.Field):
    if isinstance(field, forms.BooleanField):
        return ""
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return ["not-a-choice"]
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return "not-a-choice"
    if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
        return "several"
    if isinstance(field, forms.DateField | forms.DateTimeField | forms.TimeField):
        return "31/02/2026"
    return "not right@"


def _outside_limits(field: forms.Field):
    if getattr(field, "min_value", None) is not None:
        return str(field.min_value - 1)
    if getattr(field, "max_value", None) is not None:
        return str(field.max_value + 1)
    if isinstance(field, forms.DecimalField) and field.max_digits:
        return "9" * (field.max_digits + 1)
    if getattr(field, "max_length", None) and not isinstance(field, forms.FileField):
        return "x" * (field.max_length + 1)
    if getattr(field, "min_length", None):
        return "x"
    return _wrong_kind(field)


def submissions(fields: dict[str, forms.Field]):
    yield "empty", {}, {}
    for label, value_for in (("wrong kind", _wrong_kind), ("outside limits", _outside_limits)):
        data, files = {}, {}
        for name, field in fields.items():
            if isinstance(field, forms.FileField):
                files[name] = SimpleUploadedFile("empty.pdf", b"")
            else:
                data[name] = value_for(field)
        yield label, data, files


def checked(cls: type, data: dict, files: dict) -> forms.BaseForm:
    """The form as its view builds it, validated, when that needs the data alone; otherwise a
    form with the same fields (declared and, for a ModelForm, from the model)."""
    try:
        form = cls(data=data, files=files)
        form.is_valid()
        return form
    except Exception:
        fields = {name: copy.deepcopy(field) for name, field in cls.base_fields.items()}
        for field in fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.queryset is None:
                field.queryset = Group.objects.none()  # choices its view fills in: none here
        form = type(cls.__name__, (forms.Form,), fields)(data=data, files=files)
        form.is_valid()
        return form


def problems(form: forms.BaseForm) -> list[str]:
    html = PAGE.render(Context({"form": form}))
    found = [f"Django's wording: {text!r}" for text in DJANGO_DEFAULTS if text in html]
    summary = re.findall(r'<li><a href="#[^"]*">(.*?)</a></li>', html)
    for field in form:
        label = str(field.label).strip()
        for error in field.errors:
            if label and error.lower().startswith(f"{label.lower()}:"):
                found.append(f"{field.name}: label repeated as a prefix: {error!r}")
            if escape(error) not in summary:
                found.append(f"{field.name}: {error!r} is not in the summary as it is")
    return found


@pytest.mark.parametrize("form_class", our_form_classes() + allauth_form_classes(), ids=_name)
def test_it_words_every_forms_errors_in_the_sites_own_words(form_class):
    failures = []
    for submission, data, files in submissions(checked(form_class, {}, {}).fields):
        form = checked(form_class, data, files)
        failures += [f"{submission}: {problem}" for problem in problems(form)]

    assert failures == []


def test_it_found_the_forms_of_every_app():
    found = {cls.__module__.split(".")[0] for cls in our_form_classes()}

    assert {"accreditation", "content", "courses", "learning_platform", "notifications"} <= found
