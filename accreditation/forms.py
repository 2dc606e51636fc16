"""Forms for accreditation pages. Forms check input; the services apply the rules.

Sections: supervised review (evidence, sign-off, registers); supervision.
"""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from learning_platform.forms import DateInputField

from .models import (
    ContributoryFactor,
    ContributoryFactorCategory,
    Conversation,
    Finding,
    FindingCategory,
    IssueForBoard,
    KeyPracticeEpisode,
    ReviewStage,
    SupervisionSession,
)
from .selectors.supervision import supervisor_trainees
from .services.evidence import ACCEPTED_TYPES_TEXT, evidence_file_type, max_upload_bytes
from .services.registers import EPISODE_FIELDS, FINDING_FIELDS

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


PSEUDONYMS = "Use the review's pseudonyms: no names, dates of birth or addresses."


def _text(label: str, model, name: str, *, required: bool = False, rows: int = 5, **kwargs):
    """A free-text field about the case, bounded as the model bounds it, with the pseudonymity
    rule in its hint."""
    model_field = model._meta.get_field(name)
    hint = kwargs.pop("help_text", model_field.help_text)
    return forms.CharField(
        label=label,
        required=required,
        max_length=model_field.max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=f"{hint} {PSEUDONYMS}".strip(),
        **kwargs,
    )


def _factor_hint(category: ContributoryFactorCategory) -> str:
    """The category's description and its prompting questions, as the field's hint, so a screen
    reader reads the questions with the box."""
    questions = format_html_join(
        "", "<li>{}</li>", ((question,) for question in category.questions)
    )
    if not questions:
        return category.description
    return format_html(
        '{}<ul class="prompting-questions" aria-label="Questions to ask">{}</ul>',
        category.description,
        questions,
    )


class ConversationChoiceField(forms.ModelMultipleChoiceField):
    """The review's conversations, each labelled by its date and who it was with."""

    def label_from_instance(self, conversation: Conversation) -> str:
        people = "; ".join(str(person) for person in conversation.participants.all())
        status = "" if conversation.status == Conversation.Status.HELD else " (planned)"
        return f"{date_format(conversation.date)}{status}: {people}"


class EpisodeForm(forms.Form):
    title = forms.CharField(
        error_messages={"required": "Enter a title for the episode."},
        max_length=200,
        label="Title of the episode",
        help_text="A few words that name the practice, for example 'Strategy discussion held "
        "without the school'.",
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
    what_happened = _text(
        "What happened",
        KeyPracticeEpisode,
        "what_happened",
        required=True,
        rows=6,
        help_text="Describe the practice, not the people.",
        error_messages={"required": "Describe what happened."},
    )
    assessment = forms.ChoiceField(
        error_messages={"required": "Choose how the review appraises the practice."},
        label="How the review appraises the practice",
        choices=KeyPracticeEpisode.Assessment.choices,
        widget=forms.RadioSelect,
    )
    assessment_explanation = _text(
        "Why the practice is appraised so",
        KeyPracticeEpisode,
        "assessment_explanation",
        help_text="What made it good, problematic or mixed, judged with hindsight held back.",
    )
    local_rationality = _text(
        "Why it made sense at the time", KeyPracticeEpisode, "local_rationality", rows=6
    )
    data_sources = _text("Data sources", KeyPracticeEpisode, "data_sources", rows=3)
    conversations = ConversationChoiceField(
        label="Conversations it rests on",
        help_text="The one-to-one conversations with the case group that tell of this episode.",
        queryset=Conversation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Choose conversations of this review only: one of those chosen is "
            "not.",
        },
    )
    case_group_view = forms.ChoiceField(
        label="The case group's view of this account",
        choices=KeyPracticeEpisode.CaseGroupView.choices,
        initial=KeyPracticeEpisode.CaseGroupView.NOT_DISCUSSED,
        required=False,  # until the case group has met, it has not discussed the account
        widget=forms.RadioSelect,
    )
    case_group_note = _text(
        "Note on the case group's view",
        KeyPracticeEpisode,
        "case_group_note",
        rows=3,
        help_text="What the case group agreed or contested, and when.",
    )

    DETAIL_FIELDS = ("title", "when", "agencies", "what_happened")
    SERVICE_FIELDS = EPISODE_FIELDS

    def __init__(self, data=None, *, stage: ReviewStage, entry: KeyPracticeEpisode | None = None):
        """An empty form to add an episode to the stage's review, or one filled from `entry`."""
        super().__init__(data, initial=self._initial_for(entry) if entry else None)
        self.fields["conversations"].queryset = Conversation.objects.filter(
            review=stage.review
        ).prefetch_related("participants")
        self.categories = categories = list(
            ContributoryFactorCategory.objects.select_related("level")
        )
        limit = ContributoryFactor._meta.get_field("description").max_length
        for category in categories:
            self.fields[f"factor_{category.pk}"] = forms.CharField(
                label=category.name,
                required=False,
                max_length=limit,
                help_text=_factor_hint(category),
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    @property
    def detail_fields(self):
        return [self[name] for name in self.DETAIL_FIELDS]

    def clean_case_group_view(self) -> str:
        return (
            self.cleaned_data["case_group_view"] or KeyPracticeEpisode.CaseGroupView.NOT_DISCUSSED
        )

    @property
    def factor_groups(self):
        """The factor fields grouped by their categories' levels, in level order; categories
        with no level come last, under None."""
        groups: dict = {}
        for category in sorted(
            self.categories,
            key=lambda c: (c.level is None, c.level.sort_order if c.level else 0, c.sort_order),
        ):
            groups.setdefault(category.level, []).append(self[f"factor_{category.pk}"])
        return list(groups.items())

    def factors(self) -> dict[ContributoryFactorCategory, str]:
        return {
            category: self.cleaned_data.get(f"factor_{category.pk}", "")
            for category in self.categories
        }

    def values(self) -> dict:
        """The keyword arguments of the episode services."""
        data = self.cleaned_data
        return {
            **{name: data[name] for name in self.SERVICE_FIELDS},
            "factors": self.factors(),
            "conversations": list(data["conversations"]),
        }

    @classmethod
    def _initial_for(cls, episode: KeyPracticeEpisode) -> dict:
        initial = {name: getattr(episode, name) for name in cls.SERVICE_FIELDS}
        initial["conversations"] = [conversation.pk for conversation in episode.conversations.all()]
        texts: dict[str, list[str]] = {}
        for factor in episode.contributory_factors.all():
            texts.setdefault(f"factor_{factor.category_id}", []).append(factor.description)
        initial.update({name: "\n\n".join(parts) for name, parts in texts.items()})
        return initial


class EpisodeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, episode: KeyPracticeEpisode) -> str:
        return f"{episode.label}: {episode.title}"


