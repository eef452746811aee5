from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .services import MAX_CSV_BYTES, measurement_problems, parse_value


class MeasurementForm(forms.Form):
    # Text, not a DecimalField: the service reads "12,5" as well as "12.5" and says what is
    # wrong in the same words as the CSV import.
    value = forms.CharField(
        label=_("Wert"),
        max_length=40,
        help_text=_("Eine Zahl, z. B. 12,5. In der Einheit des Indikators."),
    )
    measured_on = forms.DateField(
        label=_("Stichtag"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Der Tag, auf den sich der Wert bezieht; nicht in der Zukunft."),
    )
    source = forms.CharField(label=_("Quelle"), max_length=300, required=False)
    comment = forms.CharField(
        label=_("Kommentar"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    provisional = forms.BooleanField(label=_("vorläufiger Wert"), required=False)

    def clean_value(self) -> str:
        # Checked here too, so that a bad value is named together with a bad date.
        try:
            parse_value(self.cleaned_data["value"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return self.cleaned_data["value"]

    def clean_measured_on(self):
        day = self.cleaned_data["measured_on"]
        problem = measurement_problems(
            indicator=None, measured_on=day, today=timezone.localdate()
        ).get("measured_on")
        if problem:
            raise forms.ValidationError(problem)
        return day


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-Datei"),
        required=False,
        help_text=_(
            "Spalten indikator_id, datum, wert, quelle, kommentar, vorlaeufig; getrennt durch "
            "Semikolon oder Komma; UTF-8; höchstens 1 MB und 5000 Zeilen."
        ),
    )
    text = forms.CharField(
        label=_("oder der Inhalt der Datei"),
        required=False,
        max_length=MAX_CSV_BYTES,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_("Nach einem Fehler steht hier der Inhalt der Datei zum Korrigieren."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("text", "").strip():
            self.add_error("file", _("Bitte wählen Sie eine Datei oder fügen Sie den Inhalt ein."))
        return data

    def content(self) -> bytes:
        file = self.cleaned_data.get("file")
        if file:
            return file.read(MAX_CSV_BYTES + 1)  # one byte more tells the service "too large"
        return self.cleaned_data["text"].encode()
