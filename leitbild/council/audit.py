"""The audit actions of the council office."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CouncilAction(models.TextChoices):
    PAPER_TEXTS = "council.paper.texts", _("Texte der Beschlussvorlage geändert")
    PAPER_GENERATE = "council.paper.generate", _("Beschlussvorlage erzeugt")
    BODY_SAVE = "council.body.save", _("Gremium gespeichert")
    STEP_RECORD = "council.step.record", _("Beratungsschritt eingetragen")
    STEP_DELETE = "council.step.delete", _("Beratungsschritt gelöscht")
