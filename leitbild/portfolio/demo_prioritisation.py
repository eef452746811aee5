"""The demo city's prioritisation round "Priorisierung 2027".

Three assessors (Bea Bewertung and two colleagues, all fictional) score every project of the
round on the assessed criteria and submit; Jonas Petersen strongly disagrees with the others on
two projects (a spread of at least 3), and for one of them the editor has recorded the value
agreed after the discussion. The weights come from a pairwise comparison (AHP) with a
consistency ratio below 0.10. Everything goes through ``portfolio.rounds``, deterministically
(``random.Random(SEED)``). The ranking and portfolio results are added by
``portfolio.ranking``'s part of the demo.
"""

import random

from leitbild.accounts.models import User
from leitbild.strategy.models import Strategy

from . import round_selectors as selectors
from . import rounds
from .models import CriterionKind, PrioritisationRound

SEED = 2027
ROUND_TITLE = "Priorisierung 2027"
EDITOR_EMAIL = "redaktion@musterstadt.example"
ASSESSOR_EMAILS = (
    "bewertung@musterstadt.example",  # Bea Bewertung (core.demo)
    "bewertung.petersen@musterstadt.example",  # Jonas Petersen, the dissenter
    "bewertung.aydin@musterstadt.example",  # Leyla Aydın
)
DISSENTER = ASSESSOR_EMAILS[1]
# Importance of the criteria on Saaty's scale (the comparisons are the rounded ratios).
IMPORTANCE = {
    "ziele": 8,
    "buergerschaft": 6,
    "gemeinwohl": 7,
    "machbarkeit": 5,
    "kosten-nutzen": 5,
    "uebertragbarkeit": 2,
    "open-source": 3,
    "dringlichkeit": 4,
    "foerderung": 3,
}
# The dissenter's view of these two projects differs strongly from the others'.
DISPUTED = ("Quartiers-Carsharing mit Elektroautos", "Stadt-App Musterstadt")
JUSTIFICATIONS = {
    0: "Kaum Bezug zu diesem Kriterium.",
    1: "Nur ein geringer Beitrag.",
    2: "Teilweise erfüllt, vieles ist noch offen.",
    3: "Solide, im Steckbrief nachvollziehbar beschrieben.",
    4: "Überzeugend, mit klaren Belegen im Steckbrief.",
    5: "Herausragend; ein Vorbild für andere Kommunen.",
}


def saaty_ratio(a: int, b: int) -> float:
    """The ratio a/b rounded to Saaty's scale (1..9 or 1/9..1/2)."""
    ratio = a / b
    if ratio >= 1:
        return float(min(9, round(ratio)))
    return 1 / min(9, round(1 / ratio))


def load() -> None:
    """Idempotent: does nothing once the round exists."""
    strategy = Strategy.objects.filter(slug="musterstadt").first()
    editor = User.objects.filter(email=EDITOR_EMAIL).first()
    people = list(User.objects.filter(email__in=ASSESSOR_EMAILS))
    if strategy is None or editor is None or len(people) < len(ASSESSOR_EMAILS):
        return
    if PrioritisationRound.objects.filter(strategy=strategy, title=ROUND_TITLE).exists():
        return
    if not strategy.projects.exists():
        return
    rng = random.Random(SEED)
    round_ = rounds.round_create(
        actor=editor, strategy=strategy, title=ROUND_TITLE, blind=True, disagreement_range=3
    )
    criteria = selectors.round_criteria(round_)
    values = {
        (a.pk, b.pk): saaty_ratio(IMPORTANCE[a.key], IMPORTANCE[b.key])
        for i, a in enumerate(criteria)
        for b in criteria[i + 1 :]
    }
    result = rounds.comparisons_set(actor=editor, round=round_, values=values)
    assert result.consistency_ratio < 0.10, result.consistency_ratio
    assessed = [c for c in criteria if c.kind == CriterionKind.ASSESSED]
    projects = selectors.round_projects(round_)
    # A "true" quality per project and criterion, seen by each assessor with a little noise.
    quality = {
        (p.pk, c.pk): rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5]) for p in projects for c in assessed
    }
    # Two projects everyone rates best and one everyone rates worst: their places are robust,
    # those in the crowded middle are not.
    for project, grade in ((projects[0], 5), (projects[1], 5), (projects[-1], 0)):
        for criterion in assessed:
            quality[(project.pk, criterion.pk)] = grade
    by_email = {u.email: u for u in people}
    disputed = [p for p in projects if p.title in DISPUTED]
    for email in ASSESSOR_EMAILS:
        assessor = by_email[email]
        for project in projects:
            inputs = []
            for criterion in assessed:
                value = quality[(project.pk, criterion.pk)] + rng.choice([-1, 0, 0, 0, 1])
                if (
                    quality[(project.pk, criterion.pk)] in (0, 5)
                    and project in projects[:2] + projects[-1:]
                ):
                    value = quality[(project.pk, criterion.pk)]
                if project in disputed and criterion.key in ("gemeinwohl", "kosten-nutzen"):
                    value = 5 if email == DISSENTER else 1
                value = max(0, min(5, value))
                inputs.append(rounds.ScoreInput(criterion.pk, value, JUSTIFICATIONS[value]))
            rounds.scores_save(actor=assessor, round=round_, project=project, scores=inputs)
        rounds.assessment_submit(actor=assessor, round=round_)
    if disputed:
        gemeinwohl = next(c for c in assessed if c.key == "gemeinwohl")
        rounds.agreed_value_save(
            actor=editor,
            round=round_,
            project=disputed[0],
            criterion=gemeinwohl,
            value=3,
            note=(
                "In der Sitzung der Bewertungsgruppe am 12. März besprochen: Der Nutzen für die "
                "Allgemeinheit ist gegeben, hängt aber davon ab, dass die Daten offen "
                "bereitgestellt "
                "werden. Einigung auf 3 Punkte."
            ),
            version=0,
        )


def url_samples() -> dict[str, dict]:
    """URL parameters for ``core/tests/test_url_access.py``."""
    round_ = PrioritisationRound.objects.filter(title=ROUND_TITLE).order_by("pk").first()
    if round_ is None:
        return {}
    project = selectors.round_projects(round_)[0]
    criterion = round_.criteria.filter(kind=CriterionKind.ASSESSED).order_by("order").first()
    if criterion is None:
        return {}
    with_round = {"pk": round_.pk}
    return {
        "portfolio:round_detail": with_round,
        "portfolio:round_edit": with_round,
        "portfolio:round_copy": with_round,
        "portfolio:round_projects": with_round,
        "portfolio:round_criterion_create": with_round,
        "portfolio:round_criterion_edit": {"pk": round_.pk, "criterion_pk": criterion.pk},
        "portfolio:round_criterion_delete": {"pk": round_.pk, "criterion_pk": criterion.pk},
        "portfolio:round_weights": with_round,
        "portfolio:round_ahp": with_round,
        "portfolio:round_scoring": with_round,
        "portfolio:round_score": {"pk": round_.pk, "project_pk": project.pk},
        "portfolio:round_submit": with_round,
        "portfolio:round_aggregation": with_round,
        "portfolio:round_agree": {
            "pk": round_.pk,
            "project_pk": project.pk,
            "criterion_pk": criterion.pk,
        },
    }
