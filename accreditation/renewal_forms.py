"""Forms for renewing a certificate: the holder's application and the assessor's decision. Forms
check input; the services apply the rules."""

from django import forms

from .criteria_forms import CriteriaFormMixin
from .models import RenewalDecision, RenewalReview
from .services.renewal import STATEMENT_MAX_LENGTH, ReviewClaim


class RenewalForm(forms.Form):
    practice_statement = forms.CharField(
        label="Your practice statement",
        max_length=STATEMENT_MAX_LENGTH,
        error_messages={
            "required": "Write your practice statement.",
            "max_length": (
                f"Your practice statement is too long: keep it under {STATEMENT_MAX_LENGTH:,} "
                "characters."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=(
            "Your practice since you were accredited: the reviews you led or co-led, what you "
            "learned, and how you kept your practice up to date."
        ),
    )
    platform_reviews = forms.MultipleChoiceField(
        label="Reviews on the platform",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Reviews you led or co-led here, published since your certificate was issued.",
    )
    outside_title = forms.CharField(
        label="Title of the review",
        required=False,
        max_length=RenewalReview._meta.get_field("title").max_length,
    )
    outside_role = forms.ChoiceField(
        label="Your role",
        required=False,
        choices=[("", "Choose…"), *RenewalReview.Role.choices],
    )
    outside_completed_on = forms.DateField(
        label="Completed on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date the review was completed, like 2026-03-31."},
    )
    outside_url = forms.URLField(
        label="Link to the published report",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the web address of the published report (https://…)."},
    )
    declaration = forms.BooleanField(
        label=(
            "I declare that what I have told you here is true, and that my CPD log is a true "
            "record of my continuing professional development."
        ),
        required=False,
    )

    def __init__(self, *args, platform_reviews=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.platform_review_objects = {str(r.pk): r for r in platform_reviews}
        self.fields["platform_reviews"].choices = [
            (str(r.pk), f"{r} (published {r.published_on:%d %B %Y})") for r in platform_reviews
        ]
        if not self.is_bound:
            self.initial.setdefault("platform_reviews", list(self.platform_review_objects))
        for name in ("outside_title", "outside_role", "outside_completed_on", "outside_url"):
            self.fields[name].hide_optional = True
        self.fields["declaration"].hide_optional = True

    def review_claims(self) -> list[ReviewClaim]:
        data = self.cleaned_data
        claims = [
            ReviewClaim(review=self.platform_review_objects[pk])
            for pk in data.get("platform_reviews", [])
            if pk in self.platform_review_objects
        ]
        outside = [data.get(name) for name in ("outside_title", "outside_completed_on")]
        if any(outside) or data.get("outside_url") or data.get("outside_role"):
            claims.append(
                ReviewClaim(
                    title=data.get("outside_title") or "",
                    role=data.get("outside_role") or "",
                    completed_on=data.get("outside_completed_on"),
                    published_report_url=data.get("outside_url") or "",
                )
            )
        return claims


class RenewalDecisionForm(CriteriaFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        error_messages={"required": "Choose approve, refer back or decline."},
        label="Your decision",
        choices=[
            (RenewalDecision.Outcome.APPROVED, "Approve: renew and issue a new certificate"),
            (RenewalDecision.Outcome.REFERRED, "Refer back: the holder must act, then resubmit"),
            (RenewalDecision.Outcome.DECLINED, "Decline"),
        ],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        error_messages={"required": "Give the reasons for your decision: the holder reads them."},
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The holder reads these. They are kept with the decision.",
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_criteria_fields(criteria)


class WithdrawRenewalForm(forms.Form):
    """No fields: it carries a refusal to the error summary."""
