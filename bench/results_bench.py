"""Benchmark: full weighting results for a million ballots against a plain SQL aggregate.

Issue 5 asks that the full results of a pick-3-of-10 weighting (shares with confidence
intervals, raking to the population on two demographic questions, weighted shares, and a
breakdown by each question with small-group suppression) take under 3 s for 1,000,000 ballots
and at most 3× a plain SQL aggregate over the same ballots, measured in the same run.

What is timed:

* **results** — ``leitbild.consultation.statistics`` on the ballots as NumPy arrays (how a
  selector hands them over), best of ``--repeat`` runs after one cold run;
* **load + results** — the same after fetching one row per ballot (field bitmask, age band,
  district) from the database, i.e. end to end (PostgreSQL: one packed ``bytea`` read with
  ``numpy.frombuffer``; SQLite: a plain cursor);
* **SQL GROUP BY** — ``SELECT field, COUNT(*) FROM bench_ballot_choice GROUP BY field`` over
  one row per pick (3,000,000 rows): the count that an unweighted share starts from.

Both SQLite (in memory) and, if it answers on 127.0.0.1:5432 as user ``postgres``, PostgreSQL
in a throw-away database ``leitbild_bench_results`` that is dropped afterwards. Loopback only.

Run: ``.venv/bin/python bench/results_bench.py [--ballots N] [--repeat R] [--no-postgres]``
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leitbild.settings")

import django  # noqa: E402

django.setup()

from leitbild.consultation.ballots import PickRules  # noqa: E402
from leitbild.consultation.statistics import GroupResult, aggregate, breakdown  # noqa: E402
from leitbild.numerics.raking import rake_codes  # noqa: E402

FIELDS = (
    "Mobilität", "Energie", "Bildung", "Gesundheit", "Verwaltung",
    "Wirtschaft", "Umwelt", "Wohnen", "Kultur", "Sicherheit",
)  # fmt: skip
AGE_BANDS = ("16–24", "25–34", "35–49", "50–64", "65–79", "80+")
DISTRICTS = tuple(f"Bezirk {i}" for i in range(1, 11))
# Population (targets) and the skewed sample: the young and the centre answer more.
AGE_POPULATION = np.array([0.11, 0.15, 0.22, 0.25, 0.19, 0.08])
AGE_SAMPLE = np.array([0.20, 0.24, 0.25, 0.18, 0.11, 0.02])
DISTRICT_POPULATION = np.array([0.06, 0.08, 0.09, 0.10, 0.11, 0.12, 0.12, 0.11, 0.11, 0.10])
PICKS = 3
POSTGRES_DSN = "host=127.0.0.1 port=5432 user=postgres connect_timeout=3"
BENCH_DATABASE = "leitbild_bench_results"


@dataclass
class Ballots:
    picks: np.ndarray  # bool, n × 10
    age: np.ndarray  # int, −1 = no answer
    district: np.ndarray  # int, −1 = no answer


def make_ballots(n: int, seed: int) -> Ballots:
    """Synthetic ballots whose preferences depend on age and district, so weighting matters."""
    rng = np.random.default_rng(seed)
    age = rng.choice(len(AGE_BANDS), size=n, p=AGE_SAMPLE)
    # Younger people live in the first districts more often: the questions are correlated,
    # so raking needs several sweeps, as with real data.
    district_bias = np.linspace(1.6, 0.6, len(DISTRICTS))
    district = np.empty(n, dtype=np.intp)
    for band in range(len(AGE_BANDS)):
        members = np.flatnonzero(age == band)
        weights = DISTRICT_POPULATION * district_bias ** (1 - band / 2.5)
        district[members] = rng.choice(len(DISTRICTS), size=members.size, p=weights / weights.sum())
    age_effect = np.linspace(-1.0, 1.0, len(AGE_BANDS))
    field_age_slope = np.array([0.9, 0.4, 0.6, -0.8, -0.3, 0.1, 0.5, -0.2, 0.0, -0.9])
    field_base = np.array([1.2, 0.9, 0.8, 0.7, 0.2, 0.3, 0.6, 0.5, 0.1, 0.4])
    utility = field_base[None, :] - age_effect[age][:, None] * field_age_slope[None, :]
    utility += rng.gumbel(size=(n, len(FIELDS)))
    top = np.argpartition(-utility, PICKS, axis=1)[:, :PICKS]
    picks = np.zeros((n, len(FIELDS)), dtype=bool)
    picks[np.arange(n)[:, None], top] = True
    age[rng.random(n) < 0.04] = -1  # voluntary questions: some skip them
    district[rng.random(n) < 0.05] = -1
    return Ballots(picks, age, district)


@dataclass
class Results:
    shares: list[Any]
    weighted_shares: list[Any]
    by_age: list[GroupResult]
    by_district: list[GroupResult]
    by_age_weighted: list[GroupResult]
    by_district_weighted: list[GroupResult]
    raking_iterations: int
    effective_sample_size: float


def full_results(ballots: Ballots) -> Results:
    """Everything a results page shows, unweighted and weighted."""
    rules = PickRules(FIELDS, k=PICKS)
    shares = aggregate(rules, ballots.picks)
    raking = rake_codes(
        {"alter": ballots.age, "bezirk": ballots.district},
        {"alter": AGE_POPULATION, "bezirk": DISTRICT_POPULATION},
    )
    weighted = aggregate(rules, ballots.picks, weights=raking.weights)
    by_age = breakdown(rules, ballots.picks, ballots.age, AGE_BANDS)
    by_district = breakdown(rules, ballots.picks, ballots.district, DISTRICTS)
    by_age_w = breakdown(rules, ballots.picks, ballots.age, AGE_BANDS, weights=raking.weights)
    by_district_w = breakdown(
        rules, ballots.picks, ballots.district, DISTRICTS, weights=raking.weights
    )
    return Results(
        shares, weighted, by_age, by_district, by_age_w, by_district_w,
        raking.iterations, raking.effective_sample_size,
    )  # fmt: skip


def step_timings(ballots: Ballots) -> list[tuple[str, float]]:
    """The same work as :func:`full_results`, step by step, to show where the time goes."""
    rules = PickRules(FIELDS, k=PICKS)
    timings: list[tuple[str, float]] = []
    started = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        timings.append((name, now - started))
        started = now

    aggregate(rules, ballots.picks)
    lap("shares + CIs")
    raking = rake_codes(
        {"alter": ballots.age, "bezirk": ballots.district},
        {"alter": AGE_POPULATION, "bezirk": DISTRICT_POPULATION},
    )
    lap("raking (2 questions)")
    aggregate(rules, ballots.picks, weights=raking.weights)
    lap("weighted shares + CIs")
    for name, codes, categories in (
        ("age", ballots.age, AGE_BANDS),
        ("district", ballots.district, DISTRICTS),
    ):
        breakdown(rules, ballots.picks, codes, categories)
        lap(f"breakdown by {name}")
        breakdown(rules, ballots.picks, codes, categories, weights=raking.weights)
        lap(f"weighted breakdown by {name}")
    return timings


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Cold time of the first call, best time of ``repeat`` further calls, last result."""
    started = time.perf_counter()
    result = function()
    cold = time.perf_counter() - started
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return cold, best, result


