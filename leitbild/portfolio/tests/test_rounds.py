"""Prioritisation rounds: catalogue, weights, freezing, scores, agreed values, the engine input."""

from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from leitbild.accounts.roles import Role
from leitbild.core.models import AuditEntry
from leitbild.portfolio import round_selectors as selectors
from leitbild.portfolio import rounds, services
from leitbild.portfolio.models import (
    AgreedValue,
    CriterionKind,
    PrioritisationRound,
    Score,
    Strength,
    WeightMethod,
)


@pytest.fixture
def assessors(make_user):
    return [make_user(f"bewertung{i}@stadt.example", roles=[Role.ASSESSOR]) for i in range(1, 4)]


@pytest.fixture
def two_projects(make_project, goals):
    a = make_project("Parkraum", goals=[services.GoalLink(goals[0], Strength.STRONG)])
    b = make_project(
        "Solardächer",
        goals=[
            services.GoalLink(goals[2], Strength.MEDIUM),
            services.GoalLink(goals[1], Strength.WEAK),
        ],
    )
    return a, b


@pytest.fixture
def round_(editor, strategy, two_projects):
    return rounds.round_create(actor=editor, strategy=strategy, title="Priorisierung 2027")


def assessed(round_):
    return [c for c in selectors.round_criteria(round_) if c.kind == CriterionKind.ASSESSED]


def score_all(round_, assessor, value=3, projects=None):
    for project in projects or selectors.round_projects(round_):
        rounds.scores_save(
            actor=assessor,
            round=round_,
            project=project,
            scores=[rounds.ScoreInput(c.pk, value, "begründet") for c in assessed(round_)],
        )


# --- Catalogue ------------------------------------------------------------------------------


def test_a_new_round_has_the_default_catalogue_with_equal_weights(round_, two_projects):
    criteria = selectors.round_criteria(round_)
    assert [c.key for c in criteria] == [c.key for c in rounds.DEFAULT_CRITERIA]
    kinds = {c.key: c.kind for c in criteria}
    assert kinds["ziele"] == CriterionKind.GOALS
    assert kinds["buergerschaft"] == CriterionKind.RESIDENTS
    assert kinds["foerderung"] == CriterionKind.FUNDING
    assert kinds["dringlichkeit"] == CriterionKind.ASSESSED
    assert sum(c.weight for c in criteria) == Decimal(1)
    assert {p.pk for p in selectors.round_projects(round_)} == {p.pk for p in two_projects}
    assert round_.number == 1 and not round_.is_frozen
    assert AuditEntry.objects.filter(action="portfolio.round.create").exists()


def test_the_second_round_of_a_strategy_gets_the_next_number(editor, strategy, round_):
    second = rounds.round_create(actor=editor, strategy=strategy, title="Noch eine")
    assert second.number == 2


def test_the_city_can_add_edit_and_remove_criteria_while_open(editor, round_):
    added = rounds.criterion_save(
        actor=editor, round=round_, key="risiko", title="Risiko", benefit=False
    )
    assert added.weight == 0 and not added.benefit
    rounds.criterion_save(
        actor=editor,
        round=round_,
        criterion=added,
        key="risiko",
        title="Umsetzungsrisiko",
        benefit=False,
        scale_min=1,
        scale_max=4,
    )
    added.refresh_from_db()
    assert (added.title, added.scale_min, added.scale_max) == ("Umsetzungsrisiko", 1, 4)
    rounds.criterion_delete(actor=editor, criterion=added)
    assert not round_.criteria.filter(key="risiko").exists()
    assert AuditEntry.objects.filter(action="portfolio.criterion.delete").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"key": "gemeinwohl", "title": "Doppelt"}, "key"),
        ({"key": "ziele-2", "title": "Zweimal Ziele", "kind": CriterionKind.GOALS}, "kind"),
        ({"key": "x", "title": "Skala", "scale_min": 4, "scale_max": 2}, "scale_max"),
        ({"key": "y", "title": "Skala", "scale_min": 0, "scale_max": 9}, "scale_max"),
    ],
)
def test_bad_criteria_are_refused_by_field(editor, round_, data, field):
    with pytest.raises(ValidationError) as error:
        rounds.criterion_save(actor=editor, round=round_, **data)
    assert field in error.value.message_dict


# --- Weights --------------------------------------------------------------------------------


def percents_for(round_, values):
    return {c.pk: Decimal(v) for c, v in zip(selectors.round_criteria(round_), values, strict=True)}


