"""The assessor's judgement against each criterion, as fields of a decision form."""

from collections.abc import Sequence

from django import forms

from .models import AssessmentCriterion

MET, NOT_MET = "met", "not_met"


class CriteriaFormMixin:
    """Adds, for each criterion, a met / not yet met choice and a comment. The service decides
    what each outcome needs, so a choice left blank is not a form error here: it comes back as
    None and the service's message names the criteria not judged."""

    def add_criteria_fields(self, criteria: Sequence[AssessmentCriterion]) -> None:
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.title,
                required=False,
                choices=[(MET, "Met"), (NOT_MET, "Not yet met")],
                widget=forms.RadioSelect,
                help_text=criterion.description,
            )
            self.fields[f"criterion_{criterion.pk}"].hide_optional = True
            self.fields[f"criterion_{criterion.pk}_comment"] = forms.CharField(
                label=f"Comment on “{criterion.title}”",
                required=False,
                max_length=5_000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Where it is not yet met, say what must be done.",
            )
            self.fields[f"criterion_{criterion.pk}_comment"].hide_optional = True

    def criteria_answers(self) -> dict[int, tuple[bool | None, str]]:
        answers = {}
        for criterion in self.criteria:
            choice = self.cleaned_data.get(f"criterion_{criterion.pk}") or ""
            met = {MET: True, NOT_MET: False}.get(choice)
            answers[criterion.pk] = (
                met,
                self.cleaned_data.get(f"criterion_{criterion.pk}_comment"),
            )
        return answers

    def criteria_rows(self):
        """(choice field, comment field) pairs in the criteria's order, for the template."""
        return [
            (self[f"criterion_{c.pk}"], self[f"criterion_{c.pk}_comment"]) for c in self.criteria
        ]
