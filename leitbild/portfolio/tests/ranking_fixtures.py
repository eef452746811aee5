"""A small prioritisation round with a known answer, for the ranking tests.

Four projects, two assessed criteria (Gemeinwohl 60 %, Machbarkeit 40 %), three assessors:

* "Urbane Datenplattform" gets 5 everywhere: it dominates and is first with probability 1;
* "Stadt-App" and "Mängelmelder" get identical scores: they share ranks 2 and 3 half and half;
* "Papierakte" gets 0 everywhere: last.

Own shares in 2026: the platform costs 600,000 €, the app and the reporter 500,000 € each,
the budget is 1,000,000 €: taking the ranking from the top buys the platform alone (value 1),
the optimum buys the app and the reporter (value 1.6).
"""

from decimal import Decimal

from leitbild.core.roles import Role
from leitbild.portfolio import services
from leitbild.portfolio.models import (
    AssessorSubmission,
    CostType,
    PrioritisationRound,
    RoundCriterion,
    RoundProject,
    Score,
)

SCORES = {
    "Urbane Datenplattform": (5, 5),
    "Stadt-App": (4, 4),
    "Digitaler Mängelmelder": (4, 4),
    "Papierakte": (0, 0),
}
COSTS = {
    "Urbane Datenplattform": 600_000,
    "Stadt-App": 500_000,
    "Digitaler Mängelmelder": 500_000,
    "Papierakte": 100_000,
}


def make_round(*, strategy, make_project, make_user, draws: int = 2000, scores=SCORES):
    round = PrioritisationRound.objects.create(
        strategy=strategy, number=1, title="Priorisierung 2025", draws=draws, top_k=2
    )
    criteria = [
        RoundCriterion.objects.create(
            round=round, key="gemeinwohl", title="Gemeinwohl", weight=Decimal("0.6"), order=0
        ),
        RoundCriterion.objects.create(
            round=round, key="machbarkeit", title="Machbarkeit", weight=Decimal("0.4"), order=1
        ),
    ]
    assessors = [make_user(f"bewertung{i}@stadt.example", roles=[Role.ASSESSOR]) for i in range(3)]
    projects = {}
    for title, points in scores.items():
        project = make_project(title=title, is_public=True)
        services.cost_plan_set(
            actor=None,
            project=project,
            costs=[services.CostRow(2026, CostType.OPERATION, Decimal(COSTS.get(title, 100_000)))],
        )
        projects[title] = project
        RoundProject.objects.create(round=round, project=project)
        for assessor in assessors:
            for criterion, value in zip(criteria, points, strict=True):
                Score.objects.create(
                    round=round,
                    project=project,
                    criterion=criterion,
                    assessor=assessor,
                    value=value,
                    justification="Nachvollziehbar.",
                )
    for assessor in assessors:
        AssessorSubmission.objects.create(round=round, assessor=assessor)
    services.budget_set(actor=None, years={2026: Decimal("1000000")}, budget_emergency=False)
    return round, projects, criteria, assessors
