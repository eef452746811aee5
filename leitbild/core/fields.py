"""Form fields that stay calm with any input a visitor can send.

Django's model choice fields pass the submitted key to the database; on SQLite a number
beyond 64 bits raises OverflowError, which Django does not turn into a validation error.
These fields refuse such keys as an invalid choice before any query runs.
"""

from django import forms
from django.core.exceptions import ValidationError

MAX_KEY = 2**63 - 1


def _out_of_range(value) -> bool:
    text = str(value).strip()
    return text.lstrip("-").isdigit() and not -MAX_KEY <= int(text) <= MAX_KEY


class SafeModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and _out_of_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": value})
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value or ():
            if _out_of_range(pk):
                raise ValidationError(self.error_messages["invalid_choice"],
                                      code="invalid_choice", params={"value": pk})
        return super()._check_values(value)
