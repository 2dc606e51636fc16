from django import forms


class ErasureConfirmForm(forms.Form):
    email = forms.CharField(
        label="Type the user's email address to confirm",
        max_length=254,
        help_text="This proves you are erasing the person you mean to.",
        error_messages={"required": "Type the user's email address to confirm the erasure."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, expected_email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected_email = expected_email

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() != self.expected_email.lower():
            raise forms.ValidationError(
                "The email address does not match this user's. Nothing has been erased."
            )
        return email
