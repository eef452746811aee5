"""The audit actions of the implementation concept (values as stored since the first
entries)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Stage


class PortfolioAction(models.TextChoices):
    ORGUNIT_CREATE = "portfolio.orgunit.create", _("Organisationseinheit angelegt")
    ORGUNIT_UPDATE = "portfolio.orgunit.update", _("Organisationseinheit geändert")
    ORGUNIT_DELETE = "portfolio.orgunit.delete", _("Organisationseinheit gelöscht")
    ORGUNIT_MEMBERS = (
        "portfolio.orgunit.members",
        _("Projektteam einer Organisationseinheit geändert"),
    )
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
    ROUND_CREATE = "portfolio.round.create", _("Priorisierungsrunde angelegt")
    ROUND_UPDATE = "portfolio.round.update", _("Priorisierungsrunde geändert")
    ROUND_PROJECTS = "portfolio.round.projects", _("Projekte einer Priorisierungsrunde geändert")
    ROUND_COPY = "portfolio.round.copy", _("Neue Priorisierungsrunde aus einer alten angelegt")
    CRITERION_CREATE = "portfolio.criterion.create", _("Kriterium angelegt")
    CRITERION_UPDATE = "portfolio.criterion.update", _("Kriterium geändert")
    CRITERION_DELETE = "portfolio.criterion.delete", _("Kriterium gelöscht")
    ROUND_WEIGHTS = "portfolio.round.weights", _("Gewichte der Kriterien festgelegt")
    ROUND_COMPARISONS = "portfolio.round.comparisons", _("Paarvergleich der Kriterien gespeichert")
    ROUND_SCORES = "portfolio.round.scores", _("Bewertung gespeichert")
    ROUND_SUBMIT = "portfolio.round.submit", _("Bewertung abgeschlossen")
    ROUND_AGREED_VALUE = "portfolio.round.agreed_value", _("Vereinbarter Wert nach Diskussion")
    ROUND_RANKING = "portfolio.round.ranking", _("Rangfolge und Robustheit berechnet")
    ROUND_CONSTRAINTS = "portfolio.round.constraints", _("Bedingungen des Portfolios geändert")
    ROUND_PORTFOLIO = "portfolio.round.portfolio", _("Budgetoptimales Portfolio berechnet")
    ROUND_ROBUST = "portfolio.round.robust", _("Robustes Portfolio berechnet")
    ROUND_ROBUST_START = (
        "portfolio.round.robust.start",
        _("Berechnung des robusten Portfolios gestartet"),
    )
    ROUND_DECISIONS = "portfolio.round.decisions", _("Priorisierung entschieden")
    ROUND_PUBLISH = "portfolio.round.publish", _("Priorisierungsrunde veröffentlicht")


# The action of moving a project to a stage (``services.project_stage_set``).
STAGE_ACTIONS: dict[str, PortfolioAction] = {
    Stage.POOL: PortfolioAction.STAGE_POOL,
    Stage.QUALIFYING: PortfolioAction.STAGE_QUALIFYING,
    Stage.PRIORITISED: PortfolioAction.STAGE_PRIORITISED,
    Stage.IMPLEMENTING: PortfolioAction.STAGE_IMPLEMENTING,
    Stage.COMPLETED: PortfolioAction.STAGE_COMPLETED,
    Stage.DISCARDED: PortfolioAction.STAGE_DISCARDED,
}
