from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "content/blocks/heading.html"
        help_text = "A section heading (level 2). Keep headings short and in order."


class CalloutBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "document-link", "ul", "ol"])

    class Meta:
        icon = "warning"
        template = "content/blocks/callout.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    label = blocks.CharBlock(required=False, help_text="Link text; the document title if blank.")

    class Meta:
        icon = "doc-full"
        template = "content/blocks/document_link.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["h3", "bold", "italic", "link", "document-link", "ul", "ol", "hr"]
    )
    callout = CalloutBlock()
    document = DocumentLinkBlock()
