from django import forms
from django.utils.translation import gettext_lazy as _


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
