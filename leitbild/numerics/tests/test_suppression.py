"""Small-group suppression, primary and secondary."""

from hypothesis import given
from hypothesis import strategies as st

from leitbild.numerics.suppression import (
    suppress_small_groups,
    suppress_table,
    suppress_with_complement,
)


def test_it_suppresses_groups_below_the_minimum():
    counts = {"Mitte": 12, "Nord": 4, "Süd": 5, "West": 1, "Ost": 0}
    assert suppress_small_groups(counts) == {"Nord", "West"}
    assert suppress_small_groups(counts, minimum=10) == {"Nord", "Süd", "West"}


def test_empty_groups_are_not_suppressed():
    assert suppress_small_groups({"Nord": 0, "Süd": 30}) == set()


def test_a_single_small_group_takes_the_next_smallest_with_it():
    # Total 45 is published: 45 − 30 − 12 would reveal Nord's 3, so Süd goes too.
    assert suppress_with_complement({"Mitte": 30, "Nord": 3, "Süd": 12}) == {"Nord", "Süd"}


def test_two_small_groups_protect_each_other():
    assert suppress_with_complement({"Mitte": 30, "Nord": 3, "Süd": 2}) == {"Nord", "Süd"}
    assert suppress_with_complement({"Mitte": 30, "Nord": 8}) == set()


def test_ties_take_the_first_group_and_empty_groups_come_last():
    assert suppress_with_complement({"A": 3, "B": 9, "C": 9}) == {"A", "B"}
    assert suppress_with_complement({"A": 3, "B": 0, "C": 20}) == {"A", "C"}
    assert suppress_with_complement({"A": 3, "B": 0}) == {"A", "B"}


def test_a_lone_group_cannot_be_complemented():
    assert suppress_with_complement({"A": 3}) == {"A"}


def test_it_suppresses_a_cross_table_until_no_line_has_a_single_hidden_cell():
    # Primary: (r1, a) = 3 and (r3, c) = 2.
    # Round 1, rows:    r1 → next-smallest b (10); r3 → a (12).
    #          columns: b has only r1 → r2 (9); c has only r3 → r1 (20).
    # Round 2, rows:    r2 now has only b → a (8). Everything else has ≥ 2. Round 3: no change.
    table = {
        "r1": {"a": 3, "b": 10, "c": 20},
        "r2": {"a": 8, "b": 9, "c": 30},
        "r3": {"a": 12, "b": 15, "c": 2},
    }
    assert suppress_table(table) == {
        ("r1", "a"), ("r1", "b"), ("r1", "c"),
        ("r2", "a"), ("r2", "b"),
        ("r3", "a"), ("r3", "c"),
    }  # fmt: skip


def test_a_table_without_small_cells_is_shown_whole():
    assert suppress_table({"r1": {"a": 5, "b": 6}, "r2": {"a": 7, "b": 0}}) == set()


tables = st.integers(1, 5).flatmap(
    lambda width: st.dictionaries(
        st.text(min_size=1, max_size=3),
        st.fixed_dictionaries({column: st.integers(0, 30) for column in range(width)}),
        min_size=1,
        max_size=6,
    )
)


@given(table=tables, minimum=st.integers(1, 10))
def test_no_line_of_a_suppressed_table_has_exactly_one_hidden_cell(table, minimum):
    hidden = suppress_table(table, minimum=minimum)
    for row, line in table.items():
        for column, count in line.items():
            if 0 < count < minimum:
                assert (row, column) in hidden
        in_row = sum((row, column) in hidden for column in line)
        assert in_row != 1 or len(line) == 1
    columns = {column for line in table.values() for column in line}
    for column in columns:
        in_column = sum((row, column) in hidden for row in table)
        assert in_column != 1 or len(table) == 1


@given(counts=st.dictionaries(st.text(max_size=3), st.integers(0, 40), max_size=12))
def test_a_suppressed_list_never_hides_exactly_one_group_of_several(counts):
    hidden = suppress_with_complement(counts)
    assert suppress_small_groups(counts) <= hidden
    assert len(hidden) != 1 or len(counts) == 1
