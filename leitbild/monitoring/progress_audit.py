"""The audit actions of project progress (registered in ``MonitoringConfig.ready``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgressAction(models.TextChoices):
    MILESTONES_SET = "monitoring.milestones.set", _("Meilensteine geändert")
    UPDATE_CREATE = "monitoring.progress.create", _("Fortschrittsbericht eingetragen")
    UPDATE_CHANGE = "monitoring.progress.change", _("Fortschrittsbericht geändert")
    UPDATE_DELETE = "monitoring.progress.delete", _("Fortschrittsbericht gelöscht")
    SPENDING_SET = "monitoring.spending.set", _("Ausgaben geändert")
    PROGRESS_IMPORT = "monitoring.progress.import", _("Fortschritt aus CSV importiert")
    REPORT_GENERATE = "monitoring.report.generate", _("Umsetzungsbericht erzeugt")
    REPORT_TEXTS = "monitoring.report.texts", _("Texte des Umsetzungsberichts geändert")
    PROJECT_REPORT_GENERATE = "monitoring.project_report.generate", _("Sachstandsbericht erzeugt")
