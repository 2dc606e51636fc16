"""Forms for appeals and the CPD log. The services check the rules again; the forms give each
mistake its own message beside its field, keeping everything typed."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from learning_platform.forms import DateInputField

from .exceptions import TransitionError
from .models import AppealDecision, CpdActivityType
from .services.appeals import GROUNDS_MAX_LENGTH, REASONS_MAX_LENGTH
from .services.cpd import REFLECTION_MAX_LENGTH, TITLE_MAX_LENGTH, cpd_clean_hours
from .services.evidence import ACCEPTED_TYPES_TEXT, evidence_file_type, max_upload_bytes

# Appeals --------------------------------------------------------------------------------------


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label="Your grounds for appealing",
        max_length=GROUNDS_MAX_LENGTH,
        error_messages={
            "required": "Give your grounds for appealing.",
            "max_length": (
                f"Your grounds are too long: keep them under {GROUNDS_MAX_LENGTH:,} characters."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=(
            "Say why you think the decision was wrong: what was missed or misjudged, and what "
            "supports your appeal. An assessor who did not make the decision reads this."
        ),
    )


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Your decision on the appeal",
        choices=[
            (AppealDecision.Outcome.UPHELD, "Uphold: the decision stands"),
            (AppealDecision.Outcome.OVERTURNED, "Overturn the decision"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the decision stands or is overturned."},
    )
    reasons = forms.CharField(
        label="Reasons",
        max_length=REASONS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Give the reasons for your decision on the appeal.",
            "max_length": (
                f"Your reasons are too long: keep them under {REASONS_MAX_LENGTH:,} characters."
            ),
        },
        help_text="The appellant reads these. They are kept with the outcome.",
    )


# The CPD log ----------------------------------------------------------------------------------


class CpdEntryForm(forms.Form):
    date = DateInputField(
        label="Date of the activity",
        subject="The date of the activity",
        help_text="For example, 27 3 2026.",
    )
    activity_type = forms.ModelChoiceField(
        label="Type of activity",
        queryset=CpdActivityType.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the type of activity.",
            "invalid_choice": "Choose one of the types of activity listed.",
        },
    )
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "required": "Enter a title for the activity.",
            "max_length": f"The title is too long: keep it under {TITLE_MAX_LENGTH} characters.",
        },
        help_text="For example, the review you led or the course you attended.",
    )
    # A text box, not a number box: the service reads it, and every mistake gets a plain message.
    hours = forms.CharField(
        label="Hours",
        max_length=10,
        error_messages={"required": "Enter the hours the activity took."},
        help_text="More than 0 and no more than 24, for example 1.5.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    reflection = forms.CharField(
        label="Reflection",
        required=False,
        max_length=REFLECTION_MAX_LENGTH,
        error_messages={
            "max_length": (
                f"Your reflection is too long: keep it under {REFLECTION_MAX_LENGTH:,} characters."
            )
        },
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you learned, and how it changes your practice.",
    )
    evidence = forms.FileField(label="Evidence file", required=False)
    remove_evidence = forms.BooleanField(label="Remove the evidence file", required=False)

    def __init__(self, *args, entry=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = (
            f"A {ACCEPTED_TYPES_TEXT} file, up to {filesizeformat(max_upload_bytes())}. Only you "
            "can download it."
        )
        self.fields["evidence"].widget.attrs["accept"] = ".pdf,.docx,.odt,.xlsx,.png,.jpg,.jpeg"
        if entry is None or not entry.evidence:
            del self.fields["remove_evidence"]
        else:
            self.fields["evidence"].label = "Replace the evidence file"

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day and day > timezone.localdate():
            raise ValidationError("The date of the activity cannot be in the future.")
        return day

    def clean_hours(self):
        try:
            return cpd_clean_hours(self.cleaned_data["hours"].strip())
        except TransitionError as error:
            raise ValidationError(str(error)) from None

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            evidence_file_type(upload)
        return upload
