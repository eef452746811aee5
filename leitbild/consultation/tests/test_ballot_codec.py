"""The one codec of the stored ballot: what goes in comes out, for all four methods."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leitbild.consultation.ballots import (
    PickRules,
    PointsRules,
    RankRules,
    RateRules,
    decode_ballot,
    decode_vectors,
    encode_ballot,
    encode_vectors,
    validate_ballot,
)

field_ids = st.lists(st.integers(1, 10_000), min_size=2, max_size=10, unique=True)
demographic_codes = st.lists(st.integers(-1, 30), max_size=4)


@st.composite
def pick_ballots(draw):
    fields = draw(field_ids)
    k = draw(st.integers(1, len(fields)))
    minimum = draw(st.integers(1, k))
    chosen = draw(st.lists(st.sampled_from(fields), min_size=minimum, max_size=k, unique=True))
    return PickRules(tuple(fields), k=k, minimum=minimum), chosen


@st.composite
def points_ballots(draw):
    fields = draw(field_ids)
    points = draw(st.lists(st.integers(0, 100), min_size=len(fields), max_size=len(fields)))
    if not sum(points):
        points[0] = 1
    ballot = {f: p for f, p in zip(fields, points, strict=True) if p or draw(st.booleans())}
    return PointsRules(tuple(fields), total=sum(points)), ballot


@st.composite
def rank_ballots(draw):
    fields = draw(field_ids)
    depth = draw(st.integers(1, len(fields)))
    order = draw(st.permutations(fields))[:depth]
    return RankRules(tuple(fields), depth=depth), {f: place for place, f in enumerate(order, 1)}


@st.composite
def rate_ballots(draw):
    fields = draw(field_ids)
    rated = draw(st.lists(st.sampled_from(fields), min_size=1, unique=True))
    ballot = {f: draw(st.integers(1, 5)) for f in rated}
    return RateRules(tuple(fields), require_all=len(rated) == len(fields)), ballot


def _round_trip(rules, choices, codes):
    assert validate_ballot(rules, choices) == []
    stored, vector = encode_ballot(rules, choices, codes)
    assert len(vector) == 2 * (len(rules.fields) + len(codes))
    decoded, decoded_codes = decode_ballot(rules, vector)
    assert decoded_codes == codes
    assert validate_ballot(rules, decoded) == []
    assert encode_ballot(rules, decoded, decoded_codes)[1] == vector
    return stored, decoded


@given(pick_ballots(), demographic_codes)
def test_a_pick_ballot_comes_back_in_field_order(ballot, codes):
    rules, chosen = ballot
    stored, decoded = _round_trip(rules, chosen, codes)
    in_order = [f for f in rules.fields if f in chosen]
    assert stored == decoded == in_order


@pytest.mark.parametrize("ballots", [points_ballots(), rank_ballots(), rate_ballots()])
def test_points_ranks_and_ratings_come_back_without_the_zeros(ballots):
    @given(ballots, demographic_codes)
    def check(ballot, codes):
        rules, choices = ballot
        stored, decoded = _round_trip(rules, choices, codes)
        assert decoded == {f: v for f, v in choices.items() if v}
        assert stored == {str(f): choices[f] for f in rules.fields if f in choices}
        assert list(decoded) == [f for f in rules.fields if f in decoded]

    check()


@given(
    st.lists(
        st.tuples(
            st.lists(st.integers(1, 3), min_size=1, max_size=3, unique=True), st.integers(-1, 5)
        ),
        min_size=1,
        max_size=20,
    )
)
def test_many_ballots_at_once_are_the_single_vectors_joined(ballots):
    rules = PickRules((11, 22, 33), k=3)
    chosen = [[(11, 22, 33)[i - 1] for i in picks] for picks, _code in ballots]
    single = [
        encode_ballot(rules, c, [code])[1] for c, (_p, code) in zip(chosen, ballots, strict=True)
    ]
    values = np.array([[int(f in c) for f in rules.fields] for c in chosen])
    matrix = encode_vectors(values, np.array([[code] for _p, code in ballots]))
    assert [row.tobytes() for row in matrix] == single
    assert (decode_vectors(b"".join(single), 4) == matrix).all()


def test_vectors_that_do_not_fit_the_width_are_an_error_not_a_silent_shift():
    with pytest.raises(ValueError):
        decode_vectors(b"\x01\x00" * 5, 3)
    assert decode_vectors(b"", 0).shape == (0, 0)
