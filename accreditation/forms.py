"""Forms for accreditation pages. Forms check input; the services apply the rules.

Sections: supervised review (evidence, sign-off, registers); supervision.
"""

from django import forms
from django.utils import timezone

from learning_platform.forms import DateInputField

from .models import (
    ContributoryFactorCategory,
    KeyPracticeEpisode,
    PatternType,
    ReviewStage,
    SupervisionSession,
    UnderlyingPattern,
)
from .selectors.supervision import supervisor_trainees
from .services.evidence import ACCEPTED_TYPES_TEXT, evidence_file_type, max_upload_bytes

# Supervised review: evidence ----------------------------------------------------------------


class EvidenceNoteForm(forms.Form):
    prefix = "note"

    title = forms.CharField(
        error_messages={"required": "Enter a title for the note."},
        max_length=200,
        label="Title of the note",
    )
    note = forms.CharField(
        error_messages={"required": "Enter the note."},
        label="Note",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Use pseudonyms: never a child's or family member's name, date of birth or "
        "address.",
    )


class EvidenceFileForm(forms.Form):
    prefix = "upload"

    title = forms.CharField(
        error_messages={"required": "Enter a title for the document."},
        max_length=200,
        label="Title of the document",
    )
    file = forms.FileField(error_messages={"required": "Choose a file to upload."}, label="File")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.template.defaultfilters import filesizeformat

        self.fields["file"].help_text = (
            f"A {ACCEPTED_TYPES_TEXT} file, up to {filesizeformat(max_upload_bytes())}. Remove "
            "anything that identifies the child or family first."
        )
        self.fields["file"].widget.attrs["accept"] = ".pdf,.docx,.odt,.xlsx,.png,.jpg,.jpeg"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.file_type = evidence_file_type(upload)
        return upload


# Supervised review: sign-off ----------------------------------------------------------------


class StageCommentForm(forms.Form):
    """The comment that goes with a transition; required for sending back and reopening."""

    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label: str, required: bool, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["comment"]
        field.label = label
        field.required = required
        field.help_text = help_text
        if required:
            field.error_messages["required"] = f"Enter {label[0].lower()}{label[1:]}."


# Supervised review: registers ---------------------------------------------------------------


class EpisodeForm(forms.Form):
    title = forms.CharField(
        error_messages={"required": "Enter a title for the episode."},
        max_length=200,
        label="Title of the episode",
    )
    what_happened = forms.CharField(
        error_messages={"required": "Describe what happened."},
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Describe the practice, not the people: no names, dates of birth or addresses.",
    )
    when = forms.CharField(
        max_length=100,
        required=False,
        label="When",
        help_text=KeyPracticeEpisode._meta.get_field("when").help_text,
    )
    agencies = forms.CharField(
        max_length=255,
        required=False,
        label="Agencies involved",
        help_text="For example: children's social care, police, GP.",
    )
    assessment = forms.ChoiceField(
        error_messages={"required": "Choose how the review sees this episode."},
        label="How the review sees this episode",
        choices=KeyPracticeEpisode.Assessment.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, data=None, *, stage: ReviewStage, entry: KeyPracticeEpisode | None = None):
        """An empty form to add an episode to the stage's review, or one filled from `entry`."""
        super().__init__(data, initial=self._initial_for(entry) if entry else None)
        self.categories = categories = list(ContributoryFactorCategory.objects.all())
        for category in categories:
            self.fields[f"factor_{category.pk}"] = forms.CharField(
                label=category.name,
                required=False,
                help_text=category.description,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    @property
    def factor_fields(self):
        return [self[f"factor_{category.pk}"] for category in self.categories]

    @property
    def detail_fields(self):
        return [self[name] for name in ("title", "what_happened", "when", "agencies")]

    def factors(self) -> dict[ContributoryFactorCategory, str]:
        return {
            category: self.cleaned_data.get(f"factor_{category.pk}", "")
            for category in self.categories
        }

    def values(self) -> dict:
        """The keyword arguments of the episode services."""
        data = self.cleaned_data
        names = ("title", "what_happened", "when", "agencies", "assessment")
        return {**{name: data[name] for name in names}, "factors": self.factors()}

    @staticmethod
    def _initial_for(episode: KeyPracticeEpisode) -> dict:
        initial = {
            "title": episode.title,
            "what_happened": episode.what_happened,
            "when": episode.when,
            "agencies": episode.agencies,
            "assessment": episode.assessment,
        }
        texts: dict[str, list[str]] = {}
        for factor in episode.contributory_factors.all():
            texts.setdefault(f"factor_{factor.category_id}", []).append(factor.description)
        initial.update({name: "\n\n".join(parts) for name, parts in texts.items()})
        return initial


class PatternForm(forms.Form):
    title = forms.CharField(
        error_messages={"required": "Enter a title for the pattern."},
        max_length=200,
        label="Title of the pattern",
    )
    description = forms.CharField(
        error_messages={"required": "Describe the pattern."},
        label="Description",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    pattern_type = forms.ModelChoiceField(
        error_messages={"required": "Choose the type of pattern."},
        label="Type of pattern",
        queryset=PatternType.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    episodes = forms.ModelMultipleChoiceField(
        label="Key practice episodes that support it",
        queryset=KeyPracticeEpisode.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    priority = forms.IntegerField(
        error_messages={"required": "Enter a priority from 1 to 99."},
        label="Priority",
        min_value=1,
        max_value=99,
        initial=1,
        help_text="1 is the most important finding.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, data=None, *, stage: ReviewStage, entry: UnderlyingPattern | None = None):
        """An empty form to add a pattern to the stage's review, or one filled from `entry`."""
        super().__init__(data, initial=self._initial_for(entry) if entry else None)
        self.fields["episodes"].queryset = KeyPracticeEpisode.objects.filter(review=stage.review)

    def values(self) -> dict:
        """The keyword arguments of the pattern services."""
        names = ("title", "description", "pattern_type", "priority", "episodes")
        return {name: self.cleaned_data[name] for name in names}

    @staticmethod
    def _initial_for(pattern: UnderlyingPattern) -> dict:
        return {
            "title": pattern.title,
            "description": pattern.description,
            "pattern_type": pattern.pattern_type_id,
            "priority": pattern.priority,
            "episodes": list(pattern.episodes.values_list("pk", flat=True)),
        }


# Supervision --------------------------------------------------------------------------------


class SupervisionSessionForm(forms.Form):
    kind = forms.ChoiceField(
        error_messages={"required": "Choose group or individual supervision."},
        label="Type of session",
        choices=SupervisionSession.Kind.choices,
        widget=forms.RadioSelect,
    )
    date = DateInputField(label="Date of the session", subject="The date of the session")
    duration_minutes = forms.IntegerField(
        error_messages={"required": "Enter how long the session lasted, in minutes."},
        label="Length in minutes",
        min_value=5,
        max_value=600,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    attendees = forms.ModelMultipleChoiceField(
        error_messages={"required": "Choose each trainee who attended."},
        label="Who attended",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each trainee confirms their attendance before it counts.",
    )
    during_report_writing = forms.BooleanField(
        label="An individual session during report writing", required=False
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What was discussed. Use pseudonyms: no names of children or family members.",
    )

    def __init__(self, *args, supervisor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = supervisor_trainees(supervisor=supervisor)
        self.fields["attendees"].label_from_instance = lambda user: user.full_name or user.email

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date of the session must be today or in the past.")
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == SupervisionSession.Kind.GROUP and cleaned.get(
            "during_report_writing"
        ):
            self.add_error(
                "during_report_writing",
                "Only an individual session is marked as during report writing.",
            )
        return cleaned
