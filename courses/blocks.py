from wagtail import blocks
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


class KnowledgeCheckBlock(blocks.StructBlock):
    title = blocks.CharBlock(default="Check your understanding")
    questions = blocks.ListBlock(QuestionBlock(), min_num=1)
    pass_mark = blocks.IntegerBlock(
        min_value=0, max_value=100, default=80, help_text="Percentage needed to pass."
    )

    class Meta:
        icon = "tick-inverse"
        label = "Knowledge check"


class ModuleBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock()
    video = EmbedBlock(help_text="A video link, for example from YouTube or Vimeo.")
    document = DocumentBlock()
    callout = CalloutBlock()
    reflective_question = ReflectiveQuestionBlock()
    knowledge_check = KnowledgeCheckBlock()
