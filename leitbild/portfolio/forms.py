"""Input shapes of the staff pages. The rules live in ``services.py``; views put a service's
ValidationErrors next to the fields (and rows) here, and invalid input is shown again."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from leitbild.accounts.models import User
from leitbild.core.roles import Role

from .models import (
    CostType,
    DecimalDigits,
    OrgUnit,
    Potential,
    Programme,
    Project,
    Stage,
    Strength,
)

MONEY_FIELD: DecimalDigits = {"max_digits": 14, "decimal_places": 2}


def _area(label, required=False, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    summary = forms.CharField(
        label=_("Kurzbeschreibung"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    description = _area(_("Beschreibung"), rows=5)
    priority = forms.IntegerField(
        label=_("Rang in der Priorisierung"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("1 ist das wichtigste Projekt."),
    )
    lead_unit = forms.ModelChoiceField(
        label=_("Federführung"), required=False, queryset=OrgUnit.objects.all()
    )
    partner_units = forms.ModelMultipleChoiceField(
        label=_("Partner im Konzern Stadt"),
        required=False,
        queryset=OrgUnit.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    external_partners = _area(_("Externe Partner"), rows=2)
    starts_on = forms.DateField(
        label=_("Beginn"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Datum, z. B. 2025-01-01"),
    )
    duration_months = forms.IntegerField(
        label=_("Dauer (Monate)"), required=False, min_value=1, max_value=240
    )
    risks = _area(_("Risiken"))
    depends_on = forms.ModelMultipleChoiceField(
        label=_("Hängt ab von"),
        required=False,
        queryset=Project.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    lat = forms.DecimalField(
        label=_("Ort auf der Karte: Breite"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
    )
    lon = forms.DecimalField(
        label=_("Ort auf der Karte: Länge"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
    )
    problem = _area(_("Ausgangslage und Problem"))
    aim = _area(_("Ziel des Projekts"))
    steps = _area(_("Umsetzungsschritte"))
    data_needed = _area(_("Benötigte Daten"))
    data_produced = _area(_("Erzeugte Daten"))
    continuation = _area(_("Verstetigung nach der Förderung"))
    transferability = _area(_("Übertragbarkeit auf andere Kommunen"))
    open_source = _area(_("Open Source und offene Schnittstellen"))
    is_public = forms.BooleanField(label=_("Projekt öffentlich zeigen"), required=False)
    costs_public = forms.BooleanField(
        label=_("Kosten und Förderung öffentlich zeigen"), required=False
    )
    ideas = forms.ModelMultipleChoiceField(
        label=_("Hervorgegangen aus diesen Ideen"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    GOAL_PREFIX = "goal_"

    def __init__(self, *args, strategy, project: Project | None = None, ideas=None, **kwargs):
        super().__init__(*args, **kwargs)
        from leitbild.participation.models import Idea

        others = Project.objects.filter(strategy=strategy)
        if project is not None:
            others = others.exclude(pk=project.pk)
        self.fields["depends_on"].queryset = others.order_by("title")
        if ideas is None:
            del self.fields["ideas"]
        else:
            self.fields["ideas"].queryset = Idea.objects.filter(pk__in=[i.pk for i in ideas])
            self.fields["ideas"].initial = [i.pk for i in ideas]
        self.goal_fields = []
        choices = [("", _("kein Beitrag")), *Strength.choices]
        for goal in strategy.goals.select_related("field").order_by("field__order", "order", "pk"):
            name = f"{self.GOAL_PREFIX}{goal.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"{goal.code} {goal.title}",
                choices=choices,
                required=False,
                help_text=_("Handlungsfeld: %(field)s") % {"field": goal.field.name},
            )
            self.fields[name].goal = goal
            self.goal_fields.append(name)

    def goal_links(self):
        from .services import GoalLink

        return [
            GoalLink(self.fields[name].goal, self.cleaned_data[name])
            for name in self.goal_fields
            if self.cleaned_data.get(name)
        ]

    def service_data(self) -> dict:
        data = {
            k: v for k, v in self.cleaned_data.items() if k not in self.goal_fields and k != "ideas"
        }
        data["goals"] = self.goal_links()
        return data

    @property
    def main_fields(self):
        return [self[name] for name in self.fields if name not in self.goal_fields]

    @property
    def goal_bound_fields(self):
        return [self[name] for name in self.goal_fields]


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Neuer Stand"), choices=Stage.choices)
    reason = forms.CharField(
        label=_("Begründung"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CostForm(forms.Form):
    year = forms.IntegerField(label=_("Jahr"), required=False)
    cost_type = forms.ChoiceField(
        label=_("Kostenart"), required=False, choices=[("", "–"), *CostType.choices]
    )
    amount = forms.DecimalField(label=_("Betrag (€)"), required=False, **MONEY_FIELD)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("year") and data.get("amount") in (None, "")

    def clean(self):
        data = super().clean()
        if not self.is_blank():
            for name in ("year", "cost_type", "amount"):
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, _("Bitte ausfüllen oder die ganze Zeile leeren."))
        return data


class ThirdPartyForm(forms.Form):
    year = forms.IntegerField(label=_("Jahr"), required=False)
    source = forms.CharField(label=_("Geldgeber"), max_length=200, required=False)
    amount = forms.DecimalField(label=_("Betrag (€)"), required=False, **MONEY_FIELD)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("year") and data.get("amount") in (None, "") and not data.get("source")

    def clean(self):
        data = super().clean()
        if not self.is_blank():
            for name in ("year", "source", "amount"):
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, _("Bitte ausfüllen oder die ganze Zeile leeren."))
        return data


CostFormSet = forms.formset_factory(CostForm, extra=3, max_num=200, validate_max=True)
ThirdPartyFormSet = forms.formset_factory(ThirdPartyForm, extra=1, max_num=50, validate_max=True)


class CostPlanForms:
    """The cost plan page: its two formsets (costs, third-party money) as one form.

    Unbound, it shows the project's plan; bound, ``rows()`` reads the filled rows for
    ``services.cost_plan_set`` and ``add_service_errors`` puts the service's ``costs-3-amount``
    errors into the row they belong to (the service counts only the filled rows).
    """

    def __init__(self, data=None, *, project: Project):
        costs_initial = third_initial = None
        if data is None:
            costs_initial = [
                {"year": c.year, "cost_type": c.cost_type, "amount": c.amount}
                for c in project.costs.all()
            ]
            third_initial = [
                {"year": t.year, "source": t.source, "amount": t.amount}
                for t in project.third_party.all()
            ]
        self.costs = CostFormSet(data, prefix="costs", initial=costs_initial)
        self.third = ThirdPartyFormSet(data, prefix="third", initial=third_initial)
        self._filled: dict[str, list[int]] = {"costs": [], "third": []}

    def is_valid(self) -> bool:
        return self.costs.is_valid() and self.third.is_valid()

    def rows(self) -> tuple[list, list]:
        from .services import CostRow, ThirdPartyRow

        costs, third = [], []
        for index, form in enumerate(self.costs.forms):
            if not form.is_blank():
                d = form.cleaned_data
                costs.append(CostRow(d["year"], d["cost_type"], d["amount"]))
                self._filled["costs"].append(index)
        for index, third_form in enumerate(self.third.forms):
            if not third_form.is_blank():
                d = third_form.cleaned_data
                third.append(ThirdPartyRow(d["year"], d["source"], d["amount"]))
                self._filled["third"].append(index)
        return costs, third

    def add_service_errors(self, exc: ValidationError) -> None:
        formsets = {"costs": self.costs, "third": self.third}
        for key, errors in getattr(exc, "error_dict", {}).items():
            parts = key.split("-")
            if len(parts) == 3 and parts[0] in formsets:
                form = formsets[parts[0]].forms[self._filled[parts[0]][int(parts[1])]]
                form.add_error(parts[2], errors)

    @property
    def has_errors(self) -> bool:
        return any(f.errors for f in [*self.costs.forms, *self.third.forms])


class OrgUnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Kurzname"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Art"), choices=OrgUnit.Kind.choices)
    members = forms.ModelMultipleChoiceField(
        label=_("Projektteam"),
        required=False,
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Mitarbeitende mit der Rolle „Projektteam“ berichten den Fortschritt der Projekte, "
            "die diese Stelle federführend leitet. Die Rolle vergibt die Administration."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = User.objects.filter(
            is_active=True, role_assignments__role=Role.PROJECT_TEAM
        ).distinct()
        self.fields["members"].label_from_instance = _person


def _person(user) -> str:
    return f"{user.name} ({user.email})" if user.name else user.email


def _parse_money(text: str) -> Decimal:
    """1.234.567,89 or 1234567.89 → Decimal."""
    text = text.strip().replace("€", "").replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return Decimal(text)


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Kurzname"), max_length=40)
    level = forms.ChoiceField(label=_("Ebene"), choices=Programme.Level.choices)
    description = _area(_("Beschreibung"))
    rate = forms.DecimalField(
        label=_("Förderquote (%)"),
        max_digits=7,
        decimal_places=2,
        help_text=_("Anteil der förderfähigen Kosten, 0 bis 100."),
    )
    emergency_rate = forms.DecimalField(
        label=_("Förderquote bei Haushaltsnotlage (%)"),
        max_digits=7,
        decimal_places=2,
        required=False,
    )
    eligible_cost_types = forms.MultipleChoiceField(
        label=_("Förderfähige Kostenarten"),
        choices=CostType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    runs_from = forms.IntegerField(
        label=_("Laufzeit von (Jahr)"), required=False, min_value=2000, max_value=2100
    )
    runs_until = forms.IntegerField(
        label=_("Laufzeit bis (Jahr)"), required=False, min_value=2000, max_value=2100
    )
    phases = forms.CharField(
        label=_("Phasen mit Höchstbetrag"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Eine Phase je Zeile: Name | Höchstbetrag in € | Hinweis, "
            "z. B. „Phase A | 2500000 | davon 1 Mio. € für erste Maßnahmen“."
        ),
    )
    criteria = forms.CharField(
        label=_("Bewertungskriterien"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ein Kriterium je Zeile."),
    )

    def clean_phases(self):
        from .services import PhaseRow

        rows = []
        for number, line in enumerate(self.cleaned_data["phases"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            try:
                cap = _parse_money(parts[1])
            except (IndexError, InvalidOperation):
                raise ValidationError(
                    _("Zeile %(n)d: Bitte „Name | Höchstbetrag“ angeben.") % {"n": number}
                ) from None
            if cap < 0:
                raise ValidationError(
                    _("Zeile %(n)d: Ein Höchstbetrag darf nicht negativ sein.") % {"n": number}
                )
            rows.append(PhaseRow(parts[0], cap, parts[2] if len(parts) > 2 else ""))
        return rows

    def clean_criteria(self):
        return [line.strip() for line in self.cleaned_data["criteria"].splitlines() if line.strip()]


class AssessmentForm(forms.Form):
    potential = forms.ChoiceField(
        label=_("Förderpotenzial"), choices=Potential.choices, widget=forms.RadioSelect
    )
    phase = forms.ModelChoiceField(label=_("Förderphase"), required=False, queryset=None)
    note = _area(_("Gesamtbegründung"))
    applied = forms.BooleanField(
        label=_("Dieses Programm im Finanzierungsplan für das Projekt ansetzen"), required=False
    )

    def __init__(self, *args, programme: Programme, assessment=None, **kwargs):
        if assessment is not None:  # the stored assessment, to be changed
            initial = {
                "potential": assessment.potential,
                "phase": assessment.phase,
                "note": assessment.note,
                "applied": assessment.applied,
            }
            for score in assessment.scores.all():
                initial[f"score_{score.criterion_id}"] = score.score
                initial[f"why_{score.criterion_id}"] = score.justification
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = programme.phases.all()
        self.fields["phase"].label_from_instance = lambda phase: phase.name
        self.criterion_fields = []
        for criterion in programme.criteria.all():
            score = f"score_{criterion.pk}"
            self.fields[score] = forms.TypedChoiceField(
                label=_("%(criterion)s: Punkte") % {"criterion": criterion.title},
                choices=[(n, str(n)) for n in range(4)],
                coerce=int,
                help_text=_("0 = erfüllt nicht, 3 = erfüllt voll"),
            )
            self.fields[score].criterion = criterion
            self.fields[f"why_{criterion.pk}"] = forms.CharField(
                label=_("%(criterion)s: Begründung") % {"criterion": criterion.title},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.criterion_fields.append((score, f"why_{criterion.pk}"))

    def assessment_data(self) -> dict:
        """The keyword arguments of ``services.assessment_save`` besides who and what."""
        data = self.cleaned_data
        return {
            "potential": data["potential"],
            "phase": data["phase"],
            "note": data["note"],
            "applied": data["applied"],
            "scores": self.score_rows(),
        }

    def score_rows(self):
        from .services import ScoreRow

        return [
            ScoreRow(
                self.fields[score].criterion,
                self.cleaned_data[score],
                self.cleaned_data.get(why, ""),
            )
            for score, why in self.criterion_fields
        ]


class BudgetForm(forms.Form):
    budget_emergency = forms.BooleanField(
        label=_("Die Stadt ist in einer Haushaltsnotlage nach Landesrecht"),
        required=False,
        help_text=_("Dann gilt die höhere Förderquote der Programme, die eine vorsehen."),
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            self.fields[f"year_{year}"] = forms.DecimalField(
                label=_("Haushaltsmittel für den Eigenanteil %(year)d (€)") % {"year": year},
                required=False,
                **MONEY_FIELD,
            )

    def year_values(self) -> dict:
        return {year: self.cleaned_data.get(f"year_{year}") for year in self.years}


class IdeaSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Ideen suchen (Titel, Text oder Nummer)"), required=False, max_length=100
    )


class IdeaPickForm(forms.Form):
    ideas = forms.ModelMultipleChoiceField(
        label=_("Ideen verknüpfen"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        from leitbild.participation.models import Idea

        self.fields["ideas"].queryset = Idea.objects.public().filter(process__strategy=strategy)


class ProjectPickForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("In dieses Projekt ist die Idee eingeflossen"), queryset=None
    )

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(strategy=strategy).order_by(
            "title"
        )
