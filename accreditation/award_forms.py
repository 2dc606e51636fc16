"""Forms for applying, assessing, certificates, verification and the register. Forms check
input; the services apply the rules."""

from django import forms

from .criteria_forms import CriteriaFormMixin
from .models import Decision
from .selectors.certificates import CERTIFICATE_NUMBER_RE, VERIFICATION_CODE_RE
from .selectors.credential_check import MAX_CREDENTIAL_CHARS
from .services.applications import STATEMENT_MAX_LENGTH, WITHDRAWAL_REASON_MAX_LENGTH
from .services.recommendations import STATEMENT_MAX_LENGTH as RECOMMENDATION_MAX_LENGTH

WORD_COUNT_ID = "reflective-statement-word-count"


class StatementForm(forms.Form):
    reflective_statement = forms.CharField(
        label="Your reflective statement",
        required=False,
        max_length=STATEMENT_MAX_LENGTH,
        error_messages={
            "max_length": (
                f"Your reflective statement is too long: keep it under {STATEMENT_MAX_LENGTH:,} "
                "characters."
            )
        },
        # The word count under the box describes it too.
        widget=forms.Textarea(
            attrs={
                "rows": 14,
                "aria-describedby": f"id_reflective_statement_helptext {WORD_COUNT_ID}",
            }
        ),
    )

    def __init__(self, *args, guidance: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        statement = self.fields["reflective_statement"]
        statement.help_text = guidance or (
            "Reflect on what you learned through your supervised review."
        )
        # Not required to save a draft, but required to submit: not "(optional)".
        statement.hide_optional = True


class SubmitApplicationForm(forms.Form):
    """No fields: it carries the reasons a submission was refused to the error summary."""


class WithdrawApplicationForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing your application?",
        max_length=WITHDRAWAL_REASON_MAX_LENGTH,
        error_messages={
            "required": "Say why you are withdrawing your application.",
            "max_length": (
                f"Your reason is too long: keep it under {WITHDRAWAL_REASON_MAX_LENGTH:,} "
                "characters."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The programme team and, if you had submitted it, the assessors read this.",
    )


class DecisionForm(CriteriaFormMixin, forms.Form):
    """The decision on an application: an outcome, the reasons, and a judgement against each of
    the scheme's criteria (pass `criteria`)."""

    outcome = forms.ChoiceField(
        error_messages={"required": "Choose approve, refer back or decline."},
        label="Your decision",
        choices=[
            (Decision.Outcome.APPROVED, "Approve: award accreditation and issue a certificate"),
            (Decision.Outcome.REFERRED, "Refer back: the trainee must act, then resubmit"),
            (Decision.Outcome.DECLINED, "Decline"),
        ],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        error_messages={"required": "Give the reasons for your decision: the trainee reads them."},
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The trainee reads these. They are kept with the decision.",
    )
    required_actions = forms.CharField(
        label="Required actions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Needed only when you refer back: what the trainee must do before resubmitting.",
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required_actions"].hide_optional = True
        self.add_criteria_fields(criteria)
        if self.criteria:
            self.fields["required_actions"].label = "Other required actions"
            self.fields["required_actions"].help_text = (
                "When you refer back, the comment on each criterion not yet met becomes a "
                "required action. Add here anything else the trainee must do."
            )

    def clean(self):
        cleaned = super().clean()
        if (
            not self.criteria
            and cleaned.get("outcome") == Decision.Outcome.REFERRED
            and not (cleaned.get("required_actions") or "").strip()
        ):
            self.add_error("required_actions", "Say what the trainee must do before they resubmit.")
        return cleaned


class CertificateStatusForm(forms.Form):
    ACTIONS = {
        "suspend": "Suspend",
        "reinstate": "Reinstate",
        "revoke": "Revoke (final: it cannot be undone)",
    }

    action = forms.ChoiceField(
        error_messages={"required": "Choose what to do with this certificate."},
        label="What do you want to do?",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        error_messages={"required": "Give the reason: it is kept in the certificate's history."},
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept in the certificate's history.",
    )

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a, self.ACTIONS[a]) for a in allowed]


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Verification code",
        required=False,
        max_length=60,
        help_text="The code at the end of the verification link, for example M1Xjwqo7plZ5Du5CZTny",
    )
    number = forms.CharField(
        label="Certificate number",
        required=False,
        max_length=20,
        help_text="For example LT-2026-00042",
    )
    surname = forms.CharField(label="Holder's surname", required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A code, or a number with a surname: each field is needed in one way of checking.
        for field in self.fields.values():
            field.hide_optional = True

    def clean(self):
        cleaned = super().clean()
        code = (cleaned.get("code") or "").strip()
        number = (cleaned.get("number") or "").strip().upper()
        surname = (cleaned.get("surname") or "").strip()
        cleaned.update(code=code, number=number, surname=surname)
        if code:
            if not VERIFICATION_CODE_RE.match(code):
                self.add_error("code", "Enter the code exactly as it appears in the link.")
        elif number or surname:
            if not CERTIFICATE_NUMBER_RE.match(number):
                self.add_error("number", "Enter a certificate number like LT-2026-00042.")
            if not surname:
                self.add_error("surname", "Enter the holder's surname.")
        else:
            raise forms.ValidationError(
                "Enter a verification code, or a certificate number and the holder's surname."
            )
        return cleaned


class RecommendationForm(forms.Form):
    """The supervisor's recommendation for one trainee of the review (prefixed per trainee)."""

    READY, NOT_YET = "ready", "not_yet"

    ready = forms.ChoiceField(
        label="Is this trainee ready to be accredited?",
        choices=[
            (READY, "Ready: I recommend them for accreditation"),
            (NOT_YET, "Not yet ready"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose ready or not yet ready."},
    )
    statement = forms.CharField(
        label="Your statement",
        max_length=RECOMMENDATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "The trainee and the assessor read this. Say why; if not yet ready, say what they "
            "still need to do."
        ),
        error_messages={
            "required": "Write a statement saying why you make this recommendation.",
            "max_length": (
                f"Your statement is too long: keep it under {RECOMMENDATION_MAX_LENGTH:,} "
                "characters."
            ),
        },
    )

    def is_ready(self) -> bool:
        return self.cleaned_data["ready"] == self.READY


class CredentialCheckForm(forms.Form):
    """A credential pasted in, or its file: one or the other."""

    credential = forms.CharField(
        label="Credential",
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        help_text="Paste the signed credential (a long line in three parts separated by dots), "
        "or the credential in JSON.",
    )
    file = forms.FileField(
        label="Credential file",
        required=False,
        help_text="Or choose the .jwt or .json file you downloaded or were sent.",
        error_messages={
            "empty": "The file you chose is empty: choose the credential's .jwt or .json file."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].hide_optional = True

    def clean_credential(self):
        text = self.cleaned_data.get("credential") or ""
        if len(text) > MAX_CREDENTIAL_CHARS:
            raise forms.ValidationError(
                "That is far longer than any credential: paste the credential only."
            )
        return text

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size > MAX_CREDENTIAL_CHARS:
            raise forms.ValidationError(
                "That file is far larger than any credential: choose the .jwt or .json file."
            )
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "That file is not text: choose the .jwt or .json file of the credential."
            ) from None

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("credential") or ""
        uploaded = cleaned.get("file") or ""
        if self.errors:
            return cleaned
        if text and uploaded:
            raise forms.ValidationError("Paste a credential or choose a file, not both.")
        if not (text or uploaded).strip():
            raise forms.ValidationError("Paste a credential, or choose its file.")
        cleaned["text"] = (text or uploaded).strip()
        return cleaned
