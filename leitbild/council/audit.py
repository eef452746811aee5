"""The audit actions of the council office."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CouncilAction(models.TextChoices):
    PAPER_TEXTS = "council.paper.texts", _("Texte der Beschlussvorlage geändert")
    PAPER_GENERATE = "council.paper.generate", _("Beschlussvorlage erzeugt")
    BODY_SAVE = "council.body.save", _("Gremium gespeichert")
    STEP_RECORD = "council.step.record", _("Beratungsschritt eingetragen")
    STEP_DELETE = "council.step.delete", _("Beratungsschritt gelöscht")
    AMENDMENT_RECORD = "council.amendment.record", _("Änderungsantrag eingetragen")
    AMENDMENT_DONE = "council.amendment.done", _("Änderungsantrag als eingearbeitet markiert")
    OPARL_SOURCE = "council.oparl.source", _("OParl-Endpunkt eingestellt")
    PAPER_LINK = "council.paper.link", _("Version mit Vorlage verknüpft")
    PAPER_UNLINK = "council.paper.unlink", _("Verknüpfung mit Vorlage aufgehoben")