def test_direct_weights_are_stored_as_fractions(editor, round_):
    rounds.weights_set_direct(
        actor=editor,
        round=round_,
        percents=percents_for(round_, [20, 10, 10, 10, 10, 10, 10, 10, 10]),
    )
    criteria = selectors.round_criteria(round_)
    assert criteria[0].weight == Decimal("0.2000")
    assert sum(c.weight for c in criteria) == 1
    round_.refresh_from_db()
    assert round_.weight_method == WeightMethod.DIRECT


def test_direct_weights_not_summing_to_100_are_refused_with_the_sum(editor, round_):
    before = [c.weight for c in selectors.round_criteria(round_)]
    with pytest.raises(ValidationError) as error:
        rounds.weights_set_direct(
            actor=editor, round=round_, percents=percents_for(round_, [20] * 9)
        )
    assert "180 Prozent" in error.value.message_dict["weights"][0]
    assert [c.weight for c in selectors.round_criteria(round_)] == before


def test_a_missing_or_negative_weight_is_named_by_its_field(editor, round_):
    percents = percents_for(round_, [20, 10, 10, 10, 10, 10, 10, 10, 10])
    first, second = list(percents)[:2]
    percents[first] = None
    percents[second] = Decimal(-5)
    with pytest.raises(ValidationError) as error:
        rounds.weights_set_direct(actor=editor, round=round_, percents=percents)
    assert set(error.value.message_dict) == {f"w_{first}", f"w_{second}"}


def test_no_weights_makes_them_equal_and_the_matrix_passes_none(editor, round_):
    rounds.weights_set_none(actor=editor, round=round_)
    round_.refresh_from_db()
    assert round_.weight_method == WeightMethod.NONE
    assert selectors.criteria_matrix(round_).weights is None


def pairs(round_, value=1.0):
    criteria = selectors.round_criteria(round_)
    return {(a.pk, b.pk): value for i, a in enumerate(criteria) for b in criteria[i + 1 :]}


def test_pairwise_comparison_derives_weights_and_consistency(editor, round_):
    values = pairs(round_)
    first = selectors.round_criteria(round_)[0]
    for key in values:
        if key[0] == first.pk:
            values[key] = 3.0  # the first criterion is a bit more important than each other
    result = rounds.comparisons_set(actor=editor, round=round_, values=values)
    assert result.consistency_ratio < 0.10
    criteria = selectors.round_criteria(round_)
    assert criteria[0].weight > criteria[1].weight == criteria[2].weight
    assert sum(c.weight for c in criteria) == 1
    round_.refresh_from_db()
    assert round_.weight_method == WeightMethod.AHP
    state = selectors.ahp_state(round_)
    assert state.complete and state.result.consistency_ratio == pytest.approx(
        result.consistency_ratio
    )


def test_an_inconsistent_comparison_is_saved_and_reported_above_010(editor, round_):
    for c in selectors.round_criteria(round_)[3:]:
        rounds.criterion_delete(actor=editor, criterion=c)
    a, b, c = selectors.round_criteria(round_)
    # a > b, b > c, but c > a: a cycle.
    values = {(a.pk, b.pk): 9.0, (b.pk, c.pk): 9.0, (a.pk, c.pk): 1 / 9}
    result = rounds.comparisons_set(actor=editor, round=round_, values=values)
    assert result.consistency_ratio > 0.10


def test_missing_and_zero_comparisons_are_named_by_pair(editor, round_):
    values = pairs(round_)
    keys = list(values)
    values[keys[0]] = None
    values[keys[1]] = 0
    values[keys[2]] = 11
    with pytest.raises(ValidationError) as error:
        rounds.comparisons_set(actor=editor, round=round_, values=values)
    names = {f"p_{r}_{c}" for r, c in keys[:3]}
    assert set(error.value.message_dict) == names
    assert not round_.comparisons.exists()


# --- Freezing -------------------------------------------------------------------------------


def test_the_first_score_freezes_the_round_and_changes_are_refused(editor, round_, assessors):
    project = selectors.round_projects(round_)[0]
    rounds.scores_save(
        actor=assessors[0],
        round=round_,
        project=project,
        scores=[rounds.ScoreInput(assessed(round_)[0].pk, 4)],
    )
    round_.refresh_from_db()
    assert round_.is_frozen
    refusals = [
        lambda: rounds.criterion_save(actor=editor, round=round_, key="neu", title="Neu"),
        lambda: rounds.criterion_delete(actor=editor, criterion=assessed(round_)[1]),
        lambda: rounds.weights_set_none(actor=editor, round=round_),
        lambda: rounds.weights_set_direct(
            actor=editor, round=round_, percents=percents_for(round_, [100] + [0] * 8)
        ),
        lambda: rounds.comparisons_set(actor=editor, round=round_, values=pairs(round_)),
        lambda: rounds.round_projects_set(actor=editor, round=round_, projects=[project]),
    ]
    for refuse in refusals:
        with pytest.raises(ValidationError) as error:
            refuse()
        assert "neue Runde" in " ".join(error.value.messages)


