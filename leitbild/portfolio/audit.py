"""The audit actions of the implementation concept (values as stored since the first
entries)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Stage


class PortfolioAction(models.TextChoices):
    ORGUNIT_CREATE = "portfolio.orgunit.create", _("Organisationseinheit angelegt")
    ORGUNIT_UPDATE = "portfolio.orgunit.update", _("Organisationseinheit geändert")
    ORGUNIT_DELETE = "portfolio.orgunit.delete", _("Organisationseinheit gelöscht")
    PROJECT_CREATE = "portfolio.project.create", _("Projekt angelegt")
    PROJECT_UPDATE = "portfolio.project.update", _("Projekt geändert")
    PROJECT_DELETE = "portfolio.project.delete", _("Projekt gelöscht")
    PROJECT_COSTS = "portfolio.project.costs", _("Kostenplan geändert")
    PROJECT_IDEAS_LINK = "portfolio.project.ideas.link", _("Ideen mit einem Projekt verknüpft")
    PROJECT_IDEAS_UNLINK = "portfolio.project.ideas.unlink", _("Idee von einem Projekt gelöst")
    STAGE_POOL = "portfolio.project.stage.pool", _("Projektstand: Ideenpool")
    STAGE_QUALIFYING = (
        "portfolio.project.stage.qualifizierung",
        _("Projektstand: in Qualifizierung"),
    )
    STAGE_PRIORITISED = "portfolio.project.stage.priorisiert", _("Projektstand: priorisiert")
    STAGE_IMPLEMENTING = "portfolio.project.stage.umsetzung", _("Projektstand: in Umsetzung")
    STAGE_COMPLETED = "portfolio.project.stage.abgeschlossen", _("Projektstand: abgeschlossen")
    STAGE_DISCARDED = "portfolio.project.stage.verworfen", _("Projektstand: verworfen")
    PROGRAMME_CREATE = "portfolio.programme.create", _("Förderprogramm angelegt")
    PROGRAMME_UPDATE = "portfolio.programme.update", _("Förderprogramm geändert")
    PROGRAMME_DELETE = "portfolio.programme.delete", _("Förderprogramm gelöscht")
    ASSESSMENT_CREATE = "portfolio.assessment.create", _("Förderbewertung angelegt")
    ASSESSMENT_UPDATE = "portfolio.assessment.update", _("Förderbewertung geändert")
    BUDGET_UPDATE = "portfolio.budget.update", _("Haushaltsmittel geändert")


# The action of moving a project to a stage (``services.project_stage_set``).
STAGE_ACTIONS: dict[str, PortfolioAction] = {
    Stage.POOL: PortfolioAction.STAGE_POOL,
    Stage.QUALIFYING: PortfolioAction.STAGE_QUALIFYING,
    Stage.PRIORITISED: PortfolioAction.STAGE_PRIORITISED,
    Stage.IMPLEMENTING: PortfolioAction.STAGE_IMPLEMENTING,
    Stage.COMPLETED: PortfolioAction.STAGE_COMPLETED,
    Stage.DISCARDED: PortfolioAction.STAGE_DISCARDED,
}
