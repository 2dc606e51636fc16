"""An enquiry as a visitor fills in the demo site's contact form, every answer valid."""

VALID = {
    "your_name": "Jo Commissioner",
    "email_address": "jo@partnership.example",
    "organisation": "Barnet Safeguarding Children Partnership",
    "what_is_your_enquiry_about": "Commissioning a case review",
    "your_enquiry": "We would like to commission a review using the model.",
}
