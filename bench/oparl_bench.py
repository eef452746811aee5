"""Benchmark: the OParl sync of a body with 10,000 papers from a local server (issue #14).

Targets on this machine: a full sync of 10,000 papers with their consultations ≤ 60 s, an
incremental sync with no changes ≤ 2 s.

The local OParl test server (``leitbild/council/tests/oparl_server.py``) runs in its own
process on loopback with 10,000 papers (two consultations each, embedded), 200 meetings with
their agenda items and 10 organisations, in pages of 100. Timed:

* **full** — ``council.oparl.sync.source_sync`` from an empty database: every list read,
  validated against the OParl schemas, written page by page, the linked version's consultation
  sequence applied;
* **incremental** — the same again with ``modified_since`` and nothing changed.

Baseline measured in the same run: the same pages fetched with httpx and parsed as JSON, with
no validation and no database (what the network and the server cost by themselves).

The data lives in a throw-away PostgreSQL database ``leitbild_bench_oparl`` on 127.0.0.1:5432
(dropped afterwards), or in a temporary SQLite file with ``--sqlite``. Loopback only.

Run: ``.venv/bin/python bench/oparl_bench.py [--papers 10000] [--sqlite]``
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DB_NAME = "leitbild_bench_oparl"
POSTGRES = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"


def _postgres(sql: str) -> None:
    import psycopg

    with psycopg.connect(
        "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3",
        autocommit=True,
    ) as connection:
        connection.execute(sql)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server(papers: int):
    import httpx

    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "leitbild.council.tests.oparl_server",
         "--papers", str(papers), "--port", str(port), "--page-size", "100"],
        cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/oparl/v1/system"
    for _ in range(600):
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    raise SystemExit("the OParl test server did not start")


def baseline(system_url: str) -> tuple[float, int]:
    import httpx

    start = time.perf_counter()
    pages = 0
    with httpx.Client(timeout=30) as http:
        system = http.get(system_url).json()
        body = http.get(system["body"]).json()["data"][0]
        for name in ("organization", "meeting", "paper", "consultation", "agendaItem"):
            url = body.get(name)
            while url:
                page = http.get(url).json()
                pages += 1
                url = (page.get("links") or {}).get("next")
    return time.perf_counter() - start, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="leitbild-bench-")
    if args.sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    else:
        _postgres(f"DROP DATABASE IF EXISTS {DB_NAME}")
        _postgres(f"CREATE DATABASE {DB_NAME}")
        os.environ["DATABASE_URL"] = POSTGRES
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leitbild.settings")
    os.environ["LEITBILD_OPARL_SYNC_MINUTES"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    process, system_url = _server(args.papers)
    try:
        call_command("migrate", interactive=False, verbosity=0)
        run(system_url)
    finally:
        process.kill()
        connection.close()
        if not args.sqlite:
            _postgres(f"DROP DATABASE IF EXISTS {DB_NAME}")


def run(system_url: str) -> None:
    from django.db import connection

    from leitbild.council import services
    from leitbild.council.models import ConsultationStep, OParlObject
    from leitbild.council.oparl import sync
    from leitbild.strategy import services as strategy_services
    from leitbild.strategy.tests.factories import build_framework

    print(f"{os.cpu_count()} CPU cores | load average before {os.getloadavg()[0]:.2f}")
    print(f"database: {connection.vendor}")
    version = strategy_services.draft_freeze(actor=None, strategy=build_framework())
    source = services.oparl_source_save(actor=None, system_url=system_url)
    t_base, pages = baseline(system_url)
    services.paper_link_save(actor=None, version=version, reference="V 2026/05000")
    start = time.perf_counter()
    sync.source_sync(source=source)
    t_full = time.perf_counter() - start
    full_pages, full_written = source.pages, source.written
    papers = OParlObject.objects.filter(kind="Paper").count()
    consultations = OParlObject.objects.filter(kind="Consultation").count()
    steps = ConsultationStep.objects.filter(version=version).count()
    start = time.perf_counter()
    sync.source_sync(source=source)
    t_incremental = time.perf_counter() - start
    print(
        f"read: {papers} papers, {consultations} consultations, "
        f"{OParlObject.objects.count()} objects in all; linked version: {steps} steps"
    )
    print(
        f"full sync: {t_full:.2f} s, {full_pages} pages, {full_written} objects written "
        f"(target ≤ 60 s) | baseline the same "
        f"{pages} pages fetched and parsed, no validation, no database: {t_base:.2f} s"
    )
    print(
        f"incremental sync, nothing changed: {t_incremental:.2f} s, {source.pages} pages, "
        f"{source.written} objects written (target ≤ 2 s)"
    )


if __name__ == "__main__":
    main()
