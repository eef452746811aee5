"""The implementation concept (Umsetzungskonzept): projects, their origin in ideas, funding.

A project serves strategic goals (``strategy.Goal`` rows, whose ids stay the same from one
frozen version to the next, like the fields that ideas link to) and through them fields of
action. Money is stored in euros with cents (``DecimalField``), never as floats.

Every write goes through ``portfolio.services``; the rules (year range, dependency cycles,
goals of the project's strategy, rates between 0 and 100 %) live there, not in ``save()``.
"""

from typing import TypedDict

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DecimalDigits(TypedDict):
    """Keyword arguments of a ``DecimalField``; typed so ``**MONEY`` type-checks."""

    max_digits: int
    decimal_places: int


MONEY: DecimalDigits = {"max_digits": 14, "decimal_places": 2}
PERCENT: DecimalDigits = {"max_digits": 5, "decimal_places": 2}


class Stage(models.TextChoices):
    POOL = "pool", _("Ideenpool")
    QUALIFYING = "qualifizierung", _("in Qualifizierung")
    PRIORITISED = "priorisiert", _("priorisiert")
    IMPLEMENTING = "umsetzung", _("in Umsetzung")
    COMPLETED = "abgeschlossen", _("abgeschlossen")
    DISCARDED = "verworfen", _("verworfen")


class Strength(models.TextChoices):
    STRONG = "stark", _("stark")
    MEDIUM = "mittel", _("mittel")
    WEAK = "gering", _("gering")


class CostType(models.TextChoices):
    INVESTMENT = "investition", _("Investitionen")
    STAFF = "personal", _("Personal")
    OPERATION = "betrieb", _("Betrieb und Wartung")
    CONSULTING = "beratung", _("Beratung und Dienstleistungen")


class Potential(models.TextChoices):
    HIGH = "hoch", _("hoch")
    MEDIUM = "mittel", _("mittel")
    LOW = "gering", _("gering")


