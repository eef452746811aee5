"""The demo city's weighting and survey."""

import time

from leitbild.consultation import demo, selectors
from leitbild.consultation.models import Ballot, SurveyResponse, Weighting


def test_the_demo_is_fast_idempotent_and_weighting_changes_the_result(db):
    from leitbild.strategy import demo as strategy_demo

    strategy_demo.load()
    started = time.perf_counter()
    demo.load()
    assert time.perf_counter() - started < 10
    demo.load()
    assert 1_250 <= Ballot.objects.count() <= 1_350
    assert 1_250 <= SurveyResponse.objects.filter(submitted=True).count() <= 1_350
    weighting = Weighting.objects.get()
    results = selectors.weighting_results(weighting=weighting, weighted=True)
    plain = {results.field_name(r.field): r.estimate.value for r in results.unweighted}
    weighted = {results.field_name(r.field): r.estimate.value for r in results.weighted_results}
    assert max(plain, key=plain.get) == "Mobilität" and plain["Mobilität"] > 0.5
    assert max(abs(plain[k] - weighted[k]) for k in plain) > 0.03
    assert results.raking.n_effective < results.n
    assert selectors.results_public(weighting)
