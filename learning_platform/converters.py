"""The ``<id:...>`` path converter, used for every database id in our URLs.

Django's ``<int:...>`` accepts any number of digits, and a number beyond a 64-bit column's
range reaches the database: SQLite cannot even bind it (OverflowError, a 500) and lookups
through a relation (a Wagtail page's id) skip Django's own range check. No row can have such an
id, so the URL simply does not match, and the visitor gets the same 404 as for any id that does
not exist.

Importing this module registers the converter; each URLconf that uses it imports it, and our
Wagtail admin viewsets name it as their ``pk_path_converter``.
"""

from django.urls import register_converter

# The largest value a BigAutoField holds, on SQLite and PostgreSQL alike.
MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(f"{value} is beyond any id the database can hold.")
        return number

    def to_url(self, value) -> str:
        return str(value)


ID_CONVERTER = "id"
register_converter(IdConverter, ID_CONVERTER)