def bitmasks(picks: np.ndarray) -> np.ndarray:
    return (picks.astype(np.int64) << np.arange(picks.shape[1])).sum(axis=1)


def from_rows(masks: np.ndarray, age: np.ndarray, district: np.ndarray) -> Ballots:
    """Ballots from database columns (picks as a bitmask, NULL/−1 for no answer)."""
    # Little-endian bytes of the mask, unpacked bit by bit: bit j is field j.
    as_bytes = masks.astype("<u2").view(np.uint8).reshape(-1, 2)
    picks = np.unpackbits(as_bytes, axis=1, bitorder="little")[:, : len(FIELDS)].astype(bool)
    return Ballots(picks, age.astype(np.intp), district.astype(np.intp))


def choice_rows(ballots: Ballots) -> Iterator[tuple[int, int]]:
    rows, fields = np.nonzero(ballots.picks)
    yield from zip(rows.tolist(), fields.tolist(), strict=True)


def ballot_rows(ballots: Ballots) -> Iterator[tuple[int, int, int, int]]:
    masks = bitmasks(ballots.picks)
    yield from zip(
        range(masks.shape[0]), masks.tolist(), ballots.age.tolist(), ballots.district.tolist(),
        strict=True,
    )  # fmt: skip


GROUP_BY = "SELECT field, COUNT(*) FROM bench_ballot_choice GROUP BY field ORDER BY field"
LOAD = "SELECT picks, age_band, district FROM bench_ballot"


