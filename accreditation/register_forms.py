"""Forms for the public register: the holder's register profile, the register's search, and the
form that sends a listed reviewer a message. Forms check input; the services apply the rules."""

from django import forms

from .models import Region

CONTACT_MESSAGE_MAX_LENGTH = 5000
# A field people cannot see (hidden by the stylesheet, skipped by the keyboard and by screen
# readers) that form-filling robots fill in.
HONEYPOT_FIELD = "website"


class RegisterProfileForm(forms.Form):
    listed = forms.BooleanField(label="List me on the public register", required=False)
    show_organisation = forms.BooleanField(required=False)
    regions = forms.ModelMultipleChoiceField(
        label="The regions you work in",
        queryset=Region.objects.order_by("sort_order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Boards searching the register by region find you in each region you choose.",
    )
    contact_enabled = forms.BooleanField(
        label="Accept messages through the register",
        required=False,
        help_text="Anyone may send you a message from your entry on the register; we email it "
        "to you without showing them your address.",
    )

    def __init__(self, *args, organisation_name: str, may_list: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation_name:
            self.fields["show_organisation"].label = f"Show my organisation ({organisation_name})"
        else:
            self.fields["show_organisation"].label = "Show my organisation"
            self.fields[
                "show_organisation"
            ].help_text = "Your account has no organisation, so none is shown."
        if not may_list:
            del self.fields["listed"]


class RegisterSearchForm(forms.Form):
    name = forms.CharField(label="Name", required=False, max_length=100)
    region = forms.ChoiceField(label="Region", required=False)
    review_type = forms.ChoiceField(label="Review type led", required=False)

    def __init__(
        self, *args, regions: list[str], review_types: list[tuple[str, str]], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "All regions"), *[(r, r) for r in regions]]
        self.fields["review_type"].choices = [("", "All review types"), *review_types]


class ContactForm(forms.Form):
    sender_name = forms.CharField(label="Your name", max_length=200)
    sender_organisation = forms.CharField(label="Your organisation", max_length=200, required=False)
    sender_email = forms.EmailField(
        label="Your email address",
        help_text="The reviewer replies to this address.",
    )
    message = forms.CharField(
        label="Your message",
        max_length=CONTACT_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Do not include anything that could identify a child or family.",
        error_messages={
            "max_length": (
                f"Your message is too long: keep it under {CONTACT_MESSAGE_MAX_LENGTH:,} "
                "characters."
            )
        },
    )
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))