def test_mandatory_flags_may_still_change_after_freezing(editor, round_, assessors):
    projects = selectors.round_projects(round_)
    score_all(round_, assessors[0], projects=projects[:1])
    rounds.round_projects_set(actor=editor, round=round_, projects=projects, mandatory=projects[:1])
    assert round_.entries.get(mandatory=True).project == projects[0]


def test_a_new_round_copies_criteria_and_weights_and_leaves_the_old_one(editor, round_, assessors):
    rounds.weights_set_direct(
        actor=editor,
        round=round_,
        percents=percents_for(round_, [20, 10, 10, 10, 10, 10, 10, 10, 10]),
    )
    score_all(round_, assessors[0])
    new = rounds.round_copy(actor=editor, round=round_)
    assert new.number == 2 and not new.is_frozen
    assert [(c.key, c.weight) for c in selectors.round_criteria(new)] == [
        (c.key, c.weight) for c in selectors.round_criteria(round_)
    ]
    assert new.entries.count() == round_.entries.count()
    assert not Score.objects.filter(round=new).exists()
    assert Score.objects.filter(round=round_).count() == 2 * 6
    rounds.criterion_save(actor=editor, round=new, key="neu", title="Neu")


# --- Scores ---------------------------------------------------------------------------------


def test_scores_outside_the_scale_are_refused(round_, assessors):
    project = selectors.round_projects(round_)[0]
    criterion = assessed(round_)[0]
    with pytest.raises(ValidationError) as error:
        rounds.scores_save(
            actor=assessors[0],
            round=round_,
            project=project,
            scores=[rounds.ScoreInput(criterion.pk, 6)],
        )
    assert f"c_{criterion.pk}" in error.value.message_dict
    assert not Score.objects.exists()
    round_.refresh_from_db()
    assert not round_.is_frozen


def test_the_database_refuses_a_score_above_5(round_, assessors):
    project = selectors.round_projects(round_)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            round=round_,
            project=project,
            criterion=assessed(round_)[0],
            assessor=assessors[0],
            value=7,
        )


def test_computed_criteria_cannot_be_scored(round_, assessors):
    project = selectors.round_projects(round_)[0]
    goals = round_.criteria.get(kind=CriterionKind.GOALS)
    with pytest.raises(ValidationError):
        rounds.scores_save(
            actor=assessors[0],
            round=round_,
            project=project,
            scores=[rounds.ScoreInput(goals.pk, 3)],
        )


def test_two_assessors_saving_the_same_cell_keep_separate_rows(round_, assessors):
    project = selectors.round_projects(round_)[0]
    criterion = assessed(round_)[0]
    for assessor, value in zip(assessors[:2], (1, 5), strict=True):
        rounds.scores_save(
            actor=assessor,
            round=round_,
            project=project,
            scores=[rounds.ScoreInput(criterion.pk, value)],
        )
    # Saving again (a later draft) changes only the own row.
    rounds.scores_save(
        actor=assessors[0],
        round=round_,
        project=project,
        scores=[rounds.ScoreInput(criterion.pk, 2)],
    )
    rows = dict(
        Score.objects.filter(criterion=criterion, project=project).values_list(
            "assessor_id", "value"
        )
    )
    assert rows == {assessors[0].pk: 2, assessors[1].pk: 5}
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            round=round_, project=project, criterion=criterion, assessor=assessors[1], value=0
        )


def test_a_draft_may_leave_criteria_open_and_clearing_removes_the_own_score(round_, assessors):
    project = selectors.round_projects(round_)[0]
    first, second = assessed(round_)[:2]
    rounds.scores_save(
        actor=assessors[0],
        round=round_,
        project=project,
        scores=[rounds.ScoreInput(first.pk, 3), rounds.ScoreInput(second.pk, None)],
    )
    rounds.scores_save(
        actor=assessors[0],
        round=round_,
        project=project,
        scores=[rounds.ScoreInput(first.pk, None)],
    )
    assert not Score.objects.exists()


