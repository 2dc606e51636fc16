"""Forms a trainee fills in on a module page: a reflective answer and a knowledge check."""

from django import forms

REFLECTION_MAX_LENGTH = 10_000


class RadioGroup(forms.RadioSelect):
    """Radios whose field id points at the first option, so an error summary can link to it."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class ReflectionForm(forms.Form):
    answer = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=REFLECTION_MAX_LENGTH,
        error_messages={
            "required": "Enter your answer before saving it",
            "max_length": f"Your answer must be {REFLECTION_MAX_LENGTH:,} characters or fewer",
        },
    )

    def __init__(self, *args, block_id: str, question: str, guidance: str = "", **kwargs):
        super().__init__(*args, prefix=f"reflection-{block_id}", **kwargs)
        self.fields["answer"].label = question
        self.fields["answer"].help_text = guidance


class KnowledgeCheckForm(forms.Form):
    """One required radio group per question; option values are the option's index."""

    def __init__(self, *args, block_id: str, check, **kwargs):
        super().__init__(*args, prefix=f"check-{block_id}", **kwargs)
        for q_index, question in enumerate(check["questions"]):
            number = q_index + 1
            self.fields[f"q{q_index}"] = forms.TypedChoiceField(
                label=f"{number}. {question['question']}",
                choices=[(str(i), choice["text"]) for i, choice in enumerate(question["choices"])],
                coerce=int,
                widget=RadioGroup,
                error_messages={
                    "required": f"Select an answer to question {number}",
                    "invalid_choice": f"Select one of the answers given for question {number}",
                },
            )

    def answers(self) -> dict[int, int]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}
