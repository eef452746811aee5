"""Project progress: milestones, dated progress reports and the money spent per year.

A project's state of implementation is its latest progress report (percent complete and a
status); a milestone is late while its planned date has passed without an actual date. The
rules (dates not before the project's start nor in the future, percent 0–100, amounts not
negative) live in ``progress_services``; the database constraints stand behind them.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Milestone", "ProgressStatus", "ProgressUpdate", "Spending"]


class ProgressStatus(models.TextChoices):
    ON_TRACK = "plan", _("im Plan")
    DELAYED = "verzoegert", _("verzögert")
    STOPPED = "gestoppt", _("gestoppt")
    COMPLETED = "abgeschlossen", _("abgeschlossen")


class Milestone(models.Model):
    project = models.ForeignKey(
        "portfolio.Project", on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("Meilenstein"), max_length=200)
    planned_on = models.DateField(_("geplant am"))
    actual_on = models.DateField(_("erreicht am"), null=True, blank=True)
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["order", "planned_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_late_on(self, day: datetime.date) -> bool:
        return self.actual_on is None and self.planned_on < day

    @property
    def is_late(self) -> bool:
        return self.is_late_on(timezone.localdate())


class ProgressUpdate(models.Model):
    """A dated progress report of the project's lead unit."""

    project = models.ForeignKey(
        "portfolio.Project", on_delete=models.CASCADE, related_name="progress_updates"
    )
    date = models.DateField(_("Datum"))
    percent = models.PositiveSmallIntegerField(
        _("Fertigstellung (Prozent)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    status = models.CharField(_("Status"), max_length=20, choices=ProgressStatus.choices)
    text = models.TextField(_("Bericht"))
    photo = models.ImageField(_("Foto"), upload_to="umsetzung/%Y/%m/", blank=True)
    photo_description = models.CharField(_("Bildbeschreibung"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Fortschrittsbericht")
        verbose_name_plural = _("Fortschrittsberichte")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__gte=0, percent__lte=100), name="progress_percent_range"
            ),
        ]
        indexes = [models.Index(fields=["project", "-date"], name="progress_project_date")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.date}: {self.percent}"


class Spending(models.Model):
    """Money spent on a project in one year, against the year's cost plan."""

    project = models.ForeignKey(
        "portfolio.Project", on_delete=models.CASCADE, related_name="spendings"
    )
    year = models.PositiveSmallIntegerField(_("Jahr"))
    amount = models.DecimalField(
        _("ausgegeben (€)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("Ausgabe")
        verbose_name_plural = _("Ausgaben")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="unique_spending_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="spending_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}: {self.amount}"
