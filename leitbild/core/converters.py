"""Path converters that refuse what the database cannot compare.

Django's ``int`` converter passes any number of digits on; SQLite raises OverflowError for a
number beyond 64 bits as soon as it is used in a query, which is a 500 instead of a 404. Every
``urls.py`` uses ``<id:…>`` for numbers in a path; ``core/tests/test_bad_input.py`` checks
that none uses ``<int:…>``.
"""

from django.urls.converters import IntConverter

from .fields import MAX_KEY


class IdConverter(IntConverter):
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_KEY:
            raise ValueError("beyond 64 bits")  # Django answers 404: no URL matches
        return number
