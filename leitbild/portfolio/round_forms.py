"""Input shapes of the prioritisation pages. The rules live in ``rounds.py``; the views put
a service's ValidationErrors next to the fields here, and invalid input is shown again."""

from fractions import Fraction

from django import forms
from django.utils.translation import gettext_lazy as _

from leitbild.strategy.models import Strategy

from .models import SCORE_MAX, CriterionKind, Project, RoundCriterion
from .rounds import pair_field, weight_field


class RoundCreateForm(forms.Form):
    strategy = forms.ModelChoiceField(label=_("Strategie"), queryset=Strategy.objects.all())
    title = forms.CharField(label=_("Titel"), max_length=200, initial=_("Priorisierung"))
    blind = forms.BooleanField(
        label=_("verdeckte Bewertung"),
        required=False,
        initial=True,
        help_text=_("Bewertende sehen die Punkte der anderen erst nach dem eigenen Abschluss."),
    )
    disagreement_range = forms.IntegerField(
        label=_("Spannweite für Diskussionsbedarf"),
        min_value=1,
        max_value=SCORE_MAX,
        initial=3,
        help_text=_("Ab dieser Differenz zwischen höchstem und niedrigstem Punktwert."),
    )


class RoundEditForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    blind = RoundCreateForm.base_fields["blind"]
    disagreement_range = RoundCreateForm.base_fields["disagreement_range"]
    concentration = forms.FloatField(
        label=_("Konzentration der Gewichte"),
        min_value=1,
        max_value=100_000,
        help_text=_("Je höher, desto enger streuen die gezogenen Gewichte um die gewählten."),
    )
    draws = forms.IntegerField(label=_("Ziehungen"), min_value=100, max_value=100_000)
    top_k = forms.IntegerField(label=_("Spitzengruppe (k)"), min_value=1, max_value=100)
    per_field_minimum = forms.BooleanField(
        label=_("mindestens ein Projekt je Handlungsfeld"), required=False
    )


class CriterionForm(forms.Form):
    title = forms.CharField(label=_("Kriterium"), max_length=200)
    key = forms.SlugField(
        label=_("Kürzel"), max_length=50, help_text=_("Kleinbuchstaben, Ziffern und Bindestriche.")
    )
    description = forms.CharField(
        label=_("Erläuterung"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    kind = forms.ChoiceField(
        label=_("Art"), choices=CriterionKind.choices, widget=forms.RadioSelect
    )
    benefit = forms.TypedChoiceField(
        label=_("Richtung"),
        choices=[("1", _("mehr ist besser")), ("0", _("weniger ist besser"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    scale_min = forms.IntegerField(label=_("Skala von"), min_value=0, max_value=SCORE_MAX)
    scale_max = forms.IntegerField(label=_("Skala bis"), min_value=0, max_value=SCORE_MAX)


class DirectWeightsForm(forms.Form):
    """One percent field per criterion (``w_<id>``); the sum is checked by the service."""

    def __init__(self, *args, criteria: list[RoundCriterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[weight_field(criterion)] = forms.DecimalField(
                label=criterion.title,
                min_value=0,
                max_value=100,
                max_digits=6,
                decimal_places=2,
                required=False,
                initial=(criterion.weight * 100).quantize(1) if criterion.weight else 0,
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            )

    def percents(self) -> dict:
        return {c.pk: self.cleaned_data.get(weight_field(c)) for c in self.criteria}


SAATY = [9, 8, 7, 6, 5, 4, 3, 2]


def saaty_value(text: str) -> float | None:
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        return None
    return float(value)


def _pair_choices(row: RoundCriterion, col: RoundCriterion) -> list[tuple[str, object]]:
    choices: list[tuple[str, object]] = [("", _("– bitte wählen –"))]
    for n in SAATY:
        choices.append((str(n), _("„%(a)s“ %(n)s-mal so wichtig") % {"a": row.title, "n": n}))
    choices.append(("1", _("gleich wichtig")))
    for n in reversed(SAATY):
        choices.append((f"1/{n}", _("„%(a)s“ %(n)s-mal so wichtig") % {"a": col.title, "n": n}))
    return choices


class ComparisonForm(forms.Form):
    """One select per pair above the diagonal (``p_<row>_<col>``), Saaty's scale in both
    directions, so no JavaScript is needed."""

    def __init__(self, *args, criteria: list[RoundCriterion], values: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.pairs = []
        for i, row in enumerate(criteria):
            for col in criteria[i + 1 :]:
                name = pair_field(row, col)
                stored = values.get((row.pk, col.pk))
                initial = ""
                if stored is not None:
                    initial = str(round(stored)) if stored >= 1 else f"1/{round(1 / stored)}"
                self.fields[name] = forms.ChoiceField(
                    label=_("„%(a)s“ im Vergleich zu „%(b)s“") % {"a": row.title, "b": col.title},
                    choices=_pair_choices(row, col),
                    required=False,
                    initial=initial,
                )
                self.pairs.append((row, col, name))

    def values(self) -> dict[tuple[int, int], float | None]:
        return {
            (row.pk, col.pk): saaty_value(self.cleaned_data.get(name) or "")
            for row, col, name in self.pairs
        }


class ScoreForm(forms.Form):
    """Per assessed criterion a radio group 0–5 (``c_<id>``) and a justification (``j_<id>``)."""

    def __init__(self, *args, criteria: list[RoundCriterion], scores: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.rows = []
        for criterion in criteria:
            score = scores.get(criterion.pk)
            value_name, text_name = f"c_{criterion.pk}", f"j_{criterion.pk}"
            self.fields[value_name] = forms.TypedChoiceField(
                label=criterion.title,
                help_text=criterion.description,
                choices=[
                    (str(v), str(v)) for v in range(criterion.scale_min, criterion.scale_max + 1)
                ],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                initial=str(score.value) if score else None,
            )
            self.fields[text_name] = forms.CharField(
                label=_("Begründung zu „%(c)s“") % {"c": criterion.title},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=score.justification if score else "",
            )
            self.rows.append((criterion, value_name, text_name))

    def bound_rows(self):
        return [(c, self[v], self[t]) for c, v, t in self.rows]


class AgreedValueForm(forms.Form):
    value = forms.TypedChoiceField(
        label=_("Vereinbarter Wert"),
        choices=[("", _("kein vereinbarter Wert"))] + [(str(v), str(v)) for v in range(0, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Ergebnis der Diskussion"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class RoundProjectsForm(forms.Form):
    projects = forms.ModelMultipleChoiceField(
        label=_("Projekte der Runde"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mandatory = forms.ModelMultipleChoiceField(
        label=_("Gesetzte Projekte (müssen ins Portfolio)"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Project.objects.filter(strategy=strategy).order_by("title", "pk")
        self.fields["projects"].queryset = queryset
        self.fields["mandatory"].queryset = queryset