class OrgUnit(models.Model):
    """A unit of the "Konzern Stadt": a department or a municipal company."""

    class Kind(models.TextChoices):
        DEPARTMENT = "amt", _("Amt oder Fachbereich")
        COMPANY = "gesellschaft", _("städtische Gesellschaft")
        OTHER = "sonstige", _("sonstige Einrichtung")

    name = models.CharField(_("Name"), max_length=200, unique=True)
    short_name = models.CharField(_("Kurzname"), max_length=40, blank=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    # Who reports the progress of the projects this unit leads (role Projektteam).
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Projektteam"),
        related_name="org_units",
        blank=True,
    )

    class Meta:
        verbose_name = _("Organisationseinheit")
        verbose_name_plural = _("Organisationseinheiten")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    strategy = models.ForeignKey(
        "strategy.Strategy",
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("Strategie"),
    )
    title = models.CharField(_("Titel"), max_length=200)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=500)
    description = models.TextField(_("Beschreibung"), blank=True)
    stage = models.CharField(_("Stand"), max_length=20, choices=Stage.choices, default=Stage.POOL)
    priority = models.PositiveSmallIntegerField(
        _("Rang in der Priorisierung"), null=True, blank=True
    )
    lead_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_projects",
        verbose_name=_("Federführung"),
    )
    partner_units = models.ManyToManyField(
        OrgUnit,
        blank=True,
        related_name="partner_projects",
        verbose_name=_("Partner im Konzern Stadt"),
    )
    external_partners = models.TextField(_("Externe Partner"), blank=True)
    starts_on = models.DateField(_("Beginn"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("Dauer (Monate)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    risks = models.TextField(_("Risiken"), blank=True)
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="required_by",
        verbose_name=_("hängt ab von"),
    )
    lat = models.DecimalField(_("Breite"), max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(_("Länge"), max_digits=9, decimal_places=6, null=True, blank=True)
    # The profile (Steckbrief), in the shape of the national knowledge platform.
    problem = models.TextField(_("Ausgangslage und Problem"), blank=True)
    aim = models.TextField(_("Ziel des Projekts"), blank=True)
    steps = models.TextField(_("Umsetzungsschritte"), blank=True)
    data_needed = models.TextField(_("Benötigte Daten"), blank=True)
    data_produced = models.TextField(_("Erzeugte Daten"), blank=True)
    continuation = models.TextField(_("Verstetigung nach der Förderung"), blank=True)
    transferability = models.TextField(_("Übertragbarkeit auf andere Kommunen"), blank=True)
    open_source = models.TextField(_("Open Source und offene Schnittstellen"), blank=True)
    # Publication: the project, and separately its costs and funding.
    is_public = models.BooleanField(_("öffentlich"), default=False)
    costs_public = models.BooleanField(_("Kosten und Förderung öffentlich"), default=False)
    ideas = models.ManyToManyField(
        "participation.Idea",
        through="ProjectIdea",
        blank=True,
        related_name="projects",
        verbose_name=_("Ideen"),
    )
    goals = models.ManyToManyField(
        "strategy.Goal",
        through="ProjectGoal",
        blank=True,
        related_name="projects",
        verbose_name=_("Ziele"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Projekt")
        verbose_name_plural = _("Projekte")
        ordering = ["priority", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True, lon__isnull=True)
                | models.Q(lat__isnull=False, lon__isnull=False),
                name="project_point_complete",
            ),
        ]
        indexes = [models.Index(fields=["is_public", "stage"], name="project_public_stage")]

    def __str__(self) -> str:
        return self.title

    @property
    def end_year(self) -> int | None:
        if self.starts_on is None or not self.duration_months:
            return None
        months = self.starts_on.year * 12 + self.starts_on.month - 1 + self.duration_months - 1
        return months // 12


class StageChange(models.Model):
    """One step of a project's stage, with date, person and reason."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    reason = models.TextField(_("Begründung"))
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Änderung des Stands")
        verbose_name_plural = _("Änderungen des Stands")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_stage} → {self.to_stage}"


class ProjectGoal(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="goal_links")
    # PROTECT: a goal that projects serve cannot be deleted (services list the projects).
    goal = models.ForeignKey(
        "strategy.Goal", on_delete=models.PROTECT, related_name="project_links"
    )
    strength = models.CharField(
        _("Beitrag"), max_length=10, choices=Strength.choices, default=Strength.MEDIUM
    )

    class Meta:
        verbose_name = _("Beitrag zu einem Ziel")
        verbose_name_plural = _("Beiträge zu Zielen")
        constraints = [
            models.UniqueConstraint(fields=["project", "goal"], name="unique_project_goal"),
        ]

    def __str__(self) -> str:
        return f"Projekt „{self.project}“"


class ProjectIdea(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="idea_links")
    idea = models.ForeignKey(
        "participation.Idea", on_delete=models.CASCADE, related_name="project_links"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Herkunft aus einer Idee")
        verbose_name_plural = _("Herkunft aus Ideen")
        constraints = [
            models.UniqueConstraint(fields=["project", "idea"], name="unique_project_idea"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} ← {self.idea_id}"


class CostItem(models.Model):
    """One cell of the cost plan: a year and a cost type."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="costs")
    year = models.PositiveSmallIntegerField(_("Jahr"))
    cost_type = models.CharField(_("Kostenart"), max_length=20, choices=CostType.choices)
    amount = models.DecimalField(_("Betrag (€)"), **MONEY, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("Kostenposition")
        verbose_name_plural = _("Kostenplan")
        ordering = ["year", "cost_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "cost_type"], name="unique_cost_cell"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.cost_type}: {self.amount}"


class ThirdPartyFunding(models.Model):
    """Money from third parties (foundations, companies, other public bodies) in one year."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="third_party")
    year = models.PositiveSmallIntegerField(_("Jahr"))
    source = models.CharField(_("Geldgeber"), max_length=200)
    amount = models.DecimalField(_("Betrag (€)"), **MONEY, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("Drittmittel")
        verbose_name_plural = _("Drittmittel")
        ordering = ["year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="third_party_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.source}"


class Programme(models.Model):
    """A funding programme (Förderprogramm), e.g. Modellprojekte Smart Cities (MPSC)."""

    class Level(models.TextChoices):
        FEDERAL = "bund", _("Bund")
        LAND = "land", _("Land")
        EU = "eu", _("Europäische Union")
        OTHER = "sonstige", _("sonstige")

    name = models.CharField(_("Name"), max_length=200, unique=True)
    short_name = models.CharField(_("Kurzname"), max_length=40)
    level = models.CharField(
        _("Ebene"), max_length=10, choices=Level.choices, default=Level.FEDERAL
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    rate = models.DecimalField(_("Förderquote (%)"), **PERCENT)
    emergency_rate = models.DecimalField(
        _("Förderquote bei Haushaltsnotlage (%)"), **PERCENT, null=True, blank=True
    )
    eligible_cost_types = models.JSONField(_("Förderfähige Kostenarten"), default=list)
    runs_from = models.PositiveSmallIntegerField(_("Laufzeit von (Jahr)"), null=True, blank=True)
    runs_until = models.PositiveSmallIntegerField(_("Laufzeit bis (Jahr)"), null=True, blank=True)

    class Meta:
        verbose_name = _("Förderprogramm")
        verbose_name_plural = _("Förderprogramme")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class ProgrammePhase(models.Model):
    """A phase of a programme with its cap (Höchstbetrag der Förderung)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("Name"), max_length=100)
    cap = models.DecimalField(_("Höchstbetrag der Förderung (€)"), **MONEY)
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Förderphase")
        verbose_name_plural = _("Förderphasen")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.programme}: {self.name}"


class Criterion(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(_("Kriterium"), max_length=200)
    description = models.TextField(_("Erläuterung"), blank=True)
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Bewertungskriterium")
        verbose_name_plural = _("Bewertungskriterien")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Assessment(models.Model):
    """How well a project fits a programme; ``applied`` puts it into the financing plan."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assessments")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="assessments")
    phase = models.ForeignKey(
        ProgrammePhase,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("Förderphase"),
    )
    potential = models.CharField(_("Förderpotenzial"), max_length=10, choices=Potential.choices)
    note = models.TextField(_("Gesamtbegründung"), blank=True)
    applied = models.BooleanField(_("im Finanzierungsplan"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Förderbewertung")
        verbose_name_plural = _("Förderbewertungen")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "programme"], name="one_assessment_per_programme"
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(applied=True),
                name="one_applied_programme_per_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} / {self.programme}"


class CriterionScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(_("Punkte (0–3)"), validators=[MaxValueValidator(3)])
    justification = models.TextField(_("Begründung"), blank=True)

    class Meta:
        verbose_name = _("Bewertung eines Kriteriums")
        verbose_name_plural = _("Bewertungen der Kriterien")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(condition=models.Q(score__lte=3), name="score_at_most_3"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class BudgetYear(models.Model):
    """The city's budget for its own share of the implementation concept in one year."""

    year = models.PositiveSmallIntegerField(_("Jahr"), unique=True)
    own_share_budget = models.DecimalField(
        _("Haushaltsmittel für den Eigenanteil (€)"), **MONEY, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("Haushaltsjahr")
        verbose_name_plural = _("Haushaltsjahre")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class FinanceSetting(models.Model):
    """The city's facts that funding depends on (one row)."""

    budget_emergency = models.BooleanField(
        _("Haushaltsnotlage nach Landesrecht"),
        default=False,
        help_text=_("Dann gilt die höhere Förderquote der Programme, die eine vorsehen."),
    )

    class Meta:
        verbose_name = _("Finanzeinstellung")
        verbose_name_plural = _("Finanzeinstellungen")

    def __str__(self) -> str:
        return "Finanzeinstellungen"


# --- Prioritisation -------------------------------------------------------------------------
#
# A prioritisation round scores the projects of one strategy against a catalogue of criteria,
# by several assessors (``Role.ASSESSOR``), and ranks them with weights that staff choose
# directly or derive by pairwise comparison (AHP). The round freezes its criteria and weights
# when the first score is entered (``frozen_at``); later changes start a new round. Writes go
# through ``portfolio.rounds`` (criteria, weights, scores) and ``portfolio.ranking`` (results,
# decisions, publication).

SCORE_MAX = 5


class CriterionKind(models.TextChoices):
    GOALS = "goals", _("berechnet: Beitrag zu den strategischen Zielen")
    RESIDENTS = "residents", _("berechnet: Priorität der Bürgerinnen und Bürger")
    FUNDING = "funding", _("berechnet: Förderpotenzial")
    ASSESSED = "assessed", _("bewertet")


class WeightMethod(models.TextChoices):
    DIRECT = "direct", _("direkt in Prozent")
    AHP = "ahp", _("paarweiser Vergleich (AHP)")
    NONE = "none", _("keine Gewichte (alle Gewichtungen gleich wahrscheinlich)")


class PrioritisationRound(models.Model):
    strategy = models.ForeignKey(
        "strategy.Strategy",
        on_delete=models.PROTECT,
        related_name="prioritisation_rounds",
        verbose_name=_("Strategie"),
    )
    number = models.PositiveIntegerField(_("Nummer"))
    title = models.CharField(_("Titel"), max_length=200)
    weight_method = models.CharField(
        _("Gewichtung"), max_length=10, choices=WeightMethod.choices, default=WeightMethod.DIRECT
    )
    blind = models.BooleanField(
        _("verdeckte Bewertung"),
        default=True,
        help_text=_(
            "Bewertende sehen die Punkte der anderen erst, wenn sie ihre eigene Bewertung "
            "abgeschlossen haben."
        ),
    )
    disagreement_range = models.PositiveSmallIntegerField(
        _("Spannweite für Diskussionsbedarf"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(SCORE_MAX)],
    )
    concentration = models.FloatField(_("Konzentration der Gewichte"), default=100.0)
    draws = models.PositiveIntegerField(_("Ziehungen"), default=10_000)
    top_k = models.PositiveSmallIntegerField(_("Spitzengruppe (k)"), default=5)
    per_field_minimum = models.BooleanField(
        _("mindestens ein Projekt je Handlungsfeld"), default=False
    )
    frozen_at = models.DateTimeField(_("eingefroren am"), null=True, blank=True)
    results = models.JSONField(_("Ergebnis"), null=True, blank=True)
    results_at = models.DateTimeField(null=True, blank=True)
    robust = models.JSONField(_("robustes Portfolio"), null=True, blank=True)
    robust_at = models.DateTimeField(null=True, blank=True)
    robust_task_id = models.CharField(max_length=100, blank=True)
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Priorisierungsrunde")
        verbose_name_plural = _("Priorisierungsrunden")
        ordering = ["strategy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="unique_round_number"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class RoundCriterion(models.Model):
    round = models.ForeignKey(
        PrioritisationRound, on_delete=models.CASCADE, related_name="criteria"
    )
    key = models.SlugField(_("Kürzel"), max_length=50)
    title = models.CharField(_("Kriterium"), max_length=200)
    description = models.TextField(_("Erläuterung"), blank=True)
    kind = models.CharField(
        _("Art"), max_length=10, choices=CriterionKind.choices, default=CriterionKind.ASSESSED
    )
    benefit = models.BooleanField(
        _("mehr ist besser"),
        default=True,
        help_text=_("Ohne Haken zählt ein niedriger Wert als besser (z. B. Aufwand, Risiko)."),
    )
    scale_min = models.SmallIntegerField(_("Skala von"), default=0)
    scale_max = models.SmallIntegerField(_("Skala bis"), default=SCORE_MAX)
    weight = models.DecimalField(
        _("Gewicht"),
        max_digits=7,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Kriterium der Runde")
        verbose_name_plural = _("Kriterien der Runde")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="unique_round_criterion_key"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def computed(self) -> bool:
        return self.kind != CriterionKind.ASSESSED


class PairwiseComparison(models.Model):
    """Saaty's 1/9..9: how much more important ``row`` is than ``col`` (upper triangle only)."""

    round = models.ForeignKey(
        PrioritisationRound, on_delete=models.CASCADE, related_name="comparisons"
    )
    row = models.ForeignKey(RoundCriterion, on_delete=models.CASCADE, related_name="+")
    col = models.ForeignKey(RoundCriterion, on_delete=models.CASCADE, related_name="+")
    value = models.FloatField(_("Vergleichswert"))

    class Meta:
        verbose_name = _("Paarweiser Vergleich")
        verbose_name_plural = _("Paarweise Vergleiche")
        constraints = [
            models.UniqueConstraint(fields=["round", "row", "col"], name="unique_comparison"),
            models.CheckConstraint(
                condition=models.Q(value__gte=1 / 9 - 1e-9, value__lte=9 + 1e-9),
                name="comparison_on_saaty_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.row_id}:{self.col_id} = {self.value}"


class RoundProject(models.Model):
    round = models.ForeignKey(PrioritisationRound, on_delete=models.CASCADE, related_name="entries")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="round_entries")
    mandatory = models.BooleanField(_("gesetzt (muss ins Portfolio)"), default=False)

    class Meta:
        verbose_name = _("Projekt der Runde")
        verbose_name_plural = _("Projekte der Runde")
        ordering = ["project__title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "project"], name="unique_round_project"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.project_id}"


class RoundExclusion(models.Model):
    """Projects ``a`` and ``b`` are alternatives: not both in the portfolio."""

    round = models.ForeignKey(
        PrioritisationRound, on_delete=models.CASCADE, related_name="exclusions"
    )
    a = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("Gegenseitiger Ausschluss")
        verbose_name_plural = _("Gegenseitige Ausschlüsse")
        constraints = [
            models.UniqueConstraint(fields=["round", "a", "b"], name="unique_round_exclusion"),
            models.CheckConstraint(
                condition=~models.Q(a=models.F("b")), name="exclusion_two_projects"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.a_id} ⟂ {self.b_id}"


class Score(models.Model):
    """One assessor's points for one project and criterion; each assessor owns their rows."""

    round = models.ForeignKey(PrioritisationRound, on_delete=models.CASCADE, related_name="scores")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="round_scores")
    criterion = models.ForeignKey(RoundCriterion, on_delete=models.CASCADE, related_name="scores")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="round_scores"
    )
    value = models.PositiveSmallIntegerField(
        _("Punkte"), validators=[MinValueValidator(0), MaxValueValidator(SCORE_MAX)]
    )
    justification = models.TextField(_("Begründung"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Punktwert")
        verbose_name_plural = _("Punktwerte")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "project", "criterion", "assessor"], name="unique_round_score"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0, value__lte=SCORE_MAX),
                name="round_score_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}/{self.criterion_id}/{self.assessor_id}: {self.value}"


class AssessorSubmission(models.Model):
    round = models.ForeignKey(
        PrioritisationRound, on_delete=models.CASCADE, related_name="submissions"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="round_submissions"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Abgeschlossene Bewertung")
        verbose_name_plural = _("Abgeschlossene Bewertungen")
        constraints = [
            models.UniqueConstraint(fields=["round", "assessor"], name="unique_submission"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.assessor_id}"


class AgreedValue(models.Model):
    """The value agreed after discussing a disagreement; replaces every assessor's score."""

    round = models.ForeignKey(
        PrioritisationRound, on_delete=models.CASCADE, related_name="agreed_values"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(
        RoundCriterion, on_delete=models.CASCADE, related_name="agreed_values"
    )
    value = models.PositiveSmallIntegerField(
        _("vereinbarter Wert"), validators=[MinValueValidator(0), MaxValueValidator(SCORE_MAX)]
    )
    note = models.TextField(_("Ergebnis der Diskussion"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("Vereinbarter Wert")
        verbose_name_plural = _("Vereinbarte Werte")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "project", "criterion"], name="unique_agreed_value"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0, value__lte=SCORE_MAX),
                name="agreed_value_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}/{self.criterion_id}: {self.value}"


class RoundDecision(models.Model):
    round = models.ForeignKey(
        PrioritisationRound, on_delete=models.CASCADE, related_name="decisions"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="round_decisions")
    prioritised = models.BooleanField(_("priorisiert"))
    justification = models.TextField(_("Begründung"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Entscheidung")
        verbose_name_plural = _("Entscheidungen")
        constraints = [
            models.UniqueConstraint(fields=["round", "project"], name="unique_round_decision"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.prioritised}"
