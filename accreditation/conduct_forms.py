"""Forms for the review as it is run: the review team, the case group, family involvement,
conversations and meetings. Forms check input; ``services.conduct`` applies the rules."""

from django import forms

from learning_platform.accounts.models import User
from learning_platform.forms import DateInputField

from .models import (
    CaseGroupParticipant,
    Conversation,
    FamilyInvolvement,
    ReviewMeeting,
    ReviewTeamMember,
    SupervisedReview,
)
from .services import conduct

PSEUDONYMS = "Use the review's pseudonyms: no names of children or family members."


def _char(model, name: str, label: str, *, required: bool = True, missing: str = "", **kwargs):
    model_field = model._meta.get_field(name)
    return forms.CharField(
        label=label,
        required=required,
        max_length=model_field.max_length,
        help_text=kwargs.pop("help_text", model_field.help_text),
        error_messages={"required": missing} if missing else {},
        **kwargs,
    )


def _notes(model, label: str = "Notes"):
    model_field = model._meta.get_field("notes")
    return forms.CharField(
        label=label,
        required=False,
        max_length=model_field.max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=model_field.help_text,
    )


def _radios(choices, label: str, missing: str, initial=None):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        initial=initial,
        widget=forms.RadioSelect,
        error_messages={"required": missing},
    )


class ParticipantChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, participant: CaseGroupParticipant) -> str:
        return str(participant)


class ConductForm(forms.Form):
    """A form for one of the review's records: an empty one to add it to ``review``, or one
    filled from ``entry``. ``values()`` gives the service's keyword arguments."""

    SERVICE_FIELDS: tuple[str, ...] = ()
    INITIAL_LINKS: tuple[str, ...] = ()  # many-to-many fields filled from the entry

    def __init__(self, data=None, *, review: SupervisedReview, entry=None, user=None, prefix=None):
        # ``user`` is who fills the form in; a form that offers them a default reads it.
        initial = None
        if entry is not None:
            initial = {name: getattr(entry, name) for name in self.SERVICE_FIELDS}
            for name in self.INITIAL_LINKS:
                initial[name] = [item.pk for item in getattr(entry, name).all()]
        super().__init__(data, initial=initial, prefix=prefix)
        self.review = review
        self.entry = entry

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS}


class TeamMemberForm(ConductForm):
    name = _char(ReviewTeamMember, "name", "Name", missing="Enter the team member's name.")
    role = _char(
        ReviewTeamMember,
        "role",
        "Role",
        missing="Enter the team member's role.",
        help_text="For example 'Head of safeguarding'.",
    )
    agency = _char(ReviewTeamMember, "agency", "Agency", missing="Enter the agency they represent.")

    SERVICE_FIELDS = conduct.TEAM_MEMBER_FIELDS


class ParticipantForm(ConductForm):
    name = _char(CaseGroupParticipant, "name", "Name or initials", required=False)
    role = _char(
        CaseGroupParticipant,
        "role",
        "Role",
        missing="Enter the person's role.",
        help_text="For example 'Health visitor' or 'Team manager'.",
    )
    agency = _char(
        CaseGroupParticipant, "agency", "Agency", missing="Enter the agency they work for."
    )
    involvement = _radios(
        CaseGroupParticipant.Involvement.choices,
        "How they were involved in the case",
        "Choose how they were involved in the case.",
        initial=CaseGroupParticipant.Involvement.DIRECT,
    )

    SERVICE_FIELDS = conduct.PARTICIPANT_FIELDS


class FamilyForm(ConductForm):
    relationship = _char(
        FamilyInvolvement,
        "relationship",
        "Family member",
        missing="Enter the family member's relationship to the child or adult.",
    )
    status = _radios(
        FamilyInvolvement.Status.choices,
        "Their involvement so far",
        "Choose whether they were invited, declined or took part.",
        initial=FamilyInvolvement.Status.INVITED,
    )
    how = forms.CharField(
        label="How they were involved",
        required=False,
        max_length=FamilyInvolvement._meta.get_field("how").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=FamilyInvolvement._meta.get_field("how").help_text,
    )

    SERVICE_FIELDS = conduct.FAMILY_FIELDS


class ConversationForm(ConductForm):
    status = _radios(
        Conversation.Status.choices,
        "Is the conversation planned, or has it been held?",
        "Choose whether the conversation is planned or held.",
        initial=Conversation.Status.PLANNED,
    )
    date = DateInputField(
        label="Date",
        subject="The date of the conversation",
        help_text="When it is planned for, or when it was held. For example, 27 3 2026.",
    )
    participants = ParticipantChoiceField(
        label="Who from the case group",
        queryset=CaseGroupParticipant.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Usually one person; choose more for a conversation held with several.",
        error_messages={
            "required": "Choose at least one member of the case group.",
            "invalid_choice": "Choose members of this review's case group only: one of those "
            "chosen is not.",
        },
    )
    lead_reviewer = forms.ModelChoiceField(
        label="Lead reviewer holding the conversation",
        queryset=User.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose which lead reviewer holds the conversation.",
            "invalid_choice": "Choose one of the review's lead reviewers.",
        },
    )
    notes = _notes(Conversation)

    SERVICE_FIELDS = (*conduct.CONVERSATION_FIELDS, "participants")
    INITIAL_LINKS = ("participants",)

    def __init__(self, data=None, *, review: SupervisedReview, entry=None, user=None, **kwargs):
        super().__init__(data, review=review, entry=entry, **kwargs)
        self.fields["participants"].queryset = CaseGroupParticipant.objects.filter(review=review)
        leads = [pk for pk in (review.trainee_id, review.partner_id) if pk]
        self.fields["lead_reviewer"].queryset = User.objects.filter(pk__in=leads).order_by(
            "full_name", "pk"
        )
        self.fields["lead_reviewer"].label_from_instance = lambda person: (
            person.full_name or person.email
        )
        if entry is not None:
            self.initial["lead_reviewer"] = entry.lead_reviewer_id
        elif user is not None and user.pk in leads:
            self.initial["lead_reviewer"] = user.pk


class MeetingForm(ConductForm):
    kind = _radios(ReviewMeeting.Kind.choices, "Kind of meeting", "Choose the kind of meeting.")
    status = _radios(
        ReviewMeeting.Status.choices,
        "Is the meeting planned, or has it been held?",
        "Choose whether the meeting is planned or held.",
        initial=ReviewMeeting.Status.PLANNED,
    )
    date = DateInputField(
        label="Date",
        subject="The date of the meeting",
        help_text="When it is planned for, or when it was held. For example, 27 3 2026.",
    )
    team_attendees = forms.ModelMultipleChoiceField(
        label="Review team present",
        queryset=ReviewTeamMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Choose members of this review's team only: one of those chosen "
            "is not.",
        },
    )
    group_attendees = ParticipantChoiceField(
        label="Case group present",
        queryset=CaseGroupParticipant.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Choose members of this review's case group only: one of those "
            "chosen is not.",
        },
    )
    notes = _notes(ReviewMeeting)

    SERVICE_FIELDS = (*conduct.MEETING_FIELDS, "team_attendees", "group_attendees")
    INITIAL_LINKS = ("team_attendees", "group_attendees")

    def __init__(self, data=None, *, review: SupervisedReview, entry=None, **kwargs):
        super().__init__(data, review=review, entry=entry, **kwargs)
        self.fields["team_attendees"].queryset = ReviewTeamMember.objects.filter(review=review)
        self.fields["group_attendees"].queryset = CaseGroupParticipant.objects.filter(review=review)
