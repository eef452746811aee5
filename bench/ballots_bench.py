"""Benchmark: casting ballots over HTTP, and the results of a million ballots.

Part 1 — casting. gunicorn with several workers serves the real project against PostgreSQL in
a throw-away database. A weighting phase in code mode (pick 3 of 10, one voluntary question)
gets pre-generated participation codes. Client threads on the same machine POST ballots
through the real form (CSRF token, code, choices): every acknowledged ballot (302 to the thank
you page) was committed durably by ``ballot_cast`` before the answer. The same clients then hit
``/healthz`` (a minimal Django view with one query) in the same run, for the ratio. Afterwards
the database must hold exactly one ballot per acknowledgement.

Part 2 — results. A million pick-3-of-10 ballots with two demographic answers (age band,
district) are copied into the same ``consultation_ballot`` table. Timed against each other:

* the selector ``weighting_results(weighted=True, all_breakdowns=True)``: loading, shares with
  95 % intervals unweighted and weighted (raking on age and district), and both breakdowns
  unweighted and weighted with suppression — everything the export of a results page holds;
* a plain SQL aggregate over the same rows:
  ``SELECT f, count(*) FROM consultation_ballot, jsonb_array_elements(choices) f … GROUP BY f``.

Loopback only (127.0.0.1:5432, user postgres, trust auth; gunicorn on 127.0.0.1), bounded loops,
the database is dropped at the end.

Run: ``.venv/bin/python bench/ballots_bench.py [--ballots 3000] [--workers 4] [--clients 8]
[--results 1000000]``
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = "leitbild_bench_ballots"
DSN = "host=127.0.0.1 port=5432 user=postgres connect_timeout=3"
WORK = Path(tempfile.mkdtemp(prefix="leitbild-bench-"))
ENV = {
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "LEITBILD_DATA_DIR": str(WORK),
    "DEBUG": "false",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leitbild.settings")

AGE_BANDS = ("16–24", "25–34", "35–49", "50–64", "65–79", "80+")
DISTRICTS = tuple(f"Bezirk {i}" for i in range(1, 11))
AGE_POPULATION = [0.11, 0.15, 0.22, 0.25, 0.19, 0.08]
AGE_SAMPLE = np.array([0.20, 0.24, 0.25, 0.18, 0.11, 0.02])
DISTRICT_POPULATION = [0.06, 0.08, 0.09, 0.10, 0.11, 0.12, 0.12, 0.11, 0.11, 0.10]


def create_database() -> None:
    import psycopg

    with psycopg.connect(DSN + " dbname=postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    subprocess.run(
        [sys.executable, "-m", "leitbild", "migrate", "-v", "0"],
        check=True,
        cwd=ROOT,
        env=os.environ.copy(),
    )


def drop_database() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(DSN + " dbname=postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def setup_weighting(*, codes: int, with_questions: tuple[str, ...] = ("alter",)):
    """A strategy with 10 fields, an open phase, a pick-3 weighting in code mode."""
    from datetime import timedelta

    from django.utils import timezone

    from leitbild.consultation import services
    from leitbild.consultation.questionnaire import parse_options
    from leitbild.participation.models import Phase, Process
    from leitbild.strategy.models import ActionField, Strategy

    slug = f"bench-{uuid.uuid4().hex[:8]}"
    strategy = Strategy.objects.create(title="Bench", slug=slug, edition="2026")
    fields = [
        ActionField.objects.create(strategy=strategy, code=f"F{i}", name=f"Feld {i}", order=i)
        for i in range(10)
    ]
    process = Process.objects.create(strategy=strategy, title="Bench", slug=slug)
    now = timezone.now()
    phase = Phase.objects.create(
        process=process,
        kind="weighting",
        title="Bench",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=1),
    )
    weighting = services.weighting_configure(
        actor=None, phase=phase, fields=fields, mode="codes", method="pick", pick_k=3
    )
    questions = {
        "alter": ("Alter", AGE_BANDS, AGE_POPULATION),
        "bezirk": ("Bezirk", DISTRICTS, DISTRICT_POPULATION),
    }
    created = []
    for position, key in enumerate(with_questions):
        text, labels, population = questions[key]
        question = services.demographic_question_save(
            actor=None,
            phase=phase,
            key=key,
            text=text,
            options=parse_options("\n".join(labels)),
            position=position,
        )
        services.population_target_save(
            actor=None,
            phase=phase,
            question=question,
            second_question=None,
            shares=dict(zip(question.values, population, strict=True)),
        )
        created.append(question)
    batch_codes = []
    if codes:
        batch = services.codes_generate(actor=None, phase=phase, count=codes)
        batch_codes = services.batch_codes(batch)
    return weighting, fields, created, batch_codes


# --- Part 1: HTTP -----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "leitbild.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=(WORK / "gunicorn.log").open("w"),
    )
    for _ in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.1)
    process.terminate()
    raise SystemExit("gunicorn did not start; see " + str(WORK / "gunicorn.log"))


def request(port: int, method: str, path: str, body: str = "", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    connection.request(method, path, body=body or None, headers=headers or {})
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return response, elapsed


def csrf_cookie(port: int, path: str) -> str:
    response, _elapsed = request(port, "GET", path)
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("csrftoken="):
            return value.split(";")[0].split("=", 1)[1]
    raise SystemExit("no CSRF cookie on the ballot page")


def run_clients(clients: int, jobs: list, work) -> tuple[float, list[float], list]:
    """Run ``work(job)`` for every job on ``clients`` threads; wall time, latencies, results."""
    lock = threading.Lock()
    queue = list(reversed(jobs))
    latencies: list[float] = []
    results: list = []

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                job = queue.pop()
            outcome, elapsed = work(job)
            with lock:
                latencies.append(elapsed)
                results.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, results


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def bench_http(*, ballots: int, workers: int, clients: int) -> dict:
    from leitbild.consultation.models import Ballot, Participation

    weighting, fields, questions, codes = setup_weighting(codes=ballots)
    port = free_port()
    server = start_gunicorn(port, workers)
    try:
        path = f"/mitmachen/gewichtung/{weighting.phase_id}/"
        token = csrf_cookie(port, path)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={token}",
        }
        rng = np.random.default_rng(7)
        ages = questions[0].values
        bodies = {}
        for code in codes:  # prepared before timing, so the clients only send
            picks = rng.choice(len(fields), size=3, replace=False)
            bodies[code] = urllib.parse.urlencode(
                [("csrfmiddlewaretoken", token), ("code", code)]
                + [("auswahl", fields[i].pk) for i in picks]
                + [("angabe_alter", ages[int(rng.integers(len(ages)))])]
            )

        def cast(code: str):
            response, elapsed = request(port, "POST", path, bodies[code], headers)
            acknowledged = response.status == 302 and response.getheader("Location", "").endswith(
                "/danke/"
            )
            return (code if acknowledged else f"status {response.status}"), elapsed

        # Warm-up of both paths (imports, connections), not timed.
        run_clients(
            clients,
            list(range(clients * 4)),
            lambda _job: (None, request(port, "GET", "/healthz")[1]),
        )
        health_jobs = list(range(ballots))
        health_wall, health_latencies, _ = run_clients(
            clients, health_jobs, lambda _job: (None, request(port, "GET", "/healthz")[1])
        )
        cast_wall, cast_latencies, outcomes = run_clients(clients, codes, cast)
    finally:
        server.terminate()
        server.wait(timeout=30)
    acknowledged = [o for o in outcomes if not o.startswith("status")]
    stored = Ballot.objects.filter(weighting=weighting).count()
    return {
        "workers": workers,
        "clients": clients,
        "requests": ballots,
        "health_rps": len(health_jobs) / health_wall,
        "health_p95": p95(health_latencies),
        "ballot_rps": len(codes) / cast_wall,
        "ballot_p95": p95(cast_latencies),
        "acknowledged": len(acknowledged),
        "refused": len(outcomes) - len(acknowledged),
        "stored": stored,
        "participations": Participation.objects.filter(phase=weighting.phase).count(),
    }


# --- Part 2: results of a million ballots --------------------------------------------------------
def fill_ballots(weighting, fields, questions, n: int, seed: int = 20260301) -> float:
    """Copy ``n`` synthetic ballots into consultation_ballot (COPY); returns the seconds."""
    import psycopg

    from leitbild.consultation.ballots import encode_vectors

    rng = np.random.default_rng(seed)
    age = rng.choice(len(AGE_BANDS), size=n, p=AGE_SAMPLE)
    district = rng.choice(len(DISTRICTS), size=n, p=np.asarray(DISTRICT_POPULATION))
    slope = np.array([0.9, 0.4, 0.6, -0.8, -0.3, 0.1, 0.5, -0.2, 0.0, -0.9])
    base = np.array([1.2, 0.9, 0.8, 0.7, 0.2, 0.3, 0.6, 0.5, 0.1, 0.4])
    utility = base[None, :] - np.linspace(-1, 1, 6)[age][:, None] * slope[None, :]
    utility += rng.gumbel(size=(n, 10))
    top = np.sort(np.argpartition(-utility, 3, axis=1)[:, :3], axis=1)
    age[rng.random(n) < 0.04] = -1
    district[rng.random(n) < 0.05] = -1
    picked = np.zeros((n, 10), dtype=np.int16)
    picked[np.arange(n)[:, None], top] = 1
    vectors = encode_vectors(picked, np.stack([age, district], axis=1))
    ids = [f.pk for f in fields]
    age_values, district_values = questions[0].values, questions[1].values
    started = time.perf_counter()
    with psycopg.connect(DSN + f" dbname={DATABASE}") as connection:
        with connection.cursor() as cursor:
            with cursor.copy(
                "COPY consultation_ballot (id, weighting_id, choices, demographics,"
                " vector, change_key) FROM STDIN"
            ) as copy:
                for i in range(n):
                    demo = {}
                    if age[i] >= 0:
                        demo["alter"] = age_values[age[i]]
                    if district[i] >= 0:
                        demo["bezirk"] = district_values[district[i]]
                    copy.write_row(
                        (
                            uuid.uuid4(),
                            weighting.pk,
                            json.dumps([ids[j] for j in top[i]]),
                            json.dumps(demo, ensure_ascii=False),
                            vectors[i].tobytes(),
                            None,
                        )
                    )
        connection.commit()
        connection.execute("ANALYZE consultation_ballot")
        connection.commit()
    return time.perf_counter() - started


PLAIN_SQL = (
    "SELECT f, count(*) FROM consultation_ballot, jsonb_array_elements(choices) f "
    "WHERE weighting_id = %s GROUP BY f"
)
# A harder baseline: the same counts straight from the packed int16 column, no JSON at all.
PACKED_SQL = (
    "SELECT "
    + ", ".join(f"sum(get_byte(vector, {2 * j}))" for j in range(10))
    + " FROM consultation_ballot WHERE weighting_id = %s"
)


def timed(function, repeat: int):
    cold_start = time.perf_counter()
    result = function()
    cold = time.perf_counter() - cold_start
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return cold, best, result


def bench_results(n: int, repeat: int) -> dict:
    from django.db import connection

    from leitbild.consultation import selectors

    weighting, fields, questions, _codes = setup_weighting(
        codes=0, with_questions=("alter", "bezirk")
    )
    fill = fill_ballots(weighting, fields, questions, n)

    def plain():
        with connection.cursor() as cursor:
            cursor.execute(PLAIN_SQL, [weighting.pk])
            return cursor.fetchall()

    def selector():
        return selectors.weighting_results(weighting=weighting, weighted=True, all_breakdowns=True)

    def packed():
        with connection.cursor() as cursor:
            cursor.execute(PACKED_SQL, [weighting.pk])
            return cursor.fetchone()

    sql_cold, sql_best, counts = timed(plain, repeat)
    _packed_cold, packed_best, _sums = timed(packed, repeat)
    cold, best, results = timed(selector, repeat)
    # Both must agree on the counts behind the shares.
    by_field = {int(f): c for f, c in counts}
    for result in results.unweighted:
        assert round(result.estimate.value * results.n) == by_field[result.field]
    suppressed = sum(g.suppressed for b in results.breakdowns for g in b.groups)
    return {
        "ballots": results.n,
        "fill": fill,
        "sql": sql_best,
        "sql_cold": sql_cold,
        "selector": best,
        "selector_cold": cold,
        "ratio": best / sql_best,
        "packed_sql": packed_best,
        "iterations": results.raking.iterations,
        "n_effective": results.raking.n_effective,
        "groups": sum(len(b.groups) for b in results.breakdowns),
        "suppressed": suppressed,
        "top": [
            (results.field_name(u.field), u.estimate.value, w.estimate.value)
            for u, w in zip(results.unweighted, results.weighted_results, strict=True)
        ][:3],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ballots", type=int, default=3000, help="ballots cast over HTTP")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--results", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    create_database()
    import django

    django.setup()
    try:
        http_figures = bench_http(ballots=args.ballots, workers=args.workers, clients=args.clients)
        results = bench_results(args.results, args.repeat)
    finally:
        drop_database()
        shutil.rmtree(WORK, ignore_errors=True)
    h = http_figures
    ratio = h["ballot_rps"] / h["health_rps"]
    print(
        f"gunicorn: {h['workers']} sync workers; {h['clients']} client threads; "
        f"{h['requests']} requests each"
    )
    print(
        f"  /healthz (minimal view)   {h['health_rps']:8.1f} req/s   p95 "
        f"{h['health_p95'] * 1000:6.1f} ms"
    )
    print(
        f"  cast ballot (POST, code)  {h['ballot_rps']:8.1f} req/s   p95 "
        f"{h['ballot_p95'] * 1000:6.1f} ms"
    )
    print(f"  ratio ballots / minimal view: {ratio:.2f}")
    print(
        f"  acknowledged {h['acknowledged']}, refused {h['refused']}, in the database "
        f"{h['stored']} ballots / {h['participations']} participations"
    )
    lost = h["acknowledged"] - h["stored"]
    r = results
    print(f"results: {r['ballots']:,} ballots copied in {r['fill']:.1f} s (not timed below)")
    print(f"  plain SQL aggregate (jsonb GROUP BY)   {r['sql']:7.3f} s  (cold {r['sql_cold']:.3f})")
    print(f"  plain SQL sums over the packed column  {r['packed_sql']:7.3f} s")
    print(
        f"  selector, weighted + all breakdowns    {r['selector']:7.3f} s  "
        f"(cold {r['selector_cold']:.3f})"
    )
    print(
        f"  ratio selector / SQL: {r['ratio']:.2f}×; raking {r['iterations']} sweeps, "
        f"n_eff {r['n_effective']:,.0f}; {r['groups']} groups, {r['suppressed']} suppressed"
    )
    for name, plain, weighted in r["top"]:
        print(f"  {name}: {plain:.1%} unweighted, {weighted:.1%} weighted")
    print()
    print(
        f"target ballots/s >= 0.3x minimal view: {'met' if ratio >= 0.3 else 'MISSED'} "
        f"({ratio:.2f})"
    )
    print(f"target zero lost ballots: {'met' if lost == 0 else 'MISSED'} ({lost} lost)")
    print(
        f"target results < 3 s: {'met' if r['selector'] < 3 else 'MISSED'} ({r['selector']:.2f} s)"
    )
    print(
        f"target results <= 3x plain SQL: {'met' if r['ratio'] <= 3 else 'MISSED'} "
        f"({r['ratio']:.2f}x)"
    )


if __name__ == "__main__":
    main()
