from django import forms

from .models import User

NAME_ON_CERTIFICATE_HELP = (
    "This is the name on your certificate, so the programme team changes it: contact them if "
    "it is wrong or has changed."
)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "organisation", "job_title"]
        help_texts = {
            "full_name": "As it should appear on certificates.",
        }

    def __init__(self, *args, name_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if name_locked:
            # The verification page, the public register and lookup by surname follow the
            # account's name, so a holder renaming themselves would change what the certificate
            # says about them. A disabled field ignores whatever is posted for it.
            self.fields["full_name"].disabled = True
            self.fields["full_name"].help_text = NAME_ON_CERTIFICATE_HELP
