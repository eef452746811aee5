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


class ReportTextsForm(forms.Form):
    vorwort = forms.CharField(
        label=_("Vorwort"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Steht vor der Zusammenfassung. Absätze durch eine Leerzeile trennen. Leer: kein "
            "Vorwort."
        ),
    )
    ausblick = forms.CharField(
        label=_("Fazit und Ausblick"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Steht am Ende des Berichts. Leer: kein solches Kapitel."),
    )
