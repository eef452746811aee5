"""The ranking, SMAA, sensitivity and the portfolio of a round, against known answers."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from leitbild.core.models import AuditEntry
from leitbild.portfolio import ranking
from leitbild.portfolio import ranking_selectors as sel
from leitbild.portfolio.models import (
    Project,
    RoundDecision,
    RoundExclusion,
    RoundProject,
    Score,
    Stage,
)

from .ranking_fixtures import make_round


@pytest.fixture
def known_round(strategy, make_project, make_user):
    return make_round(strategy=strategy, make_project=make_project, make_user=make_user)


def _by_title(results: dict) -> dict:
    return {p["title"]: p for p in results["projects"]}


def test_a_dominating_project_is_first_with_probability_one(known_round):
    round, *_ = known_round
    round = ranking.ranking_run(actor=None, round=round)
    first = _by_title(round.results)["Urbane Datenplattform"]
    assert first["rank"] == 1
    assert first["acceptability"][0] == pytest.approx(1.0)
    assert first["interval"] == [1, 1]
    assert first["robust"] is True
    last = _by_title(round.results)["Papierakte"]
    assert last["rank"] == 4 and last["acceptability"][3] == pytest.approx(1.0)


def test_two_identical_projects_share_their_ranks_half_and_half(known_round):
    round, *_ = known_round
    round = ranking.ranking_run(actor=None, round=round)
    app = _by_title(round.results)["Stadt-App"]
    reporter = _by_title(round.results)["Digitaler Mängelmelder"]
    for project in (app, reporter):
        assert project["acceptability"][1] == pytest.approx(0.5, abs=0.05)
        assert project["acceptability"][2] == pytest.approx(0.5, abs=0.05)
        assert project["interval"] == [2, 3]
        assert project["robust"] is False
        assert project["top_k"] == pytest.approx(0.5, abs=0.05)


def test_the_ranking_is_stored_with_its_fingerprint_and_audited(known_round):
    round, *_ = known_round
    round = ranking.ranking_run(actor=None, round=round)
    assert round.results_at is not None
    assert sel.results_state(round) == "current"
    assert AuditEntry.objects.filter(action="portfolio.round.ranking").count() == 1
    assert [c["weight"] for c in round.results["criteria"]] == [0.6, 0.4]


def test_a_changed_score_makes_the_stored_ranking_stale(known_round):
    round, projects, criteria, assessors = known_round
    round = ranking.ranking_run(actor=None, round=round)
    Score.objects.filter(project=projects["Papierakte"], assessor=assessors[0]).update(value=3)
    round.refresh_from_db()
    assert sel.results_state(round) == "stale"
    page = sel.ranking_page(round)
    assert page.state == "stale"


def test_a_round_without_scores_is_refused_with_a_clear_message(known_round):
    round, *_ = known_round
    Score.objects.filter(round=round).delete()
    with pytest.raises(ValidationError, match="noch keine Bewertungen"):
        ranking.ranking_run(actor=None, round=round)
    round.refresh_from_db()
    assert round.results is None


def test_a_value_nobody_gave_is_named(known_round):
    round, projects, criteria, _assessors = known_round
    Score.objects.filter(project=projects["Stadt-App"], criterion=criteria[1]).delete()
    with pytest.raises(ValidationError, match="Stadt-App: Machbarkeit"):
        ranking.ranking_run(actor=None, round=round)


def test_a_round_without_projects_is_refused(known_round):
    round, *_ = known_round
    RoundProject.objects.filter(round=round).delete()
    with pytest.raises(ValidationError, match="keine Projekte"):
        ranking.ranking_run(actor=None, round=round)


def test_a_project_whose_place_is_not_robust_gets_a_plain_explanation(
    strategy, make_project, make_user
):
    # The app is better for the common good, the reporter more feasible: the weights decide.
    round, *_ = make_round(
        strategy=strategy,
        make_project=make_project,
        make_user=make_user,
        scores={"Stadt-App": (5, 2), "Digitaler Mängelmelder": (3, 4), "Papierakte": (0, 0)},
    )
    round.concentration = 5
    round.save()
    round = ranking.ranking_run(actor=None, round=round)
    page = sel.ranking_page(round)
    app = next(p for p in page.projects if p.title == "Stadt-App")
    assert app.rank == 1 and not app.robust
    # At 50 % for each criterion both are equal: ten percentage points move the app.
    assert app.explanation.startswith("Fällt auf Rang 2 zurück, wenn das Gewicht von „")
    assert "um 10,0 Prozentpunkte" in app.explanation


def test_what_if_ranks_by_other_weights_without_changing_the_round(known_round):
    round, projects, criteria, assessors = known_round
    Score.objects.filter(project=projects["Stadt-App"], criterion=criteria[0]).update(value=5)
    Score.objects.filter(project=projects["Stadt-App"], criterion=criteria[1]).update(value=0)
    round = ranking.ranking_run(actor=None, round=round)
    before = round.results
    inputs = sel.round_inputs(round)
    weights = ranking.what_if_weights(inputs, [100, 0])
    rows = sel.what_if(inputs, weights)
    assert rows[0]["title"] in {"Urbane Datenplattform", "Stadt-App"}
    app = next(r for r in rows if r["title"] == "Stadt-App")
    assert app["rank"] <= 2 and app["moved"] >= 1
    round.refresh_from_db()
    assert round.results == before


@pytest.mark.parametrize(
    "raw, message",
    [(["x", "1"], "Zahl"), ([-1, 50], "negativ"), ([0, 0], "größer als null"), ([1], "jedes")],
)
def test_what_if_refuses_unusable_weights(known_round, raw, message):
    round, *_ = known_round
    with pytest.raises(ValidationError, match=message):
        ranking.what_if_weights(sel.round_inputs(round), raw)


# --- Portfolio ---------------------------------------------------------------------------------


def test_the_optimum_spends_the_budget_better_than_the_ranking_from_the_top(known_round):
    round, projects, *_ = known_round
    round = ranking.ranking_run(actor=None, round=round)
    round = ranking.portfolio_run(actor=None, round=round)
    stored = round.results["portfolio"]
    optimal = set(stored["optimal"]["selected"])
    greedy = set(stored["greedy"]["selected"])
    app, reporter = projects["Stadt-App"].pk, projects["Digitaler Mängelmelder"].pk
    platform = projects["Urbane Datenplattform"].pk
    assert {app, reporter} <= optimal and platform not in optimal
    assert platform in greedy and not {app, reporter} <= greedy
    assert stored["optimal"]["value"] > stored["greedy"]["value"]
    assert stored["years"] == [2026]
    assert stored["costs"][str(platform)] == [600000.0]
    assert sel.portfolio_state(round) == "current"


def test_costs_are_the_own_share_after_funding(known_round, mpsc):
    from leitbild.portfolio import services
    from leitbild.portfolio.models import CostType, Potential

    round, projects, *_ = known_round
    platform = projects["Urbane Datenplattform"]
    services.cost_plan_set(
        actor=None,
        project=platform,
        costs=[services.CostRow(2026, CostType.STAFF, Decimal("600000"))],
    )
    services.assessment_save(
        actor=None,
        project=platform,
        programme=mpsc,
        potential=Potential.HIGH,
        phase=None,
        scores=[],
        note="",
        applied=True,
    )
    inputs = sel.portfolio_inputs(round)
    at = inputs.index()[platform.pk]
    assert inputs.costs[at] == [Decimal("210000.00")]  # 35 % of 600,000 €


def test_a_budget_too_small_for_the_mandatory_projects_names_the_year(known_round):
    round, projects, *_ = known_round
    ranking.ranking_run(actor=None, round=round)
    ranking.constraints_set(
        actor=None,
        round=round,
        mandatory={projects["Urbane Datenplattform"].pk, projects["Stadt-App"].pk},
        exclusions=[],
        per_field_minimum=False,
    )
    round.refresh_from_db()
    round = ranking.portfolio_run(actor=None, round=round)
    stored = round.results["portfolio"]
    assert stored["optimal"]["feasible"] is False
    inputs = sel.portfolio_inputs(round)
    texts = [sel.reason_text(r, inputs) for r in stored["optimal"]["reasons"]]
    assert any("2026" in t and "1.100.000" in t and "1.000.000" in t for t in texts), texts


def test_exclusions_keep_two_projects_apart(known_round):
    round, projects, *_ = known_round
    ranking.ranking_run(actor=None, round=round)
    app, reporter = projects["Stadt-App"], projects["Digitaler Mängelmelder"]
    ranking.constraints_set(
        actor=None,
        round=round,
        mandatory=set(),
        exclusions=[(app, reporter)],
        per_field_minimum=False,
    )
    assert RoundExclusion.objects.filter(round=round).count() == 1
    round.refresh_from_db()
    round = ranking.portfolio_run(actor=None, round=round)
    optimal = set(round.results["portfolio"]["optimal"]["selected"])
    assert not {app.pk, reporter.pk} <= optimal


def test_an_exclusion_of_a_project_with_itself_is_refused(known_round):
    round, projects, *_ = known_round
    app = projects["Stadt-App"]
    with pytest.raises(ValidationError):
        ranking.constraints_set(
            actor=None,
            round=round,
            mandatory=set(),
            exclusions=[(app, app)],
            per_field_minimum=False,
        )


def test_a_cyclic_dependency_is_a_clear_message(known_round):
    round, projects, *_ = known_round
    ranking.ranking_run(actor=None, round=round)
    app, reporter = projects["Stadt-App"], projects["Digitaler Mängelmelder"]
    # The project services refuse cycles; older data or an import might still hold one.
    app.depends_on.add(reporter)
    reporter.depends_on.add(app)
    round.refresh_from_db()
    with pytest.raises(ValidationError, match="Kreis"):
        ranking.portfolio_run(actor=None, round=round)


def test_the_portfolio_needs_the_ranking_first(known_round):
    round, *_ = known_round
    with pytest.raises(ValidationError, match="zuerst die Rangfolge"):
        ranking.portfolio_run(actor=None, round=round)


def test_the_robust_portfolio_reports_core_and_exterior(known_round):
    round, projects, *_ = known_round
    round = ranking.ranking_run(actor=None, round=round)
    round = ranking.portfolio_run(actor=None, round=round)
    seen = []
    round = ranking.robust_run(
        actor=None, round=round, draws=50, report=lambda done, total: seen.append((done, total))
    )
    shares = {p["title"]: p for p in round.robust["projects"]}
    assert shares["Stadt-App"]["class"] == "core"
    assert shares["Urbane Datenplattform"]["class"] == "exterior"
    assert seen and seen[-1] == (50, 50)


def test_the_robust_portfolio_runs_as_a_task_with_progress(
    known_round, editor, django_capture_on_commit_callbacks
):
    from leitbild.core.models import TaskProgress

    round, *_ = known_round
    round = ranking.ranking_run(actor=None, round=round)
    round = ranking.portfolio_run(actor=None, round=round)
    with django_capture_on_commit_callbacks(execute=True):
        progress = ranking.robust_start(actor=editor, round=round, draws=20)
    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.DONE, progress.message
    assert progress.result_url.endswith(f"/priorisierung/{round.pk}/portfolio/#robust")
    round.refresh_from_db()
    assert round.robust["draws"] == 20
    assert round.robust_task_id == str(progress.pk)


def test_a_large_round_solves_its_draws_in_worker_processes_with_the_same_result(
    known_round, settings, monkeypatch
):
    from leitbild.numerics import portfolio as engine_module

    round, *_ = known_round
    round = ranking.ranking_run(actor=None, round=round)
    round = ranking.portfolio_run(actor=None, round=round)
    settings.LEITBILD_ROBUST_WORKERS = 1
    alone = ranking.compute_robust(round, draws=40)
    monkeypatch.setattr(engine_module, "PARALLEL_MIN_WORK", 0)  # this small round counts large
    settings.LEITBILD_ROBUST_WORKERS = 2
    seen = []
    shared = ranking.compute_robust(
        round, draws=40, report=lambda done, total: seen.append((done, total))
    )
    assert shared["projects"] == alone["projects"]
    assert seen[-1] == (40, 40)


def test_too_many_draws_are_refused(known_round, editor):
    round, *_ = known_round
    with pytest.raises(ValidationError):
        ranking.robust_start(actor=editor, round=round, draws=1_000_000)


# --- Decisions and publication -----------------------------------------------------------------


def _ready(round, projects):
    round = ranking.ranking_run(actor=None, round=round)
    round = ranking.portfolio_run(actor=None, round=round)
    rows = [
        ranking.DecisionRow(
            p, title in {"Stadt-App", "Digitaler Mängelmelder"}, "Im Lenkungskreis."
        )
        for title, p in projects.items()
    ]
    ranking.decisions_set(actor=None, round=round, rows=rows)
    return round


def test_a_decision_needs_a_justification(known_round):
    round, projects, *_ = known_round
    with pytest.raises(ValidationError) as raised:
        ranking.decisions_set(
            actor=None,
            round=round,
            rows=[ranking.DecisionRow(projects["Stadt-App"], True, "  ")],
        )
    assert "decision-0-justification" in raised.value.error_dict
    assert not RoundDecision.objects.exists()


def test_publishing_records_the_round_and_moves_prioritised_projects(known_round, editor):
    round, projects, *_ = known_round
    round = _ready(round, projects)
    round = ranking.round_publish(actor=editor, round=round)
    assert round.published_at is not None and round.published_by == editor
    snapshot = round.results["published"]
    assert [c["title"] for c in snapshot["criteria"]] == ["Gemeinwohl", "Machbarkeit"]
    app = next(p for p in snapshot["projects"] if p["title"] == "Stadt-App")
    assert app["prioritised"] is True and app["in_portfolio"] is True
    assert app["mean"] == [4.0, 4.0]
    project = Project.objects.get(pk=projects["Stadt-App"].pk)
    assert project.stage == Stage.PRIORITISED
    assert project.priority in (1, 2)
    assert Project.objects.get(pk=projects["Papierakte"].pk).priority is None


def test_a_published_round_refuses_further_changes(known_round, editor):
    round, projects, *_ = known_round
    round = ranking.round_publish(actor=editor, round=_ready(round, projects))
    with pytest.raises(ValidationError, match="neue Runde"):
        ranking.ranking_run(actor=editor, round=round)


def test_publishing_a_stale_ranking_is_refused(known_round, editor):
    round, projects, criteria, assessors = known_round
    round = _ready(round, projects)
    Score.objects.filter(project=projects["Papierakte"], assessor=assessors[0]).update(value=2)
    with pytest.raises(ValidationError, match="nicht aktuell"):
        ranking.round_publish(actor=editor, round=round)
    round.refresh_from_db()
    assert round.published_at is None


def test_publishing_without_all_decisions_is_refused(known_round, editor):
    round, projects, *_ = known_round
    round = ranking.ranking_run(actor=None, round=round)
    round = ranking.portfolio_run(actor=None, round=round)
    with pytest.raises(ValidationError, match="fehlt noch die Entscheidung"):
        ranking.round_publish(actor=editor, round=round)
