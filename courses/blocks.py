from django.core.exceptions import ValidationError

from wagtail import blocks, hooks
from wagtail.blocks import ListBlockValidationError, StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock


class CalloutBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "info-circle"
        label = "Key concept"
        template = "courses/blocks/callout.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    description = blocks.CharBlock(required=False)

    class Meta:
        icon = "doc-full"
        label = "Document download"
        template = "courses/blocks/document.html"


class ReflectiveQuestionBlock(blocks.StructBlock):
    question = blocks.TextBlock()
    guidance = blocks.TextBlock(required=False)

    class Meta:
        icon = "comment"
        label = "Reflective question"


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock()
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.TextBlock(required=False, help_text="Shown after the trainee answers.")


class QuestionBlock(blocks.StructBlock):
    question = blocks.TextBlock()
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2)

    def clean(self, value):
        value = super().clean(value)
        if not any(choice["correct"] for choice in value["choices"]):
            # A question nobody can get right makes a pass mark of 100% unreachable.
            raise StructBlockValidationError(
                block_errors={
                    "choices": ListBlockValidationError(
                        non_block_errors=[
                            ValidationError(
                                "Mark at least one choice as correct: as it is, nobody can "
                                "answer this question correctly."
                            )
                        ]
                    )
                }
            )
        return value


def best_possible_score(questions) -> int:
    """The highest score a trainee can get, scored as the module page scores it."""
    questions = list(questions)
    if not questions:
        return 0
    answerable = sum(1 for q in questions if any(choice["correct"] for choice in q["choices"]))
    return (100 * answerable) // len(questions)


class KnowledgeCheckBlock(blocks.StructBlock):
    title = blocks.CharBlock(default="Check your understanding")
    questions = blocks.ListBlock(QuestionBlock(), min_num=1)
    pass_mark = blocks.IntegerBlock(
        min_value=0, max_value=100, default=80, help_text="Percentage needed to pass."
    )

    def clean(self, value):
        # The pass mark is checked even when a question has errors of its own, so the editor
        # sees at once both what is wrong and what it does to the check.
        errors, cleaned = {}, None
        try:
            cleaned = super().clean(value)
        except StructBlockValidationError as error:
            errors = dict(error.block_errors)
        if "pass_mark" in errors:
            raise StructBlockValidationError(block_errors=errors)
        # Before cleaning, a value from the editor's form is still the text typed.
        pass_mark = self.child_blocks["pass_mark"].clean(value.get("pass_mark"))
        best = best_possible_score(value.get("questions") or [])
        if pass_mark is not None and pass_mark > best:
            errors["pass_mark"] = ValidationError(
                f"Nobody can reach a pass mark of {pass_mark}%: with these questions the best "
                f"possible score is {best}%. Mark a correct choice in every question."
            )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return cleaned

    class Meta:
        icon = "tick-inverse"
        label = "Knowledge check"


# The app that keeps the typology of underlying patterns registers a function under this hook
# name; each returns its entries, in order, as (name, description) pairs. The courses app shows
# the list without importing the app that owns it.
FINDING_TYPOLOGY_HOOK = "finding_typology"


def finding_typology() -> list[tuple[str, str]]:
    """The typology of underlying patterns, as the registered hooks give it; empty if none do."""
    entries: list[tuple[str, str]] = []
    for typology in hooks.get_hooks(FINDING_TYPOLOGY_HOOK):
        entries.extend(typology())
    return entries


class TypologyBlock(blocks.StructBlock):
    """The typology of underlying patterns, read from the list the findings register uses, so
    that an edit to a category shows here too."""

    heading = blocks.CharBlock(default="The typology of underlying patterns")
    intro = blocks.RichTextBlock(features=["bold", "italic", "link"], required=False)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["typology"] = finding_typology()
        return context

    class Meta:
        icon = "list-ol"
        label = "Typology of underlying patterns"
        template = "courses/blocks/typology.html"
        help_text = (
            "Shows the finding categories as they stand in Accreditation › Finding categories "
            "(typology); edit them there."
        )


class ModuleBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock()
    video = EmbedBlock(help_text="A video link, for example from YouTube or Vimeo.")
    document = DocumentBlock()
    callout = CalloutBlock()
    reflective_question = ReflectiveQuestionBlock()
    knowledge_check = KnowledgeCheckBlock()
    typology = TypologyBlock()
