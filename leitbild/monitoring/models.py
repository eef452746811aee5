"""Measurements of the strategy's indicators over time.

The indicators themselves (baseline, target, direction) belong to the strategy app
(``strategy.models.Indicator``); the monitoring only adds what was measured when.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitbild.strategy.models import Indicator


class Measurement(models.Model):
    """One value of an indicator on one day (at most one per day)."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("Indikator"),
    )
    value = models.DecimalField(_("Wert"), max_digits=14, decimal_places=3)
    measured_on = models.DateField(_("Stichtag"))
    source = models.CharField(_("Quelle"), max_length=300, blank=True)
    comment = models.CharField(_("Kommentar"), max_length=1000, blank=True)
    provisional = models.BooleanField(_("vorläufig"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The scheduled source this value was fetched from (``feed_services``); empty for a
    # value entered by hand or uploaded. Only a value of the same source is ever updated.
    feed = models.ForeignKey(
        "monitoring.MeasurementFeed",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measurements",
        verbose_name=_("Datenquelle"),
    )

    class Meta:
        verbose_name = _("Messwert")
        verbose_name_plural = _("Messwerte")
        ordering = ["indicator", "measured_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"], name="unique_measurement_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.measured_on}: {self.value}"


# Sources fetched on a schedule by the task worker (feed_models); project progress:
# milestones, progress reports, spending; e-mail subscriptions (kept in their own modules).
from .feed_models import *  # noqa: E402, F403
from .progress_models import *  # noqa: E402, F403
from .subscription_models import *  # noqa: E402, F403
