from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

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


class PreparedOptions:
    """The options of a select, escaped once and shared by every select on a page that offers
    the same list. A national cohort's review partners are ten thousand options in each row:
    rendering them through a template per option, per row, never finishes."""

    def __init__(self, choices: list[tuple[str, str]]):
        self.values = frozenset(value for value, _ in choices)
        self._escaped = [(escape(value), escape(label)) for value, label in choices]
        self._position = {value: i for i, (value, _) in enumerate(choices)}
        self._html = [f'<option value="{value}">{label}</option>' for value, label in self._escaped]

    def render(self, *, selected: str, without: str = "") -> SafeString:
        parts = self._html
        changes = {}
        if without and without in self._position:
            changes[self._position[without]] = ""
        if selected in self._position and not (without and selected == without):
            i = self._position[selected]
            value, label = self._escaped[i]
            changes[i] = f'<option value="{value}" selected>{label}</option>'
        if changes:
            parts = list(parts)
            for i, html in changes.items():
                parts[i] = html
        # Every value and label was escaped above.
        return mark_safe("".join(parts))  # noqa: S308


class PreparedSelect(forms.Widget):
    """A <select> of PreparedOptions, less one value (a trainee is not their own partner)."""

    def __init__(self, options: PreparedOptions, *, without: str = "", attrs=None):
        super().__init__(attrs)
        self.options = options
        self.without = without

    def format_value(self, value) -> str:
        return "" if value is None else str(value)

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            self.options.render(selected=self.format_value(value), without=self.without),
        )


class PreparedChoiceField(forms.Field):
    """One of ``options`` as an int, or None for the empty option. Checked against a set, not
    by walking the list, and never ``without``."""

    default_error_messages = {"invalid_choice": "Choose from the list."}

    def __init__(self, *, options: PreparedOptions, without: str = "", **kwargs):
        self.options = options
        self.without = without
        super().__init__(required=False, widget=PreparedSelect(options, without=without), **kwargs)

    def to_python(self, value) -> int | None:
        value = "" if value in self.empty_values else str(value)
        if not value:
            return None
        if value == self.without or value not in self.options.values:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return int(value)


class CohortAssignmentsForm(forms.Form):
    """A supervisor and a review partner for each trainee on one page of a cohort, saved
    together.

    Each trainee has a row of two selects. Only rows of this page that the request carries are
    saved, so an enrolment added after the page was loaded, or on another page, is left as it is.
    ``partners`` is every trainee who can be a partner, whichever page they are on."""

    def __init__(
        self,
        *args,
        enrolments: list[Enrolment],
        supervisors: list[User],
        partners: list[tuple[int, str]],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        supervisor_options = PreparedOptions(
            [("", "No supervisor")] + [(str(user.pk), _person(user)) for user in supervisors]
        )
        partner_options = PreparedOptions(
            [("", "No review partner")] + [(str(pk), name) for pk, name in partners]
        )
        for enrolment in enrolments:
            name = _person(enrolment.user)
            supervisor = PreparedChoiceField(
                options=supervisor_options,
                label=f"Supervisor for {name}",
                initial=str(enrolment.supervisor_id or ""),
                error_messages={"invalid_choice": f"Choose {name}'s supervisor from the list."},
            )
            partner = PreparedChoiceField(
                options=partner_options,
                without=str(enrolment.user_id),
                label=f"Review partner for {name}",
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
            if name not in self.fields:
                # The other half of a pair, on another page of the form.
                self.add_error(None, problem.message)
                continue
            self.add_error(name, problem.message)
            # The select sits in a table cell with its message above it; tie the two together.
            self.fields[name].widget.attrs.update(
                {"aria-describedby": f"id_{name}-error", "aria-invalid": "true"}
            )
