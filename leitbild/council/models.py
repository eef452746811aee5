"""The strategy's way through the council: bodies and the consultation sequence of a version.

A body (committee, Verwaltungsausschuss, council) comes from a managed list or from the
council information system (OParl). A consultation step is one body's deliberation of a
version at a meeting: its role, its result and the agenda item's resolution text. A step
"beschlossen" by a deciding body adopts the version through the strategy's own service.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Body(models.Model):
    class Kind(models.TextChoices):
        COMMITTEE = "ausschuss", _("Fachausschuss")
        ADMINISTRATIVE = "verwaltungsausschuss", _("Verwaltungsausschuss")
        COUNCIL = "rat", _("Rat")
        OTHER = "sonstige", _("sonstiges Gremium")

    name = models.CharField(_("Name"), max_length=200, unique=True)
    kind = models.CharField(_("Art"), max_length=30, choices=Kind.choices, default=Kind.COMMITTEE)
    decides = models.BooleanField(
        _("entscheidet abschließend"),
        default=False,
        help_text=_("Ein Beschluss dieses Gremiums gilt als Beschluss der Strategie."),
    )
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    oparl_id = models.URLField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class StepRole(models.TextChoices):
    HEARING = "anhoerung", _("Anhörung")
    PRELIMINARY = "vorberatung", _("Vorberatung")
    NOTICE = "kenntnisnahme", _("Kenntnisnahme")
    DECISION = "entscheidung", _("Entscheidung")


class StepResult(models.TextChoices):
    PENDING = "", _("noch offen")
    RECOMMENDED = "empfohlen", _("empfohlen")
    RECOMMENDED_AMENDED = "geaendert_empfohlen", _("geändert empfohlen")
    POSTPONED = "vertagt", _("vertagt")
    DEFERRED = "zurueckgestellt", _("zurückgestellt")
    REJECTED = "abgelehnt", _("abgelehnt")
    ADOPTED = "beschlossen", _("beschlossen")
    ADOPTED_AMENDED = "geaendert_beschlossen", _("geändert beschlossen")


ADOPTING_RESULTS = (StepResult.ADOPTED, StepResult.ADOPTED_AMENDED)


class ConsultationStep(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", _("vom Ratsbüro eingetragen")
        OPARL = "oparl", _("aus dem Ratsinformationssystem")

    version = models.ForeignKey(
        "strategy.StrategyVersion", on_delete=models.CASCADE, related_name="consultation_steps"
    )
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="steps")
    meeting_date = models.DateField(_("Sitzung am"))
    role = models.CharField(_("Rolle"), max_length=20, choices=StepRole.choices)
    result = models.CharField(
        _("Ergebnis"), max_length=30, choices=StepResult.choices, blank=True, default=""
    )
    resolution = models.TextField(_("Beschlusstext"), blank=True, max_length=10_000)
    paper_reference = models.CharField(_("Drucksache"), max_length=100, blank=True)
    paper_url = models.URLField(_("Vorlage im Ratsinformationssystem"), max_length=500, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    oparl_id = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Beratungsschritt")
        verbose_name_plural = _("Beratungsfolge")
        ordering = ["version", "meeting_date", "pk"]

    def __str__(self) -> str:
        return f"{self.body} {self.meeting_date}"


class Amendment(models.Model):
    """An adopted amendment (Änderungsantrag) to a version: what changes, against which goal,
    field or project; a point on the Strategie-Redaktion's checklist for the next draft."""

    class Target(models.TextChoices):
        FIELD = "feld", _("Handlungsfeld")
        GOAL = "ziel", _("Ziel")
        PROJECT = "projekt", _("Projekt")
        OTHER = "sonstiges", _("Sonstiges")

    version = models.ForeignKey(
        "strategy.StrategyVersion", on_delete=models.CASCADE, related_name="amendments"
    )
    target = models.CharField(_("betrifft"), max_length=10, choices=Target.choices)
    target_label = models.CharField(_("Gegenstand"), max_length=300)
    text = models.TextField(_("Was sich ändert"), max_length=10_000)
    reference = models.CharField(_("Antrag"), max_length=100, blank=True)
    done_at = models.DateTimeField(_("eingearbeitet am"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Änderungsantrag")
        verbose_name_plural = _("Änderungsanträge")
        ordering = ["version", "pk"]

    def __str__(self) -> str:
        return f"{self.get_target_display()}: {self.target_label}"


# --- OParl: the council information system -------------------------------------------------------


class OParlSource(models.Model):
    """The council information system's OParl endpoint and the state of its synchronisation.

    ``synced_until`` is the start of the last complete sync: the next one asks only for what
    changed since (``modified_since``). ``cursor`` holds where an interrupted sync resumes.
    """

    class Status(models.TextChoices):
        NEW = "new", _("noch nicht abgeglichen")
        RUNNING = "running", _("Abgleich läuft")
        OK = "ok", _("abgeglichen")
        FAILED = "failed", _("Abgleich fehlgeschlagen")

    system_url = models.URLField(_("OParl-Endpunkt (System)"), max_length=500, unique=True)
    body_url = models.URLField(_("Körperschaft"), max_length=500, blank=True)
    body_name = models.CharField(max_length=300, blank=True)
    system_name = models.CharField(max_length=300, blank=True)
    oparl_version = models.CharField(max_length=10, blank=True)
    synced_until = models.DateTimeField(null=True, blank=True)
    cursor = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    error_url = models.CharField(max_length=1000, blank=True)
    error = models.TextField(blank=True)
    pages = models.PositiveIntegerField(default=0)
    written = models.PositiveIntegerField(default=0)
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("OParl-Quelle")
        verbose_name_plural = _("OParl-Quellen")

    def __str__(self) -> str:
        return self.system_url


class OParlObject(models.Model):
    """One object read from the council information system, in the few fields Leitbild uses
    (no persons, no files): organisations, meetings, agenda items, papers, consultations.
    References between them are OParl ids, so the order in which they arrive does not matter."""

    source = models.ForeignKey(OParlSource, on_delete=models.CASCADE, related_name="stored")
    oparl_id = models.CharField(max_length=500)
    kind = models.CharField(max_length=20)
    name = models.CharField(max_length=500, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    date = models.DateField(null=True, blank=True)
    web = models.CharField(max_length=500, blank=True)
    deleted = models.BooleanField(default=False)
    modified = models.CharField(max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "oparl_id"], name="unique_oparl_object"),
        ]
        indexes = [models.Index(fields=["source", "kind", "reference"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference or self.name}"


class PaperLink(models.Model):
    """A strategy version linked to its paper (Vorlage) in the council information system."""

    version = models.OneToOneField(
        "strategy.StrategyVersion", on_delete=models.CASCADE, related_name="council_paper_link"
    )
    reference = models.CharField(_("Drucksache"), max_length=100)
    paper_oparl_id = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Verknüpfung mit einer Vorlage")
        verbose_name_plural = _("Verknüpfungen mit Vorlagen")

    def __str__(self) -> str:
        return self.reference
