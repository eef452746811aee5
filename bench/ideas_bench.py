"""Benchmark: the idea list, an idea page and the GeoJSON markers at 10,000 ideas.

Issue 4 asks that the idea list reach at least half the throughput of a minimal Django view
served by the same server, with p95 under 50 ms, at 10,000 ideas on PostgreSQL behind several
gunicorn workers. This script

1. creates a throw-away database ``leitbild_bench_ideas`` on the local PostgreSQL
   (127.0.0.1:5432, user ``postgres``), migrates it and seeds 10,000 published ideas with
   fields, places, supports and comments (dropped again at the end unless ``--keep``);
2. starts gunicorn (``--workers`` sync workers) on 127.0.0.1 with ``bench.ideas_settings``;
3. sends a bounded number of requests per endpoint from ``--clients`` keep-alive client
   threads, after a warm-up, and prints requests/s, p50 and p95 and the ratio to the minimal
   view (``/bench-minimal``, see bench/ideas_urls.py).

Only loopback traffic; every loop is bounded by a request count and a time limit.

Run: ``.venv/bin/python bench/ideas_bench.py [--ideas 10000] [--requests 1500] [--clients 4]``
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
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
    env.update({
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "DJANGO_SETTINGS_MODULE": "bench.ideas_settings",
        "LEITBILD_ENV": "development",
        "DEBUG": "false",
        "LEITBILD_DATA_DIR": data_dir,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    })
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
    fields = [ActionField.objects.create(strategy=strategy, code=f"F{i}", name=f"Feld {i}",
                                         order=i) for i in range(10)]
    process = Process.objects.create(strategy=strategy, title="Bench", slug=SLUG)
    now = timezone.now()
    Phase.objects.create(process=process, kind=Phase.Kind.IDEAS, title="Ideen",
                         starts_at=now - timezone.timedelta(days=30),
                         ends_at=now + timezone.timedelta(days=30))
    words = ("Radweg Bank Licht Sensor Schule Park Bus WLAN Baum Platz App Daten Brunnen "
             "Markt Hafen See Kita Sport Bibliothek Solar").split()
    statuses = [IdeaStatus.PUBLISHED] * 6 + [IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED,
                                             IdeaStatus.REJECTED]
    ideas = [
        Idea(process=process, title=" ".join(rng.sample(words, 4)),
             description=" ".join(rng.choices(words, k=60)),
             status=rng.choice(statuses), created_at=now - timezone.timedelta(minutes=n),
             published_at=now - timezone.timedelta(minutes=n),
             lat=round(52.40 + rng.random() * 0.06, 6), lon=round(10.74 + rng.random() * 0.10, 6),
             address=f"{rng.choice(words)}straße {rng.randrange(1, 99)}",
             support_count=int(rng.paretovariate(1.5)) - 1, comment_count=0)
        for n in range(count)
    ]
    Idea.objects.bulk_create(ideas, batch_size=2000)
    through = Idea.fields.through
    through.objects.bulk_create(
        [through(idea_id=i.pk, actionfield_id=f.pk) for i in ideas
         for f in rng.sample(fields, rng.randint(1, 3))], batch_size=5000)
    Support.objects.bulk_create(
        [Support(idea=i, visitor=f"b{i.pk}-{k}") for i in ideas for k in range(i.support_count)],
        batch_size=5000)
    comments = [Comment(idea=i, text="Gute Idee! " * 5) for i in rng.sample(ideas, count // 5)]
    Comment.objects.bulk_create(comments, batch_size=2000)
    Idea.objects.filter(pk__in=[c.idea_id for c in comments]).update(comment_count=1)
    return [i.pk for i in ideas]


def measure(port: int, paths: list[str], total: int, clients: int) -> dict:
    latencies: list[float] = []
    errors = [0]
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
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            elapsed = time.perf_counter() - start
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {"rps": len(latencies) / wall, "p50": pct(0.50) if latencies else 0.0,
            "p95": pct(0.95) if latencies else 0.0, "ok": len(latencies), "errors": errors[0]}


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1500, help="per endpoint")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="leitbild-bench-")
    env = environment(data_dir)
    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin_sql(f"CREATE DATABASE {DB_NAME}")
    proc = None
    try:
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        print(f"seeding {args.ideas} ideas into PostgreSQL database {DB_NAME} …", flush=True)
        started = time.perf_counter()
        ids = seed(args.ideas)
        print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
        from django.db import connections

        connections.close_all()

        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "leitbild.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--worker-class", "sync", "--keep-alive", "5", "--log-level", "warning"],
            cwd=ROOT, env=env)
        wait_until_up(port, proc)
        rng = random.Random(7)
        boxes = []
        for _ in range(50):  # a street-level view: about 1/25 of the seeded area
            lat, lon = 52.40 + rng.random() * 0.048, 10.74 + rng.random() * 0.08
            boxes.append(f"{lon:.4f},{lat:.4f},{lon + 0.02:.4f},{lat + 0.012:.4f}")
        endpoints = {
            "minimal view": ["/bench-minimal"],
            "idea list": [f"/beteiligung/{SLUG}/ideen/",
                          f"/beteiligung/{SLUG}/ideen/?sortierung=unterstuetzung",
                          f"/beteiligung/{SLUG}/ideen/?seite=3"],
            "idea detail": [f"/beteiligung/{SLUG}/ideen/{pk}/" for pk in rng.sample(ids, 200)],
            "geojson (bbox)": [f"/api/v1/ideas.geojson?process={SLUG}&bbox={b}" for b in boxes],
        }
        results = {}
        for name, paths in endpoints.items():
            measure(port, paths, max(50, args.requests // 10), args.clients)  # warm-up
            results[name] = measure(port, paths, args.requests, args.clients)
        base = results["minimal view"]["rps"]
        print(f"\n{args.ideas} ideas, PostgreSQL, gunicorn {args.workers} sync workers, "
              f"{args.clients} clients, {args.requests} requests per endpoint, "
              f"{os.cpu_count()} CPU cores\n")
        print(f"{'endpoint':<16} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'ratio':>6} "
              f"{'errors':>6}")
        for name, r in results.items():
            print(f"{name:<16} {r['rps']:8.0f} {r['p50']:8.1f} {r['p95']:8.1f} "
                  f"{r['rps'] / base:6.2f} {r['errors']:6d}")
        failed = sum(r["errors"] for r in results.values())
        return 1 if failed else 0
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main())