def bench_sqlite(ballots: Ballots, repeat: int) -> dict[str, float]:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE bench_ballot_choice (ballot_id INTEGER, field INTEGER)")
    connection.execute(
        "CREATE TABLE bench_ballot (id INTEGER PRIMARY KEY, picks INTEGER, "
        "age_band INTEGER, district INTEGER)"
    )
    started = time.perf_counter()
    connection.executemany("INSERT INTO bench_ballot_choice VALUES (?, ?)", choice_rows(ballots))
    connection.executemany("INSERT INTO bench_ballot VALUES (?, ?, ?, ?)", ballot_rows(ballots))
    connection.commit()
    setup = time.perf_counter() - started
    _, group_by, counts = timed(lambda: connection.execute(GROUP_BY).fetchall(), repeat)
    check_counts(counts, ballots)

    def load_and_compute() -> Results:
        rows = np.array(connection.execute(LOAD).fetchall(), dtype=np.int64)
        return full_results(from_rows(rows[:, 0], rows[:, 1], rows[:, 2]))

    _, end_to_end, _ = timed(load_and_compute, max(1, repeat - 1))
    connection.close()
    return {"setup": setup, "group_by": group_by, "end_to_end": end_to_end}


def bench_postgres(ballots: Ballots, repeat: int) -> dict[str, float] | None:
    try:
        import psycopg
    except ImportError:
        return None
    try:
        admin = psycopg.connect(POSTGRES_DSN + " dbname=postgres", autocommit=True)
    except psycopg.OperationalError as error:
        print(f"PostgreSQL not reachable, skipped ({error.__class__.__name__})")
        return None
    try:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        admin.execute(f"CREATE DATABASE {BENCH_DATABASE}")
        with psycopg.connect(POSTGRES_DSN + f" dbname={BENCH_DATABASE}") as connection:
            connection.execute("SET statement_timeout = '120s'")
            connection.execute(
                "CREATE TABLE bench_ballot_choice (ballot_id integer, field smallint)"
            )
            connection.execute(
                "CREATE TABLE bench_ballot (id integer PRIMARY KEY, picks integer, "
                "age_band smallint, district smallint)"
            )
            started = time.perf_counter()
            with connection.cursor() as cursor:
                with cursor.copy("COPY bench_ballot_choice FROM STDIN") as copy:
                    for choice in choice_rows(ballots):
                        copy.write_row(choice)
                with cursor.copy("COPY bench_ballot FROM STDIN") as copy:
                    for ballot in ballot_rows(ballots):
                        copy.write_row(ballot)
            connection.commit()
            connection.execute("ANALYZE bench_ballot_choice")
            connection.execute("ANALYZE bench_ballot")
            connection.commit()
            setup = time.perf_counter() - started
            _, group_by, counts = timed(lambda: connection.execute(GROUP_BY).fetchall(), repeat)
            check_counts(counts, ballots)

            def load_and_compute() -> Results:
                return full_results(load_postgres_packed(connection))

            _, end_to_end, _ = timed(load_and_compute, max(1, repeat - 1))
        return {"setup": setup, "group_by": group_by, "end_to_end": end_to_end}
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        admin.close()


