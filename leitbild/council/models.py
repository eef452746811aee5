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
