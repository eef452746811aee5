"""The audit actions of the indicator monitoring."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MonitoringAction(models.TextChoices):
    MEASUREMENT_RECORD = "monitoring.measurement.record", _("Messwert eingetragen")
    MEASUREMENT_DELETE = "monitoring.measurement.delete", _("Messwert gelöscht")
    MEASUREMENTS_IMPORT = "monitoring.measurements.import", _("Messwerte aus CSV importiert")
