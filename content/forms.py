"""The enquiry form, built by Wagtail's form builder, made accessible."""

from django import forms

from wagtail.contrib.forms.forms import BaseForm, FormBuilder

from learning_platform.forms import DateInputField, DateInputWidget
from learning_platform.forms.dates import EXAMPLE_HINT

# Input purposes (WCAG 1.3.5) for the field names editors are likely to use.
_AUTOCOMPLETE_BY_NAME = {
    "name": "name",
    "your_name": "name",
    "full_name": "name",
    "organisation": "organization",
    "your_organisation": "organization",
    "job_title": "organization-title",
    "phone": "tel",
    "telephone": "tel",
    "phone_number": "tel",
}


class _FirstOptionLabelMixin:
    # Django gives a group of options no id to point at, so an error summary link to the field
    # would go nowhere; point it at the first option instead.
    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class GroupedRadioSelect(_FirstOptionLabelMixin, forms.RadioSelect):
    pass


class GroupedCheckboxSelectMultiple(_FirstOptionLabelMixin, forms.CheckboxSelectMultiple):
    pass


def _add_describedby(widget: forms.Widget, element_id: str) -> None:
    ids = widget.attrs.get("aria-describedby", "").split()
    if element_id not in ids:
        widget.attrs["aria-describedby"] = " ".join([*ids, element_id])


class EnquiryForm(BaseForm):
    """Ties each input to its hint and error message, as includes/form_field.html renders them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(
                field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple | DateInputWidget
            ):
                continue  # the fieldset around the group carries the description
            if field.help_text:
                _add_describedby(field.widget, f"{self[name].auto_id}_helptext")
            autocomplete = (
                "email" if isinstance(field, forms.EmailField) else _AUTOCOMPLETE_BY_NAME.get(name)
            )
            if autocomplete:
                field.widget.attrs.setdefault("autocomplete", autocomplete)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            field = self.fields.get(name)
            if field is None or isinstance(
                field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
            ):
                continue
            field.widget.attrs["aria-invalid"] = "true"
            _add_describedby(field.widget, f"{self[name].auto_id}-error")


class EnquiryFormBuilder(FormBuilder):
    def create_radio_field(self, field, options):
        options["widget"] = GroupedRadioSelect
        return super().create_radio_field(field, options)

    def create_checkboxes_field(self, field, options):
        options["widget"] = GroupedCheckboxSelectMultiple
        return super().create_checkboxes_field(field, options)

    def create_date_field(self, field, options):
        # Day, month and year boxes rather than the browser's own date picker.
        options["help_text"] = options.get("help_text") or EXAMPLE_HINT
        return DateInputField(subject=options["label"], **options)

    def create_multiline_field(self, field, options):
        # A bound on free text keeps a stored submission and its e-mail a sensible size.
        options.setdefault("max_length", 5000)
        return super().create_multiline_field(field, options)

    def get_form_class(self):
        return type("EnquiryForm", (EnquiryForm,), self.formfields)
