# Dates are written out in full, "3 December 2026", as GOV.UK's style guide asks: templates
# use {{ value|date }} (or |date:"DATETIME_FORMAT" for a time too) and Python code
# django.utils.formats.date_format, so a date never appears as "03/12/2026" or "02 Dec 2026".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
