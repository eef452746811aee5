"""The demo round's results: ranking with SMAA, the optimal and the greedy portfolio, the
robust portfolio, the editor's decisions and the publication.

Runs after ``demo_prioritisation`` has scored the round, through the same services staff use
(``portfolio.ranking``), with fewer draws than on the page so that ``leitbild demo`` stays
quick. Idempotent: a published round is left alone.

The tight year is 2027 (already over budget in the financing plan): its budget is cut by a
further quarter, so that the optimal portfolio leaves projects out, differs visibly from the
ranking taken from the top, and the robust portfolio has a core, a borderline and an
exterior.
"""

from decimal import Decimal

from django.db import transaction

from leitbild.accounts.models import User

from . import ranking, services
from . import ranking_selectors as sel
from .demo import OVER_BUDGET_YEAR
from .models import BudgetYear, PrioritisationRound

EDITOR_EMAIL = "redaktion@musterstadt.example"
ROUND_TITLE = "Priorisierung 2027"
SMAA_DRAWS = 4000
ROBUST_DRAWS = 200
# The decision follows the robust portfolio; for the borderline the editor explains why.
JUSTIFICATIONS = {
    "core": "Gehört bei fast allen plausiblen Gewichtungen zum optimalen Portfolio.",
    "borderline": "Im Grenzbereich: Der Lenkungskreis hat am 19. März nach Abwägung entschieden.",
    "exterior": "Passt bei kaum einer plausiblen Gewichtung ins Budget; später erneut prüfen.",
}


def load() -> None:
    round = PrioritisationRound.objects.filter(title=ROUND_TITLE).order_by("pk").first()
    editor = User.objects.filter(email=EDITOR_EMAIL).first()
    if round is None or editor is None or round.published_at is not None:
        return
    with transaction.atomic():
        tight = BudgetYear.objects.filter(year=OVER_BUDGET_YEAR).first()
        if tight is not None:
            services.budget_set(
                actor=editor,
                years={
                    tight.year: (tight.own_share_budget * Decimal("0.75")).quantize(Decimal("1000"))
                },
                budget_emergency=False,
            )
        PrioritisationRound.objects.filter(pk=round.pk).update(draws=SMAA_DRAWS)
        round.refresh_from_db()
        round = ranking.ranking_run(actor=editor, round=round)
        round = ranking.portfolio_run(actor=editor, round=round)
    round = ranking.robust_run(actor=editor, round=round, draws=ROBUST_DRAWS)
    results, robust = round.results or {}, round.robust or {}
    optimal = set(results["portfolio"]["optimal"]["selected"])
    classes = {p["id"]: p["class"] for p in robust["projects"]}
    inputs = sel.portfolio_inputs(round)
    rows = []
    for project in inputs.projects:
        kind = classes.get(project.pk, "exterior")
        prioritised = project.pk in optimal
        rows.append(ranking.DecisionRow(project, prioritised, JUSTIFICATIONS[kind]))
    ranking.decisions_set(actor=editor, round=round, rows=rows)
    ranking.round_publish(actor=editor, round=round)


def url_samples() -> dict[str, dict]:
    """URL parameters for ``core/tests/test_url_access.py``."""
    round = PrioritisationRound.objects.order_by("pk").first()
    if round is None:
        return {}
    with_round = {"pk": round.pk}
    return {
        f"portfolio:staff_round_{name}": with_round
        for name in (
            "ranking",
            "whatif",
            "portfolio",
            "constraints",
            "robust",
            "decisions",
            "publish",
            "xlsx",
        )
    }
