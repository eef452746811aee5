"""Benchmark: the idea list, an idea page and the GeoJSON markers at 10,000 ideas.

Issue 4 asks that the idea list reach at least half the throughput of a minimal Django view
served by the same server, with p95 under 50 ms, at 10,000 ideas on PostgreSQL behind several
gunicorn workers. This script

1. creates a throw-away database ``leitbild_bench_ideas`` on the local PostgreSQL
   (127.0.0.1:5432, user ``postgres``), migrates it, seeds 10,000 published ideas with
   fields, places, supports and comments and runs VACUUM ANALYZE, as autovacuum would on a
   live database (dropped again at the end unless ``--keep``);
2. for each cache configuration of ``--caches`` starts gunicorn (``--workers`` workers of
   ``--worker-class``, DEBUG off, so Django's cached template loader, persistent database
   connections) on 127.0.0.1 with ``bench.ideas_settings``:

   * ``locmem``: the default cache, one per worker process;
   * ``redis``: ``REDIS_URL`` (``--redis-url``), one cache shared by all workers;
   * ``none``: Django's DummyCache, nothing is cached: every request renders (cold);

3. in each configuration warms the workers up on other URLs of the same pages, requests up
   to 50 distinct measured URLs per endpoint once, one at a time (the first request of a
   URL: a cache miss), then measures each endpoint with a bounded number of requests from
   ``--clients`` keep-alive client threads in ``--rounds`` rounds, each paired with a round
   of the minimal view (``/bench-minimal``, see bench/ideas_urls.py), and prints requests/s,
   p50 and p95, the share of cache hits and the ratio to the minimal view (the median of
   the rounds' ratios, so that a change of the machine's load hits both sides alike), with
   the load average before and after: the machine may be shared, and the benchmark itself
   (server, database and client on the same cores) loads it too.

Only loopback traffic; every loop is bounded by a request count and a time limit.

Run: ``.venv/bin/python bench/ideas_bench.py [--ideas 10000] [--requests 1500] [--clients 4]
[--caches locmem,none,redis]``
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "leitbild_bench_ideas"
PG = "postgresql://postgres@127.0.0.1:5432"
SLUG = "bench"
TIME_LIMIT = 120.0  # seconds per endpoint, whatever --requests says


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def environment(data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"{PG}/{DB_NAME}",
            "DJANGO_SETTINGS_MODULE": "bench.ideas_settings",
            "LEITBILD_ENV": "development",
            "DEBUG": "false",
            "LEITBILD_DATA_DIR": data_dir,
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def seed(count: int) -> list[int]:
    """Seed ``count`` published ideas in bulk; returns their ids."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from leitbild.participation.models import (
        Comment,
        Idea,
        IdeaStatus,
        Phase,
        Process,
        Support,
    )
    from leitbild.strategy.models import ActionField, Strategy

    call_command("migrate", verbosity=0)
    rng = random.Random(4)
    strategy = Strategy.objects.create(title="Bench", slug="bench", edition="2026")
    fields = [
        ActionField.objects.create(strategy=strategy, code=f"F{i}", name=f"Feld {i}", order=i)
        for i in range(10)
    ]
    process = Process.objects.create(strategy=strategy, title="Bench", slug=SLUG)
    now = timezone.now()
    Phase.objects.create(
        process=process,
        kind=Phase.Kind.IDEAS,
        title="Ideen",
        starts_at=now - timezone.timedelta(days=30),
        ends_at=now + timezone.timedelta(days=30),
    )
    words = (
        "Radweg Bank Licht Sensor Schule Park Bus WLAN Baum Platz App Daten Brunnen "
        "Markt Hafen See Kita Sport Bibliothek Solar"
    ).split()
    statuses = [IdeaStatus.PUBLISHED] * 6 + [
        IdeaStatus.IN_REVIEW,
        IdeaStatus.ACCEPTED,
        IdeaStatus.REJECTED,
    ]
    ideas = [
        Idea(
            process=process,
            title=" ".join(rng.sample(words, 4)),
            description=" ".join(rng.choices(words, k=60)),
            status=rng.choice(statuses),
            created_at=now - timezone.timedelta(minutes=n),
            published_at=now - timezone.timedelta(minutes=n),
            lat=round(52.40 + rng.random() * 0.06, 6),
            lon=round(10.74 + rng.random() * 0.10, 6),
            address=f"{rng.choice(words)}straße {rng.randrange(1, 99)}",
            support_count=int(rng.paretovariate(1.5)) - 1,
            comment_count=0,
        )
        for n in range(count)
    ]
    Idea.objects.bulk_create(ideas, batch_size=2000)
    through = Idea.fields.through
    through.objects.bulk_create(
        [
            through(idea_id=i.pk, actionfield_id=f.pk)
            for i in ideas
            for f in rng.sample(fields, rng.randint(1, 3))
        ],
        batch_size=5000,
    )
    Support.objects.bulk_create(
        [Support(idea=i, visitor=f"b{i.pk}-{k}") for i in ideas for k in range(i.support_count)],
        batch_size=5000,
    )
    comments = [Comment(idea=i, text="Gute Idee! " * 5) for i in rng.sample(ideas, count // 5)]
    Comment.objects.bulk_create(comments, batch_size=2000)
    Idea.objects.filter(pk__in=[c.idea_id for c in comments]).update(comment_count=1)
    from django.db import connection

    with connection.cursor() as cursor:
        # What autovacuum does on a live database; without it PostgreSQL cannot count the
        # ideas from the index alone (visibility map) and reads the whole table instead.
        cursor.execute("VACUUM ANALYZE")
    return [i.pk for i in ideas]


def measure(port: int, paths: list[str], total: int, clients: int) -> dict:
    """Send ``total`` GET requests for ``paths`` in turn from ``clients`` threads."""
    latencies: list[float] = []
    errors = [0]
    hits = [0]
    lock = threading.Lock()
    counter = [0]
    deadline = time.monotonic() + TIME_LIMIT

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < deadline:
            with lock:
                if counter[0] >= total:
                    break
                n = counter[0]
                counter[0] += 1
            path = paths[n % len(paths)]
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                hit = response.getheader("X-Leitbild-Cache") == "hit"
            except (OSError, http.client.HTTPException):
                ok = hit = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            elapsed = time.perf_counter() - start
            with lock:
                if ok:
                    latencies.append(elapsed)
                    hits[0] += hit
                else:
                    errors[0] += 1
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "latencies": latencies,
        "wall": time.perf_counter() - began,
        "errors": errors[0],
        "hits": hits[0],
    }


def summarise(raws: list[dict]) -> dict:
    """Requests/s, p50, p95, max, share of cache hits over one or more ``measure`` results."""
    latencies = sorted(x for raw in raws for x in raw["latencies"])
    wall = sum(raw["wall"] for raw in raws)

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    ok = len(latencies)
    return {
        "rps": ok / wall if wall else 0.0,
        "p50": pct(0.50) if ok else 0.0,
        "p95": pct(0.95) if ok else 0.0,
        "max": latencies[-1] * 1000 if ok else 0.0,
        "ok": ok,
        "errors": sum(raw["errors"] for raw in raws),
        "hits": sum(raw["hits"] for raw in raws) / ok if ok else 0.0,
    }


def wait_until_up(port: int, proc: subprocess.Popen) -> None:
    for _ in range(100):
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench-minimal", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer")


