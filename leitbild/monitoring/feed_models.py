"""Sources of measurements fetched on a schedule (Datenquellen): a CSV or JSON address of the
city's statistics office or open-data portal, read by the task worker.

What is read and how it is written is described in ``feed_services``; this module holds only
the source and the outcome of its last run.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["MeasurementFeed"]

MAX_INTERVAL_HOURS = 24 * 31


class MeasurementFeed(models.Model):
    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        JSON = "json", _("JSON")

    class Outcome(models.TextChoices):
        OK = "ok", _("erfolgreich")
        FAILED = "failed", _("fehlgeschlagen")

    name = models.CharField(_("Bezeichnung"), max_length=200)
    url = models.URLField(_("Adresse (URL)"), max_length=500)
    format = models.CharField(_("Format"), max_length=4, choices=Format.choices)
    interval_hours = models.PositiveIntegerField(
        _("Abruf alle … Stunden"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_HOURS)],
    )
    enabled = models.BooleanField(_("regelmäßig abrufen"), default=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    last_created = models.PositiveIntegerField(default=0)
    last_updated = models.PositiveIntegerField(default=0)
    last_skipped = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Datenquelle für Messwerte")
        verbose_name_plural = _("Datenquellen für Messwerte")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(interval_hours__gte=1)
                & models.Q(interval_hours__lte=MAX_INTERVAL_HOURS),
                name="measurement_feed_interval_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name
