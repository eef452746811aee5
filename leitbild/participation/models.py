"""Participation processes (Beteiligungsverfahren) and their phases.

A process belongs to a strategy and runs in phases (idea call, weighting, survey, …). What a
visitor may do depends on the phase that is open now; ``participation.rules`` says it.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Process(models.Model):
    class Moderation(models.TextChoices):
        PRE = "pre", _("Vorab-Moderation: nichts ist öffentlich vor der Freigabe")
        POST = "post", _("Nachträgliche Moderation: sofort öffentlich, Moderation prüft danach")

    strategy = models.ForeignKey("strategy.Strategy", on_delete=models.CASCADE,
                                 related_name="processes")
    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname"), unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    moderation = models.CharField(_("Moderation"), max_length=10, choices=Moderation.choices,
                                  default=Moderation.POST)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Beteiligungsverfahren")
        verbose_name_plural = _("Beteiligungsverfahren")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    class Kind(models.TextChoices):
        IDEAS = "ideas", _("Ideenaufruf")
        WEIGHTING = "weighting", _("Gewichtung")
        SURVEY = "survey", _("Umfrage")
        INFORMATION = "information", _("Information")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))

    class Meta:
        verbose_name = _("Phase")
        verbose_name_plural = _("Phasen")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="phase_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.process}: {self.title}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at