def endpoints_for(ids: list[int]) -> tuple[dict[str, list[str]], list[str]]:
    """The measured URLs per endpoint, and other URLs of the same pages for warming up."""
    rng = random.Random(7)
    boxes = []
    for _ in range(70):  # a street-level view: about 1/25 of the seeded area
        lat, lon = 52.40 + rng.random() * 0.048, 10.74 + rng.random() * 0.08
        boxes.append(f"{lon:.4f},{lat:.4f},{lon + 0.02:.4f},{lat + 0.012:.4f}")
    sample = rng.sample(ids, 220)
    measured = {
        "minimal view": ["/bench-minimal"],
        "idea list": [
            f"/beteiligung/{SLUG}/ideen/",
            f"/beteiligung/{SLUG}/ideen/?sortierung=unterstuetzung",
            f"/beteiligung/{SLUG}/ideen/?seite=3",
        ],
        "idea detail": [f"/beteiligung/{SLUG}/ideen/{pk}/" for pk in sample[:200]],
        "geojson (bbox)": [f"/api/v1/ideas.geojson?process={SLUG}&bbox={b}" for b in boxes[:50]],
    }
    warm = (
        [f"/beteiligung/{SLUG}/ideen/?seite={n}&sortierung=diskussion" for n in range(5, 25)]
        + [f"/beteiligung/{SLUG}/ideen/{pk}/" for pk in sample[200:]]
        + [f"/api/v1/ideas.geojson?process={SLUG}&bbox={b}" for b in boxes[50:]]
    )
    return measured, warm


