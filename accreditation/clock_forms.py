"""The review's details form: the statutory clock, the target date, the milestones and a themed
review's case references. The rules are the clock service's, so the page and the admin say the
same thing; the form shows each message beside its field."""

from django import forms

from learning_platform.forms import DateInputField
from learning_platform.forms.dates import EXAMPLE_HINT

from .models import SupervisedReview
from .services.clock import (
    CASE_REFERENCE_MAX,
    DATE_FIELDS,
    case_references_from_text,
    review_details_problems,
)

CASES_FIELD = "case_references"


def _label(name: str) -> str:
    label = str(SupervisedReview._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _date(name: str, subject: str, hint: str = "") -> DateInputField:
    return DateInputField(
        label=_label(name),
        subject=subject,
        required=False,
        help_text=f"{hint} {EXAMPLE_HINT}".strip(),
    )


def case_references_field() -> forms.CharField:
    return forms.CharField(
        label="Case references",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text="One pseudonymous reference per line, in the order the report takes them, for "
        f"example 'Child K'. At most {CASE_REFERENCE_MAX} characters each. Never a name, date of "
        "birth or address.",
    )


def add_problems(form: forms.BaseForm, problems: dict[str, str]) -> None:
    """Put the clock service's messages beside their fields (the case references' message
    beside the case references box), skipping a field that already has its own error."""
    for name, message in problems.items():
        field = CASES_FIELD if name == "cases" else name
        if field not in form.fields:
            form.add_error(None, message)
        elif field not in form.errors:
            form.add_error(field, message)


class ReviewDetailsForm(forms.Form):
    is_statutory = forms.BooleanField(
        label="This is a statutory child safeguarding practice review", required=False
    )
    incident_notified_on = _date(
        "incident_notified_on", "The date the serious incident was notified"
    )
    rapid_review_on = _date("rapid_review_on", "The date of the rapid review")
    decision_on = _date(
        "decision_on",
        "The date the partners decided to hold the review",
        "Needed for a statutory review: its six months run from this date.",
    )
    target_publication_date = _date(
        "target_publication_date",
        "The target publication date",
        "Leave blank for the type's expected duration from the start.",
    )
    board_agreed_on = _date("board_agreed_on", "The date the board agreed the report")
    published_on = _date("published_on", "The publication date")
    published_report_url = forms.URLField(
        label="Link to the published report",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="The address of the report on the partnership's or the NSPCC's website.",
    )

    def __init__(self, *args, review: SupervisedReview, **kwargs):
        self.review = review
        kwargs.setdefault(
            "initial", {name: getattr(review, name) for name in ("is_statutory", *DATE_FIELDS)}
        )
        kwargs["initial"].setdefault("published_report_url", review.published_report_url)
        super().__init__(*args, **kwargs)
        self.fields["decision_on"].hide_optional = True
        if review.is_statutory:
            # Computed from the decision: shown and explained on the page instead.
            del self.fields["target_publication_date"]
        if review.review_type.covers_several_cases:
            self.fields[CASES_FIELD] = case_references_field()
            self.fields[CASES_FIELD].required = True
            self.fields[CASES_FIELD].error_messages["required"] = (
                "A themed review covers several cases: add at least one case reference."
            )
            self.initial.setdefault(
                CASES_FIELD, "\n".join(case.reference for case in review.cases.all())
            )

    def service_values(self) -> dict:
        """The cleaned answers as the clock service takes them."""
        data = self.cleaned_data
        values = {
            name: data.get(name)
            for name in ("is_statutory", *DATE_FIELDS, "published_report_url")
            if name in self.fields
        }
        if CASES_FIELD in self.fields:
            values["cases"] = case_references_from_text(data.get(CASES_FIELD))
        return values

    def clean(self):
        cleaned = super().clean()
        values = self.service_values()
        cases = values.pop("cases", None)  # None: not a themed review, so not asked for
        add_problems(
            self,
            review_details_problems(
                review_type=self.review.review_type, values=values, cases=cases
            ),
        )
        return cleaned