class FindingForm(forms.Form):
    title = forms.CharField(
        error_messages={"required": "Enter a title for the finding."},
        max_length=200,
        label="Title of the finding",
        help_text="Name the pattern in the system, for example 'Strategy discussions rarely "
        "include schools'.",
    )
    category = forms.ModelChoiceField(
        error_messages={"required": "Choose the finding's category."},
        label="Category (the typology of underlying patterns)",
        queryset=FindingCategory.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    direction = forms.ChoiceField(
        label="Does the pattern support safe practice, or make poor practice more likely?",
        choices=Finding.Direction.choices,
        initial=Finding.Direction.POOR_PRACTICE_MORE_LIKELY,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the pattern supports safe practice."},
    )
    in_this_case = _text(
        "How it showed itself in this case",
        Finding,
        "in_this_case",
        required=True,
        rows=6,
        error_messages={"required": "Describe how the pattern showed itself in this case."},
    )
    episodes = EpisodeChoiceField(
        label="The key practice episodes behind it",
        help_text="At least one before the stage is submitted. You can save the finding "
        "without them while you work on it.",
        queryset=KeyPracticeEpisode.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Choose episodes of this review only: one of those chosen is not.",
        },
    )
    how_we_know = _text(
        "How we know it is an underlying issue, not peculiar to this case",
        Finding,
        "how_we_know",
        rows=6,
    )
    system_reliability = _text(
        "What it means for the reliability of the multi-agency system",
        Finding,
        "system_reliability",
    )
    statement = _text("The finding", Finding, "statement", rows=3)
    priority = forms.IntegerField(
        error_messages={"required": "Enter a priority from 1 to 99."},
        label="Priority",
        min_value=1,
        max_value=99,
        initial=1,
        help_text="1 is the most important. Findings are numbered in priority order.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    SERVICE_FIELDS = (*FINDING_FIELDS, "episodes")
    MIN_ISSUE_BOXES = 3
    MAX_ISSUES = 12

    def __init__(self, data=None, *, stage: ReviewStage, entry: Finding | None = None):
        """An empty form to add a finding to the stage's review, or one filled from `entry`.
        Issues for the board get one box each, with two spare boxes for new ones."""
        issues = [issue.text for issue in entry.issues_for_board.all()] if entry else []
        initial = self._initial_for(entry, issues) if entry else None
        super().__init__(data, initial=initial)
        self.fields["episodes"].queryset = KeyPracticeEpisode.objects.filter(review=stage.review)
        boxes = min(max(len(issues) + 2, self.MIN_ISSUE_BOXES), self.MAX_ISSUES)
        if data is not None:
            posted = sum(1 for key in data if key.startswith("issue_"))
            boxes = min(max(boxes, posted), self.MAX_ISSUES)
        limit = IssueForBoard._meta.get_field("text").max_length
        for number in range(1, boxes + 1):
            field = self.fields[f"issue_{number}"] = forms.CharField(
                label=f"Issue for the board {number}",
                required=False,
                max_length=limit,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            field.hide_optional = True  # the fieldset says at least one is needed
        self.fields["episodes"].hide_optional = True

    @property
    def issue_fields(self):
        return [self[name] for name in self.fields if name.startswith("issue_")]

    def issues(self) -> list[str]:
        return [
            self.cleaned_data[name]
            for name in self.fields
            if name.startswith("issue_") and self.cleaned_data.get(name, "").strip()
        ]

    def values(self) -> dict:
        """The keyword arguments of the finding services."""
        data = self.cleaned_data
        return {
            **{name: data[name] for name in self.SERVICE_FIELDS},
            "issues_for_board": self.issues(),
        }

    @classmethod
    def _initial_for(cls, finding: Finding, issues: list[str]) -> dict:
        initial = {name: getattr(finding, name) for name in FINDING_FIELDS}
        initial["category"] = finding.category_id
        initial["episodes"] = [episode.pk for episode in finding.episodes.all()]
        initial.update({f"issue_{number}": text for number, text in enumerate(issues, start=1)})
        return initial


class EpisodeOrderForm(forms.Form):
    """A move of one episode up or down its review's list."""

    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


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
