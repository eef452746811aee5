"""Input shapes of the staff pages. The rules (unique codes, status transitions, …) live in
``services.py``; the views put the ValidationErrors of a service next to the fields here."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .models import SDG_CHOICES, CharterPrinciple, Indicator, StrategyVersion, code_validator


class CodeField(forms.CharField):
    """A code such as MOB-2; typed in lower case, it is taken in upper case."""

    default_validators = [code_validator]

    def to_python(self, value):
        return super().to_python(value).upper()


def _text(label, max_length, required=True, help_text=""):
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=help_text
    )


def _area(label, required=True, rows=4, help_text="", max_length=20000):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class StrategyForm(forms.Form):
    title = _text(_("Titel"), 200, help_text=_("z. B. Smart-City-Strategie Musterstadt"))
    edition = _text(_("Ausgabe"), 50, help_text=_("z. B. 2024 oder Fortschreibung 2026"))
    summary = _area(_("Zusammenfassung"), required=False)


class StrategyCreateForm(StrategyForm):
    slug = forms.SlugField(
        label=_("Kurzname"),
        max_length=50,
        help_text=_(
            "Für Seitenadressen: Kleinbuchstaben, Ziffern und Bindestriche, z. B. smart-city-2030."
        ),
        validators=[
            RegexValidator(
                r"^[a-z0-9]+(-[a-z0-9]+)*$",
                _("Nur Kleinbuchstaben, Ziffern und einzelne Bindestriche."),
            )
        ],
    )
    template = forms.ChoiceField(
        label=_("Beginnen mit"),
        widget=forms.RadioSelect,
        initial="",
        choices=[
            ("", _("einem leeren Rahmen")),
            (
                "smart-city-charta",
                _(
                    "der Vorlage „Smart City Charta“: die vier Leitlinien der "
                    "Charta, noch ohne Handlungsfelder"
                ),
            ),
            (
                "musterstadt",
                _(
                    "dem Rahmen der Beispielstadt Musterstadt (zehn Handlungsfelder "
                    "mit Zielen und Indikatoren)"
                ),
            ),
        ],
        required=False,
    )
    field_order = ["title", "slug", "edition", "summary", "template"]


class LeitlinieForm(forms.Form):
    title = _text(_("Titel"), 200)
    text = _area(_("Text"), rows=6)


class FieldForm(forms.Form):
    code = CodeField(
        label=_("Kürzel"),
        max_length=20,
        help_text=_("Großbuchstaben, Ziffern und Bindestriche, z. B. MOB."),
    )
    name = _text(_("Name"), 200)
    description = _area(_("Beschreibung"), required=False)
    colour = forms.CharField(
        label=_("Farbe"),
        max_length=7,
        initial="#0b5394",
        widget=forms.TextInput(attrs={"type": "color"}),
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Eine Farbe wie #0b5394."))],
        help_text=_("Kennzeichnet das Handlungsfeld auf den Karten der öffentlichen Seiten."),
    )
    icon = _text(
        _("Symbol"),
        40,
        required=False,
        help_text=_("Name eines Symbols für eigene Darstellungen, z. B. directions_bus."),
    )


class GoalForm(forms.Form):
    code = CodeField(
        label=_("Kürzel"),
        max_length=20,
        help_text=_("z. B. MOB-2; jedes Kürzel nur einmal je Strategie."),
    )
    title = _text(_("Titel"), 300)
    description = _area(_("Beschreibung"), required=False)
    charter_principles = forms.MultipleChoiceField(
        label=_("Leitlinien der Smart City Charta"),
        required=False,
        choices=CharterPrinciple.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "kern-form-check__checkbox"}),
    )
    sdgs = forms.TypedMultipleChoiceField(
        label=_("Ziele für nachhaltige Entwicklung (SDG)"),
        required=False,
        coerce=int,
        choices=SDG_CHOICES,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "kern-form-check__checkbox"}),
    )


class IndicatorForm(forms.Form):
    name = _text(_("Name"), 300)
    unit = _text(_("Einheit"), 50, required=False, help_text=_("z. B. %, Anzahl, t CO₂"))
    direction = forms.ChoiceField(
        label=_("Richtung"), choices=Indicator.Direction.choices, initial=Indicator.Direction.HIGHER
    )
    baseline_value = forms.DecimalField(
        label=_("Ausgangswert"), required=False, max_digits=14, decimal_places=3, localize=True
    )
    baseline_year = forms.IntegerField(
        label=_("Ausgangsjahr"), required=False, min_value=1900, max_value=2100
    )
    target_value = forms.DecimalField(
        label=_("Zielwert"), required=False, max_digits=14, decimal_places=3, localize=True
    )
    target_year = forms.IntegerField(
        label=_("Zieljahr"), required=False, min_value=1900, max_value=2100
    )
    source = _text(_("Datenquelle"), 300, required=False)
    qualitative = forms.BooleanField(
        label=_("qualitativ (wird beschrieben statt gemessen)"), required=False
    )


class FreezeForm(forms.Form):
    note = _text(
        _("Anmerkung zur Version"),
        300,
        required=False,
        help_text=_("z. B. Entwurf für die Beratung im Ausschuss"),
    )


class VersionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Neuer Status"))
    decided_on = forms.DateField(
        label=_("beschlossen am"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Nur beim Status „beschlossen“."),
    )
    decision_reference = _text(
        _("Beschluss (Drucksache)"),
        100,
        required=False,
        help_text=_("Nur beim Status „beschlossen“, z. B. DS 2024/0412."),
    )

    def __init__(self, *args, statuses: list[StrategyVersion.Status], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.value, s.label) for s in statuses]


class VersionDecisionForm(forms.Form):
    """A correction of the council's decision on an adopted version (Ratsbüro)."""

    decided_on = forms.DateField(
        label=_("beschlossen am"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    decision_reference = _text(_("Beschluss (Drucksache)"), 100, help_text=_("z. B. DS 2024/0412"))
    reason = _area(
        _("Begründung"),
        rows=3,
        max_length=1000,
        help_text=_("Steht im Änderungsprotokoll, z. B. „Tippfehler im Datum“."),
    )


class CompareForm(forms.Form):
    """Two version numbers; ``0`` stands for the unfrozen draft on the staff pages."""

    von = forms.TypedChoiceField(label=_("Version"), coerce=int)
    mit = forms.TypedChoiceField(label=_("verglichen mit"), coerce=int)

    def __init__(self, *args, numbers: list[int], with_draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, _("Version %(number)s") % {"number": n}) for n in numbers]
        if with_draft:
            choices.append((0, _("Arbeitsstand (nicht eingefroren)")))
        self.fields["von"].choices = choices
        self.fields["mit"].choices = choices


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Datei (JSON)"),
        help_text=_("Ein strategischer Rahmen im Leitbild-Format, höchstens 2 MB."),
    )
    slug = forms.SlugField(
        label=_("Kurzname"),
        max_length=50,
        required=False,
        help_text=_("Leer lassen, um den Kurznamen aus der Datei zu übernehmen."),
    )
    title = _text(
        _("Titel"),
        200,
        required=False,
        help_text=_("Leer lassen, um den Titel aus der Datei zu übernehmen."),
    )


