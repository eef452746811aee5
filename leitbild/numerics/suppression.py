"""Small-group suppression, so that published counts reveal no person."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)

DEFAULT_MINIMUM_GROUP_SIZE = 5


def suppress_small_groups(
    counts: Mapping[K, int], *, minimum: int = DEFAULT_MINIMUM_GROUP_SIZE
) -> set[K]:
    """Groups with 1 to ``minimum − 1`` members (primary suppression).

    Empty groups are not suppressed: a group that has no members discloses nothing about any
    person, and hiding zeros would only force needless complementary suppression.
    """
    return {key for key, count in counts.items() if 0 < count < minimum}


def _complement_line(counts: Mapping[K, int], suppressed: set[K]) -> K | None:
    """The cell to suppress in a line whose total is published, if exactly one is suppressed.

    The next-smallest cell (first in order on ties), so that the suppressed one cannot be
    recovered as total minus the others, at the least cost of information. Empty cells come
    last: a reader may know that a group is empty (nobody of that age lives in a district), and
    then hiding it protects nothing.
    """
    hidden = [key for key in counts if key in suppressed]
    if len(hidden) != 1:
        return None
    candidates = [
        (count == 0, count, position, key)
        for position, (key, count) in enumerate(counts.items())
        if key not in suppressed
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda item: item[:3])[3]


def suppress_with_complement(
    counts: Mapping[K, int], *, minimum: int = DEFAULT_MINIMUM_GROUP_SIZE
) -> set[K]:
    """Primary plus secondary suppression for a list of groups whose total is published.

    If exactly one group is small, total minus the others would reveal it, so the next-smallest
    group is hidden as well. A breakdown by one demographic question is such a list.
    """
    suppressed = suppress_small_groups(counts, minimum=minimum)
    complement = _complement_line(counts, suppressed)
    if complement is not None:
        suppressed.add(complement)
    return suppressed


def suppress_table(
    table: Mapping[R, Mapping[C, int]], *, minimum: int = DEFAULT_MINIMUM_GROUP_SIZE
) -> set[tuple[R, C]]:
    """Cells of a cross table to suppress when row and column totals are published.

    Primary suppression of small cells, then, until nothing changes, the next-smallest cell
    of every row or column that has exactly one suppressed cell. A complement in a row can
    leave its column with a single suppressed cell, hence the repetition; it ends because each
    round adds a cell. A row or column total below ``minimum`` is itself a small group: hide it
    with :func:`suppress_small_groups` on the totals.
    """
    cells = {(row, column): count for row, line in table.items() for column, count in line.items()}
    suppressed = {cell for cell, count in cells.items() if 0 < count < minimum}
    columns: dict[C, dict[R, int]] = {}
    for (row, column), count in cells.items():
        columns.setdefault(column, {})[row] = count
    changed = True
    while changed:
        changed = False
        for row, line in table.items():
            complement = _complement_line(line, {c for (r, c) in suppressed if r == row})
            if complement is not None:
                suppressed.add((row, complement))
                changed = True
        for column, column_line in columns.items():
            hidden = {r for (r, c) in suppressed if c == column}
            row_complement = _complement_line(column_line, hidden)
            if row_complement is not None:
                suppressed.add((row_complement, column))
                changed = True
    return suppressed
