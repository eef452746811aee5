"""The audit actions of the strategic framework (values as stored since the first entries)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StrategyAction(models.TextChoices):
    STRATEGY_CREATE = "strategy.create", _("Strategie angelegt")
    STRATEGY_UPDATE = "strategy.update", _("Strategie geändert")
    IMPORT = "strategy.import", _("Strategischer Rahmen importiert")
    LEITLINIE_CREATE = "strategy.leitlinie.create", _("Leitlinie angelegt")
    LEITLINIE_UPDATE = "strategy.leitlinie.update", _("Leitlinie geändert")
    LEITLINIE_DELETE = "strategy.leitlinie.delete", _("Leitlinie gelöscht")
    LEITLINIE_MOVE = "strategy.leitlinie.move", _("Leitlinie verschoben")
    FIELD_CREATE = "strategy.field.create", _("Handlungsfeld angelegt")
    FIELD_UPDATE = "strategy.field.update", _("Handlungsfeld geändert")
    FIELD_DELETE = "strategy.field.delete", _("Handlungsfeld gelöscht")
    FIELD_MOVE = "strategy.field.move", _("Handlungsfeld verschoben")
    GOAL_CREATE = "strategy.goal.create", _("Ziel angelegt")
    GOAL_UPDATE = "strategy.goal.update", _("Ziel geändert")
    GOAL_DELETE = "strategy.goal.delete", _("Ziel gelöscht")
    GOAL_MOVE = "strategy.goal.move", _("Ziel verschoben")
    INDICATOR_CREATE = "strategy.indicator.create", _("Indikator angelegt")
    INDICATOR_UPDATE = "strategy.indicator.update", _("Indikator geändert")
    INDICATOR_DELETE = "strategy.indicator.delete", _("Indikator gelöscht")
    INDICATOR_MOVE = "strategy.indicator.move", _("Indikator verschoben")
    VERSION_FREEZE = "strategy.version.freeze", _("Entwurf als Version eingefroren")
    VERSION_STATUS = "strategy.version.status", _("Status einer Version geändert")
    VERSION_SUPERSEDE = "strategy.version.supersede", _("Version abgelöst")
    VERSION_DECISION_CORRECT = "strategy.version.decision", _("Beschluss einer Version korrigiert")
    DOCUMENT_GENERATE = "strategy.document.generate", _("Dokumente einer Version erzeugt")
    DOCUMENT_ARRANGE = "strategy.document.arrange", _("Aufbau des Strategiedokuments geändert")
