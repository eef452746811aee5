from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Body, StepResult, StepRole


class PaperForm(forms.Form):
    betreff = forms.CharField(label=_("Betreff"), max_length=300)
    beschlussvorschlag = forms.CharField(
        label=_("Beschlussvorschlag"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    sachverhalt = forms.CharField(
        label=_("Sachverhalt und Begründung"),
        max_length=30_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Aus den Daten erzeugt; Sie können ihn vor dem Erzeugen der Vorlage ändern."),
    )


class BodyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Art"), choices=Body.Kind.choices)
    decides = forms.BooleanField(
        label=_("entscheidet abschließend (z. B. der Rat)"), required=False
    )


class StepForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Gremium"), queryset=Body.objects.all())
    meeting_date = forms.DateField(
        label=_("Sitzung am"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    role = forms.ChoiceField(label=_("Rolle"), choices=StepRole.choices)
    result = forms.ChoiceField(label=_("Ergebnis"), choices=StepResult.choices, required=False)
    resolution = forms.CharField(
        label=_("Beschlusstext des Tagesordnungspunkts"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    paper_reference = forms.CharField(
        label=_("Drucksache"), required=False, max_length=100, help_text=_("z. B. V 2024/0412")
    )
    paper_url = forms.URLField(
        label=_("Link zur Vorlage im Ratsinformationssystem"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )


class AmendmentForm(forms.Form):
    subject = forms.ChoiceField(label=_("Betrifft"))
    text = forms.CharField(
        label=_("Was sich ändert"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    reference = forms.CharField(
        label=_("Antrag"), required=False, max_length=100, help_text=_("z. B. Änderungsantrag 3")
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["subject"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = targets

    def values(self) -> dict:
        target, label = self.cleaned_data["subject"].split(":", 1)
        return {
            "target": target,
            "target_label": label,
            "text": self.cleaned_data["text"],
            "reference": self.cleaned_data["reference"],
        }


class OParlSourceForm(forms.Form):
    system_url = forms.URLField(
        label=_("Adresse des OParl-Endpunkts (System)"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Die Einstiegsadresse der OParl-Schnittstelle Ihres Ratsinformationssystems, "
            "z. B. https://ris.musterstadt.de/oparl/v1/system. Sie wird beim Speichern geprüft."
        ),
    )


class PaperLinkForm(forms.Form):
    version: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Version der Strategie"), queryset=None
    )
    reference = forms.CharField(
        label=_("Drucksache (Nummer der Vorlage)"),
        max_length=100,
        help_text=_("Wie im Ratsinformationssystem, z. B. „V 2026/0815“."),
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions
