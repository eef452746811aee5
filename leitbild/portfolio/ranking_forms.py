"""Forms of the ranking and portfolio pages of a prioritisation round."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .ranking import MAX_ROBUST_DRAWS, ROBUST_DRAWS


class WhatIfForm(forms.Form):
    """One weight in percent per criterion; read by GET, so it changes nothing."""

    def __init__(self, *args, criteria: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"w{criterion['id']}"] = forms.DecimalField(
                label=_("Gewicht von „%(title)s“ (Prozent)") % {"title": criterion["title"]},
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=1,
                max_digits=4,
                initial=round(Decimal(str(criterion["weight"])) * 100, 1),
                widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            )

    def weights(self) -> list:
        return [self.cleaned_data[f"w{c['id']}"] for c in self.criteria]

    def clean(self):
        data = super().clean()
        values = [data.get(f"w{c['id']}") for c in self.criteria]
        if all(v is not None for v in values) and sum(values) <= 0:
            raise forms.ValidationError(_("Mindestens ein Gewicht muss größer als null sein."))
        return data


class ConstraintsForm(forms.Form):
    mandatory = forms.MultipleChoiceField(
        label=_("Gesetzte Projekte (müssen ins Portfolio)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    remove = forms.MultipleChoiceField(
        label=_("Ausschlüsse aufheben"), required=False, widget=forms.CheckboxSelectMultiple
    )
    exclude_a = forms.TypedChoiceField(
        label=_("Neuer Ausschluss: Projekt"), required=False, coerce=int, empty_value=None
    )
    exclude_b = forms.TypedChoiceField(
        label=_("schließt aus: Projekt"), required=False, coerce=int, empty_value=None
    )
    per_field_minimum = forms.BooleanField(
        label=_("Mindestens ein Projekt je Handlungsfeld"), required=False
    )

    def __init__(self, *args, projects: list, exclusions: list, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(p.pk), p.title) for p in projects]
        fields: dict[str, Any] = self.fields  # choice fields: mypy sees only Field
        fields["mandatory"].choices = choices
        fields["exclude_a"].choices = [("", "–")] + choices
        fields["exclude_b"].choices = [("", "–")] + choices
        fields["remove"].choices = [
            (f"{a.pk}-{b.pk}", f"{a.title} ⟂ {b.title}") for a, b in exclusions
        ]
        self.exclusions = exclusions
        self.by_id = {p.pk: p for p in projects}

    def clean(self):
        data = super().clean()
        a, b = data.get("exclude_a"), data.get("exclude_b")
        if (a is None) != (b is None):
            self.add_error(
                "exclude_b" if a is not None else "exclude_a",
                _("Bitte wählen Sie beide Projekte des Ausschlusses."),
            )
        elif a is not None and a == b:
            self.add_error("exclude_b", _("Ein Projekt kann sich nicht selbst ausschließen."))
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        removed = set(data.get("remove") or [])
        pairs = [(a, b) for a, b in self.exclusions if f"{a.pk}-{b.pk}" not in removed]
        if data.get("exclude_a") is not None and data.get("exclude_b") is not None:
            pairs.append((self.by_id[data["exclude_a"]], self.by_id[data["exclude_b"]]))
        return {
            "mandatory": {int(pk) for pk in data.get("mandatory") or []},
            "exclusions": pairs,
            "per_field_minimum": data.get("per_field_minimum", False),
        }


class RobustForm(forms.Form):
    """Empty means the default number of draws."""

    draws = forms.IntegerField(
        label=_("Ziehungen"),
        initial=ROBUST_DRAWS,
        required=False,
        validators=[MinValueValidator(10), MaxValueValidator(MAX_ROBUST_DRAWS)],
        help_text=_(
            "Für jede Ziehung von Gewichten und Bewertungen wird das Portfolio neu optimiert."
        ),
    )


YES_NO = [("ja", _("priorisiert")), ("nein", _("nicht priorisiert"))]


class DecisionsForm(forms.Form):
    """Per project of the round: priorisiert or not, and why (required)."""

    def __init__(self, *args, projects: list, decisions: dict, suggested: set, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = projects
        for project in projects:
            decision = decisions.get(project.pk)
            if decision is not None:
                initial = "ja" if decision.prioritised else "nein"
            else:
                initial = "ja" if project.pk in suggested else "nein"
            self.fields[f"p{project.pk}"] = forms.ChoiceField(
                label=project.title,
                choices=YES_NO,
                initial=initial,
                widget=forms.RadioSelect,
            )
            self.fields[f"j{project.pk}"] = forms.CharField(
                label=_("Begründung für „%(title)s“") % {"title": project.title},
                initial=decision.justification if decision else "",
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=2000,
            )

    def rows(self) -> list[tuple]:
        return [
            (
                project,
                self.cleaned_data[f"p{project.pk}"] == "ja",
                self.cleaned_data[f"j{project.pk}"],
            )
            for project in self.projects
        ]

    def pairs(self):
        """(choice field, justification field) per project, for the template."""
        return [(self[f"p{p.pk}"], self[f"j{p.pk}"]) for p in self.projects]