def test_submission_needs_every_score_and_then_locks_the_own_scores(round_, assessors):
    project = selectors.round_projects(round_)[0]
    score_all(round_, assessors[0], projects=[project])
    with pytest.raises(ValidationError) as error:
        rounds.assessment_submit(actor=assessors[0], round=round_)
    assert "6 Bewertungen" in error.value.messages[0]
    score_all(round_, assessors[0])
    rounds.assessment_submit(actor=assessors[0], round=round_)
    with pytest.raises(ValidationError):
        score_all(round_, assessors[0], value=1)
    with pytest.raises(ValidationError):
        rounds.assessment_submit(actor=assessors[0], round=round_)


def test_blind_rounds_hide_others_scores_until_the_own_submission(round_, assessors):
    project = selectors.round_projects(round_)[0]
    score_all(round_, assessors[0])
    score_all(round_, assessors[1], value=1)
    assert selectors.others_scores(round_, assessors[1], project) is None
    rounds.assessment_submit(actor=assessors[1], round=round_)
    others = selectors.others_scores(round_, assessors[1], project)
    assert others and {s.assessor_id for s in others} == {assessors[0].pk}
    round_.blind = False
    assert selectors.others_scores(round_, assessors[2], project) is not None


def test_progress_counts_scores_per_assessor(round_, assessors):
    score_all(round_, assessors[0])
    score_all(round_, assessors[1], projects=selectors.round_projects(round_)[:1])
    rounds.assessment_submit(actor=assessors[0], round=round_)
    rows = {row.assessor.pk: row for row in selectors.progress(round_)}
    assert (rows[assessors[0].pk].scored, rows[assessors[0].pk].total) == (12, 12)
    assert rows[assessors[0].pk].submitted_at is not None
    assert rows[assessors[1].pk].scored == 6
    assert rows[assessors[2].pk].scored == 0 and rows[assessors[2].pk].submitted_at is None


# --- Aggregation and agreed values ----------------------------------------------------------


def test_aggregation_gives_mean_median_spread_and_flags_disagreement(round_, assessors):
    project = selectors.round_projects(round_)[0]
    criterion = assessed(round_)[0]
    for assessor, value in zip(assessors, (1, 2, 4), strict=True):
        rounds.scores_save(
            actor=assessor,
            round=round_,
            project=project,
            scores=[rounds.ScoreInput(criterion.pk, value)],
        )
    row = next(r for r in selectors.aggregation(round_) if r.project == project)
    cell = row.cells[0]
    assert (cell.n, cell.mean, cell.median, cell.spread) == (3, pytest.approx(7 / 3), 2, 3)
    assert cell.disagreement and cell.open_disagreement
    assert not row.cells[1].disagreement


def test_an_agreed_value_is_versioned_and_a_stale_form_is_refused(editor, round_, assessors):
    project = selectors.round_projects(round_)[0]
    criterion = assessed(round_)[0]
    agreed = rounds.agreed_value_save(
        actor=editor,
        round=round_,
        project=project,
        criterion=criterion,
        value=3,
        note="Im Team besprochen.",
        version=0,
    )
    assert agreed.version == 1
    # A second editor with the form from before the first save:
    with pytest.raises(ValidationError) as error:
        rounds.agreed_value_save(
            actor=editor, round=round_, project=project, criterion=criterion, value=1, version=0
        )
    assert error.value.error_list[0].code == "stale"
    rounds.agreed_value_save(
        actor=editor, round=round_, project=project, criterion=criterion, value=4, version=1
    )
    assert AgreedValue.objects.get().value == 4
    with pytest.raises(ValidationError):
        rounds.agreed_value_save(
            actor=editor, round=round_, project=project, criterion=criterion, value=9, version=2
        )
    assert AuditEntry.objects.filter(action="portfolio.round.agreed_value").count() == 2


# --- The engine's input ---------------------------------------------------------------------