class DocumentArrangementForm(forms.Form):
    """Order, inclusion and introduction of each chapter of the strategy document."""

    def __init__(self, *args, chapters, **kwargs):
        super().__init__(*args, **kwargs)
        self.chapters = []
        for k, (spec, text) in enumerate(chapters, start=1):
            position = f"position_{spec.key}"
            included = f"included_{spec.key}"
            intro = f"text_{spec.key}"
            self.fields[position] = forms.IntegerField(
                label=_("Position"), min_value=1, max_value=99, initial=k
            )
            self.fields[included] = forms.BooleanField(
                label=_("aufnehmen"), required=False, initial=text.included if text else True
            )
            self.fields[intro] = forms.CharField(
                label=_("Vorwort") if spec.key == "vorwort" else _("Einleitung"),
                required=False,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 6 if spec.key == "vorwort" else 3}),
                initial=text.text if text else "",
            )
            self.chapters.append((spec, self[position], self[included], self[intro]))

    def rows(self):
        from leitbild.documents.services import Arrangement

        return [
            Arrangement(
                key=spec.key,
                position=self.cleaned_data[f"position_{spec.key}"] * 10,
                included=self.cleaned_data[f"included_{spec.key}"],
                text=self.cleaned_data[f"text_{spec.key}"],
            )
            for spec, *_fields in self.chapters
        ]
