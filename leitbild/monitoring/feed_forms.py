from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MeasurementFeed

INTERVALS = [
    (1, _("stündlich")),
    (6, _("alle 6 Stunden")),
    (12, _("alle 12 Stunden")),
    (24, _("täglich")),
    (168, _("wöchentlich")),
    (720, _("alle 30 Tage")),
]


def interval_label(hours: int) -> str:
    for value, label in INTERVALS:
        if value == hours:
            return str(label)
    return str(_("alle %(hours)d Stunden") % {"hours": hours})


class FeedForm(forms.Form):
    name = forms.CharField(
        label=_("Bezeichnung"),
        max_length=200,
        help_text=_("Wie die Quelle in der Liste heißt, z. B. „Statistikstelle: Radverkehr“."),
    )
    url = forms.URLField(
        label=_("Adresse (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Die Adresse der Datei selbst (http:// oder https://), z. B. der Download-Link im "
            "Open-Data-Portal. Weiterleitungen werden nicht verfolgt."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=MeasurementFeed.Format.choices,
        widget=forms.RadioSelect,
        initial=MeasurementFeed.Format.CSV,
        help_text=_(
            "CSV mit denselben Spalten wie beim Hochladen; JSON: eine Liste von Objekten mit "
            "diesen Spalten als Schlüsseln."
        ),
    )
    interval_hours = forms.TypedChoiceField(
        label=_("Abruf"),
        choices=INTERVALS,
        coerce=int,
        initial=24,
    )
    enabled = forms.BooleanField(
        label=_("regelmäßig abrufen"),
        required=False,
        initial=True,
    )

    @classmethod
    def for_feed(cls, feed: MeasurementFeed, data=None):
        initial = {
            "name": feed.name,
            "url": feed.url,
            "format": feed.format,
            "interval_hours": feed.interval_hours,
            "enabled": feed.enabled,
        }
        form = cls(data, initial=initial)
        if feed.interval_hours not in dict(INTERVALS):  # set otherwise (e.g. the shell): kept
            field = form.fields["interval_hours"]
            field.choices = [*INTERVALS, (feed.interval_hours, interval_label(feed.interval_hours))]  # type: ignore[attr-defined]
        return form
