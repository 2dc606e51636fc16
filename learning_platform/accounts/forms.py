from django import forms

from .models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "organisation", "job_title"]
        help_texts = {
            "full_name": "As it should appear on certificates.",
        }
