from django import forms

from . import registry
from .selectors import notification_email_preferences


class EmailPreferencesForm(forms.Form):
    """One checkbox per optional event, labelled in plain English."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for event, enabled in notification_email_preferences(user=user).items():
            self.fields[event] = forms.BooleanField(
                label=registry.label(event), required=False, initial=enabled
            )