PACKED_ROW = np.dtype([("picks", ">i4"), ("age", ">i2"), ("district", ">i2")])
PACKED_QUERY = (
    "SELECT string_agg(int4send(picks) || int2send(COALESCE(age_band, -1)::smallint)"
    " || int2send(COALESCE(district, -1)::smallint), ''::bytea) FROM bench_ballot"
)


def load_postgres_packed(connection: Any) -> Ballots:
    """Fetch all ballots as one packed ``bytea`` (8 bytes per ballot) straight into NumPy.

    A cursor would build a million Python tuples first, and binary ``COPY`` hands rows over one
    at a time; both cost more than all the statistics. ``string_agg`` over the binary send
    functions returns a single value that ``frombuffer`` reads as it is. No answer is sent as
    −1 (``COALESCE``) to keep every row the same width.
    """
    with connection.cursor(binary=True) as cursor:
        packed = cursor.execute(PACKED_QUERY).fetchone()[0]
    rows = np.frombuffer(packed or b"", dtype=PACKED_ROW)
    return from_rows(rows["picks"].astype(np.int64), rows["age"], rows["district"])


def check_counts(counts: list[tuple[int, int]], ballots: Ballots) -> None:
    expected = ballots.picks.sum(axis=0).tolist()
    if [count for _, count in counts] != expected:
        raise SystemExit(f"SQL counts {counts} differ from the ballots {expected}")


def summary(results: Results) -> str:
    lines = ["field          share   95 % CI             weighted"]
    for plain, weighted in zip(results.shares, results.weighted_shares, strict=True):
        p, w = plain.estimate, weighted.estimate
        lines.append(
            f"{plain.field:<12} {p.value:6.1%}  [{p.low:6.2%}, {p.high:6.2%}]  {w.value:6.1%}"
        )
    lines.append(
        f"raking: {results.raking_iterations} sweeps, effective sample size "
        f"{results.effective_sample_size:,.0f}"
    )
    suppressed = sum(group.suppressed for group in (*results.by_age, *results.by_district))
    lines.append(
        f"breakdown groups: {len(results.by_age) + len(results.by_district)}, "
        f"suppressed: {suppressed}"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20260301)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    repeat = max(1, args.repeat)

    started = time.perf_counter()
    ballots = make_ballots(args.ballots, args.seed)
    print(
        f"{args.ballots:,} synthetic pick-{PICKS}-of-{len(FIELDS)} ballots generated in "
        f"{time.perf_counter() - started:.2f} s"
    )

    cold, best, results = timed(lambda: full_results(ballots), repeat)
    print(summary(results))
    print()
    print(f"{'full results from arrays':<38} {best:8.3f} s   (cold first run {cold:.3f} s)")
    for name, seconds in step_timings(ballots):
        print(f"  {name:<36} {seconds:8.3f} s")

    rows: list[tuple[str, dict[str, float]]] = [
        ("SQLite (in memory)", bench_sqlite(ballots, repeat))
    ]
    if not args.no_postgres:
        postgres = bench_postgres(ballots, repeat)
        if postgres is not None:
            rows.append(("PostgreSQL", postgres))
    for name, timing in rows:
        print(f"{name}: table filled in {timing['setup']:.1f} s (not timed below)")
        print(f"  {'plain SQL GROUP BY count':<36} {timing['group_by']:8.3f} s")
        print(f"  {'load one row per ballot + results':<36} {timing['end_to_end']:8.3f} s")
        print(f"  ratio results / GROUP BY            {best / timing['group_by']:8.2f}×")
        print(
            f"  ratio load + results / GROUP BY     "
            f"{timing['end_to_end'] / timing['group_by']:8.2f}×"
        )
    print()
    print(f"target: results under 3 s — {'met' if best < 3 else 'MISSED'} ({best:.3f} s)")
    for name, timing in rows:
        ratio = timing["end_to_end"] / timing["group_by"]
        print(
            f"target: load + results within 3× GROUP BY on {name} — "
            f"{'met' if ratio <= 3 else 'MISSED'} ({ratio:.2f}×)"
        )


if __name__ == "__main__":
    main()
