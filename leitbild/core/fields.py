"""Form fields that stay calm with any input a visitor can send.

Django's model choice fields pass the submitted key to the database; on SQLite a number
beyond 64 bits raises OverflowError, which Django does not turn into a validation error.
These fields refuse such keys as an invalid choice before any query runs.

``str.isdigit()`` is no test for a number: it accepts "²" and other digits ``int()`` refuses,
so query strings and forms read numbers through ``parse_key`` instead, and text for filters
through ``query_text``.
"""

from django import forms
from django.core.exceptions import ValidationError

MAX_KEY = 2**63 - 1


def parse_key(value) -> int | None:
    """A primary key from a visitor's text: ASCII digits up to 64 bits, otherwise None."""
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_KEY)):
        return None
    number = int(text)
    return number if number <= MAX_KEY else None


def query_text(value, *, max_length: int = 200) -> str:
    """Text from a query string for a filter, at most ``max_length`` characters. NUL cannot be
    stored or compared in PostgreSQL text (psycopg refuses the query) and nobody types it, so
    it is dropped; anything that is not a string counts as no filter."""
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", "").strip()[:max_length]


def _out_of_range(value) -> bool:
    # Only plain ASCII numbers reach int(); anything else is left to Django, which calls it an
    # invalid choice.
    text = str(value).strip()
    digits = text.removeprefix("-")
    return digits.isascii() and digits.isdigit() and not -MAX_KEY <= int(text) <= MAX_KEY


class SafeModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and _out_of_range(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value or ():
            if _out_of_range(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)
