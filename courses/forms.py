from django import forms
from django.contrib.auth import password_validation

from learning_platform.accounts.models import User

from .models import Enrolment
from .selectors.cohorts import CohortTiming, GridFilters
from .services.assignments import Assignment, AssignmentProblem
from .validators import reject_control_characters


class InvitationImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "A CSV file (UTF-8) whose first row names the columns: name and email, and if you "
            "have them organisation and job title. One person per row."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class AcceptInvitationForm(forms.Form):
    """Create the account an invitation was sent for. The email address comes from the invite."""

    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        help_text="As it should appear on certificates.",
        validators=[reject_control_characters("name")],
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Confirm password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords do not match.")
        elif password1:
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label="Who attended?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick everyone who was there. Anyone not ticked is recorded as absent.",
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (str(entry.enrolment.pk), entry.enrolment.user.full_name or entry.enrolment.user.email)
            for entry in entries
        ]
        if not self.is_bound:
            self.initial["present"] = [str(e.enrolment.pk) for e in entries if e.present]


class EnrolmentStatusForm(forms.Form):
    # Every status is offered; the service decides what the current state allows, so an
    # impossible move is explained rather than silently hidden.
    status = forms.ChoiceField(label="New status", choices=Enrolment.Status.choices)
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when withdrawing or deferring. Kept in the audit trail.",
    )


class GridFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Enrolment.Status.choices]
    )
    supervisor = forms.TypedChoiceField(label="Supervisor", required=False, coerce=int)
    q = forms.CharField(
        label="Name or email", required=False, max_length=100, widget=forms.SearchInput
    )

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].choices = [("", "Any supervisor")] + [
            (str(s.pk), s.full_name or s.email) for s in supervisors
        ]

    def filters(self) -> GridFilters:
        if not self.is_valid():
            return GridFilters()
        data = self.cleaned_data
        return GridFilters(
            status=data.get("status") or "",
            supervisor=data.get("supervisor") or None,
            q=(data.get("q") or "").strip(),
        )


class CohortListFilterForm(forms.Form):
    q = forms.CharField(
        label="Cohort name", required=False, max_length=100, widget=forms.SearchInput
    )
    timing = forms.ChoiceField(
        label="When", required=False, choices=[("", "Any time"), *CohortTiming.choices]
    )

    def search(self) -> tuple[str, str]:
        """The name searched for and the timing chosen; nothing when the form is invalid."""
        if not self.is_valid():
            return "", ""
        return self.cleaned_data["q"].strip(), self.cleaned_data["timing"]


class SupervisorTraineeFilterForm(forms.Form):
    q = forms.CharField(
        label="Name or email", required=False, max_length=100, widget=forms.SearchInput
    )
    cohort = forms.TypedChoiceField(label="Cohort", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [("", "Any cohort")] + [
            (str(c.pk), c.name) for c in cohorts
        ]

    def search(self) -> tuple[str, int | None]:
        """The name or email searched for and the cohort chosen; nothing when invalid."""
        if not self.is_valid():
            return "", None
        return self.cleaned_data["q"].strip(), self.cleaned_data["cohort"]


def _person(user: User) -> str:
    return user.full_name or user.email


class CohortAssignmentsForm(forms.Form):
    """A supervisor and a review partner for each trainee of a cohort, saved together.

    Each trainee has a row of two selects. Only rows the request carries are saved, so an
    enrolment added after the page was loaded is left as it is."""

    def __init__(self, *args, enrolments: list[Enrolment], supervisors: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        supervisor_options = [("", "No supervisor")] + [
            (str(user.pk), _person(user)) for user in supervisors
        ]
        for enrolment in enrolments:
            name = _person(enrolment.user)
            supervisor = forms.TypedChoiceField(
                label=f"Supervisor for {name}",
                choices=supervisor_options,
                coerce=int,
                empty_value=None,
                required=False,
                initial=str(enrolment.supervisor_id or ""),
                error_messages={"invalid_choice": f"Choose {name}'s supervisor from the list."},
            )
            partner = forms.TypedChoiceField(
                label=f"Review partner for {name}",
                choices=[("", "No review partner")]
                + [
                    (str(other.user_id), _person(other.user))
                    for other in enrolments
                    if other.pk != enrolment.pk
                ],
                coerce=int,
                empty_value=None,
                required=False,
                initial=str(enrolment.review_partner_id or ""),
                error_messages={"invalid_choice": f"Choose {name}'s review partner from the list."},
            )
            self.fields[self.field_name(enrolment.pk, "supervisor")] = supervisor
            self.fields[self.field_name(enrolment.pk, "review_partner")] = partner

    @staticmethod
    def field_name(enrolment_id: int, part: str) -> str:
        return f"enrolment-{enrolment_id}-{part}"

    def rows(self):
        """Each enrolment with its two bound fields, for the table."""
        return [
            (
                enrolment,
                self[self.field_name(enrolment.pk, "supervisor")],
                self[self.field_name(enrolment.pk, "review_partner")],
            )
            for enrolment in self.enrolments
        ]

    def assignments(self) -> list[Assignment]:
        chosen = []
        for enrolment in self.enrolments:
            supervisor = self.field_name(enrolment.pk, "supervisor")
            partner = self.field_name(enrolment.pk, "review_partner")
            if supervisor in self.data and partner in self.data:
                chosen.append(
                    Assignment(
                        enrolment_id=enrolment.pk,
                        supervisor_id=self.cleaned_data[supervisor],
                        review_partner_id=self.cleaned_data[partner],
                    )
                )
        return chosen

    def add_problems(self, problems: list[AssignmentProblem]) -> None:
        for problem in problems:
            name = self.field_name(problem.enrolment_id, problem.field)
            self.add_error(name, problem.message)
            # The select sits in a table cell with its message above it; tie the two together.
            self.fields[name].widget.attrs.update(
                {"aria-describedby": f"id_{name}-error", "aria-invalid": "true"}
            )
