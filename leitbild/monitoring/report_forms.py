"""The form of the monitoring reports' staff page: which year the Umsetzungsbericht covers."""

from django import forms
from django.utils.translation import gettext_lazy as _


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Berichtsjahr"), coerce=int)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(y, str(y)) for y in years]
