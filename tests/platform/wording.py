"""Django's default error messages, which the site's forms must never show."""

# Django's own wording, which says nothing about which answer is wrong.
DJANGO_DEFAULTS = (
    "This field is required",
    "This field cannot be",
    "Ensure this value",
    "Ensure that there are no more than",
    "Enter a valid",
    "Enter a whole number",
    "Enter a number",
    "Enter a list of values",
    "Enter a complete value",
    "Select a valid choice",
    "No file was submitted",
    "The submitted file is empty",
    "Upload a valid image",
    "Please either submit a file",
    "is not a valid value",
    "is not one of the available choices",
)