def run_config(cache: str, args, env: dict[str, str], ids: list[int]) -> dict:
    """Start gunicorn with one cache configuration, measure every endpoint, stop it.

    Each endpoint is measured in ``--rounds`` rounds, each paired with a round of the minimal
    view right before or after it, so that a change of the machine's load during the run
    hits both alike; the ratio is the median of the rounds' ratios.
    """
    env = dict(
        env, LEITBILD_BENCH_RUN=f"bench-{os.getpid()}-{time.time_ns()}", LEITBILD_BENCH_CACHE=cache
    )
    env.pop("REDIS_URL", None)
    if cache == "redis":
        env["REDIS_URL"] = args.redis_url
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "leitbild.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
    ]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    proc = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_until_up(port, proc)
        load_before = os.getloadavg()
        endpoints, warm = endpoints_for(ids)
        minimal = endpoints["minimal view"]
        # Every worker imports, connects and compiles its templates on its first requests;
        # that is not what a cache miss costs a running server, so do it on other URLs.
        measure(port, minimal + warm, 30 * args.workers, args.clients)
        first = {}
        for name, paths in endpoints.items():
            # The first request of each distinct URL, one at a time: a cache miss.
            first[name] = summarise([measure(port, paths[:50], min(len(paths), 50), 1)])
        results, base_raws = {}, []
        per_round = max(1, args.requests // args.rounds)
        for name, paths in endpoints.items():
            if name == "minimal view":
                continue
            measure(port, paths, max(50, args.requests // 10), args.clients)  # warm-up
            raws, ratios = [], []
            for n in range(args.rounds):
                pair = [minimal, paths] if n % 2 == 0 else [paths, minimal]
                got = {id(p): measure(port, p, per_round, args.clients) for p in pair}
                base, own = got[id(minimal)], got[id(paths)]
                base_raws.append(base)
                raws.append(own)
                base_rps = summarise([base])["rps"]
                ratios.append(summarise([own])["rps"] / base_rps if base_rps else 0.0)
            results[name] = summarise(raws)
            results[name]["ratio"] = statistics.median(ratios)
            results[name]["ratios"] = (min(ratios), max(ratios))
        results = {"minimal view": summarise(base_raws), **results}
        results["minimal view"].update(ratio=1.0, ratios=(1.0, 1.0))
        return {
            "cache": cache,
            "first": first,
            "results": results,
            "load": (load_before, os.getloadavg()),
        }
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def report(run: dict, args) -> None:
    results, first = run["results"], run["first"]
    before, after = run["load"]
    print(
        f"\ncache: {run['cache']} | {args.ideas} ideas, PostgreSQL, gunicorn {args.workers} "
        f"{args.worker_class} workers, {args.clients} clients, {args.requests} requests per "
        f"endpoint in {args.rounds} rounds, {os.cpu_count()} CPU cores | load average before "
        f"{before[0]:.2f} {before[1]:.2f} {before[2]:.2f}, after "
        f"{after[0]:.2f} {after[1]:.2f} {after[2]:.2f}"
    )
    print(
        f"{'endpoint':<16} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'ratio':>6} "
        f"{'(min–max)':>11} {'hits':>5} {'errors':>6} | first request of each URL, alone"
    )
    for name, r in results.items():
        f = first[name]
        low, high = r["ratios"]
        print(
            f"{name:<16} {r['rps']:7.0f} {r['p50']:7.1f} {r['p95']:7.1f} {r['ratio']:6.2f} "
            f"{f'({low:.2f}–{high:.2f})':>11} {r['hits']:5.0%} {r['errors']:6d} | "
            f"{f['ok']:3d} URLs, p50 {f['p50']:6.1f} ms, max {f['max']:6.1f} ms"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1500, help="per endpoint")
    parser.add_argument("--rounds", type=int, default=5, help="paired with the minimal view")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=2, help="per gthread worker")
    parser.add_argument(
        "--caches", default="locmem,none", help="comma-separated: locmem, redis, none"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the database kept by an earlier --keep run, do not seed",
    )
    args = parser.parse_args()
    caches = [c.strip() for c in args.caches.split(",") if c.strip()]
    if not caches or set(caches) - {"locmem", "redis", "none"}:
        parser.error("--caches: locmem, redis, none")

    data_dir = tempfile.mkdtemp(prefix="leitbild-bench-")
    env = environment(data_dir)
    if not args.reuse:
        admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")
        admin_sql(f"CREATE DATABASE {DB_NAME}")
    try:
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        if args.reuse:
            import django

            django.setup()
            from leitbild.participation.models import Idea

            ids = list(Idea.objects.filter(process__slug=SLUG).values_list("pk", flat=True))
            args.ideas = len(ids)
        else:
            print(f"seeding {args.ideas} ideas into PostgreSQL database {DB_NAME} …", flush=True)
            started = time.perf_counter()
            ids = seed(args.ideas)
            print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
        from django.db import connections

        connections.close_all()
        runs = [run_config(cache, args, env, ids) for cache in caches]
        for run in runs:
            report(run, args)
        failed = sum(r["errors"] for run in runs for r in run["results"].values())
        return 1 if failed else 0
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
