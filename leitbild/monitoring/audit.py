"""The audit actions of the indicator monitoring."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MonitoringAction(models.TextChoices):
    MEASUREMENT_RECORD = "monitoring.measurement.record", _("Messwert eingetragen")
    MEASUREMENT_DELETE = "monitoring.measurement.delete", _("Messwert gelöscht")
    MEASUREMENTS_IMPORT = "monitoring.measurements.import", _("Messwerte aus CSV importiert")
    MEASUREMENT_FEED_UPDATE = (
        "monitoring.measurement.feed_update",
        _("Messwert aus einer Datenquelle aktualisiert"),
    )
    FEED_CREATE = "monitoring.feed.create", _("Datenquelle für Messwerte angelegt")
    FEED_UPDATE = "monitoring.feed.update", _("Datenquelle für Messwerte geändert")
    FEED_DELETE = "monitoring.feed.delete", _("Datenquelle für Messwerte gelöscht")
    FEED_RUN_START = "monitoring.feed.run_start", _("Abruf einer Datenquelle gestartet")
    FEED_RUN = "monitoring.feed.run", _("Messwerte aus einer Datenquelle abgerufen")
    FEED_RUN_FAILED = "monitoring.feed.run_failed", _("Abruf einer Datenquelle fehlgeschlagen")