def test_criteria_matrix_by_hand(editor, strategy, goals, make_project, mpsc, assessors):
    """Two projects, criteria goals + funding + two assessed, three assessors (two submitted)."""
    p1 = make_project(
        "A Parkraum",
        goals=[
            services.GoalLink(goals[0], Strength.STRONG),
            services.GoalLink(goals[1], Strength.STRONG),
        ],
    )
    p2 = make_project("B Solardächer", goals=[services.GoalLink(goals[2], Strength.WEAK)])
    services.assessment_save(
        actor=None,
        project=p2,
        programme=mpsc,
        potential="mittel",
        phase=None,
        scores=[],
        note="",
        applied=False,
    )
    round_ = rounds.round_create(actor=editor, strategy=strategy, title="Hand", projects=[p2, p1])
    keep = {"ziele", "foerderung", "gemeinwohl", "dringlichkeit"}
    for c in selectors.round_criteria(round_):
        if c.key not in keep:
            rounds.criterion_delete(actor=editor, criterion=c)
    rounds.criterion_save(
        actor=editor,
        round=round_,
        criterion=round_.criteria.get(key="dringlichkeit"),
        key="dringlichkeit",
        title="Dringlichkeit",
        benefit=False,
        scale_min=1,
        scale_max=5,
    )
    rounds.weights_set_direct(
        actor=editor,
        round=round_,
        percents={c.pk: Decimal(25) for c in selectors.round_criteria(round_)},
    )
    gemeinwohl = round_.criteria.get(key="gemeinwohl")
    urgency = round_.criteria.get(key="dringlichkeit")
    given = {  # assessor -> project -> (gemeinwohl, dringlichkeit)
        0: {p1: (5, 2), p2: (1, 3)},
        1: {p1: (1, 4), p2: (2, 3)},
        2: {p1: (3, 3)},  # not submitted: not in the matrix
    }
    for index, by_project in given.items():
        for project, (g, u) in by_project.items():
            rounds.scores_save(
                actor=assessors[index],
                round=round_,
                project=project,
                scores=[rounds.ScoreInput(gemeinwohl.pk, g), rounds.ScoreInput(urgency.pk, u)],
            )
    for index in (0, 1):
        rounds.assessment_submit(actor=assessors[index], round=round_)
    rounds.agreed_value_save(
        actor=editor, round=round_, project=p1, criterion=gemeinwohl, value=4, version=0
    )
    matrix = selectors.criteria_matrix(round_)
    assert [p.title for p in matrix.projects] == ["A Parkraum", "B Solardächer"]
    assert [c.key for c in matrix.criteria] == [
        "ziele",
        "gemeinwohl",
        "dringlichkeit",
        "foerderung",
    ]
    assert [a.pk for a in matrix.assessors] == sorted(
        [assessors[0].pk, assessors[1].pk],
        key=lambda pk: next(a.name for a in assessors if a.pk == pk),
    )
    first = 0 if matrix.assessors[0] == assessors[0] else 1
    second = 1 - first
    assert matrix.scores.shape == (2, 2, 4)
    # goals: A 3 + 3 = 6 capped at 5, B weak = 1; funding: A none = 0, B mittel = 3.
    # gemeinwohl of A: agreed 4 for both assessors; of B: the own scores.
    np.testing.assert_array_equal(matrix.scores[first], [[5, 4, 2, 0], [1, 1, 3, 3]])
    np.testing.assert_array_equal(matrix.scores[second], [[5, 4, 4, 0], [1, 2, 3, 3]])
    np.testing.assert_array_equal(matrix.lower, [0, 0, 1, 0])
    np.testing.assert_array_equal(matrix.upper, [5, 5, 5, 5])
    np.testing.assert_array_equal(matrix.benefit, [True, True, False, True])
    np.testing.assert_allclose(matrix.weights, [0.25] * 4)


def test_criteria_matrix_leaves_unscored_cells_nan_and_without_submissions_is_empty(
    round_, assessors
):
    assert selectors.criteria_matrix(round_).scores.shape[0] == 0
    project = selectors.round_projects(round_)[0]
    score_all(round_, assessors[0])
    rounds.assessment_submit(actor=assessors[0], round=round_)
    matrix = selectors.criteria_matrix(round_)
    assert not np.isnan(matrix.scores).any()
    assert matrix.scores.shape == (1, 2, 9)
    assert project in matrix.projects


def test_criteria_matrix_costs_a_constant_number_of_queries(
    round_, assessors, make_project, django_assert_max_num_queries
):
    for assessor in assessors[:2]:
        score_all(round_, assessor)
        rounds.assessment_submit(actor=assessor, round=round_)
    with django_assert_max_num_queries(12) as small:
        selectors.criteria_matrix(round_)
    PrioritisationRound.objects.filter(pk=round_.pk).update(frozen_at=None)
    for i in range(5):
        make_project(f"Weiteres Projekt {i}")
    rounds.round_projects_set(
        actor=None, round=round_, projects=list(round_.strategy.projects.all())
    )
    score_all(round_, assessors[2])
    rounds.assessment_submit(actor=assessors[2], round=round_)
    with django_assert_max_num_queries(len(small.captured_queries)):
        matrix = selectors.criteria_matrix(round_)
    assert matrix.scores.shape == (3, 7, 9)
