"""Benchmark: generating the demo city's strategy document as PDF/UA and as DOCX (issue #13).

Targets on this machine: the full strategy PDF (all chapters, charts) ≤ 15 s, the DOCX ≤ 5 s.

What is timed, for version 2 of Musterstadt (the draft in consultation, every chapter):

* **content** — ``strategy.document.strategy_document``: every chapter built from the data;
* **PDF/UA** — ``documents.render.pdf_bytes``: WeasyPrint with ``pdf_variant="pdf/ua-1"``,
  tagged structure, bookmarks, table of contents with page numbers (best of ``--repeat``);
* **DOCX** — ``documents.render.docx_bytes`` (best of ``--repeat``).

Baselines measured in the same run: the same HTML rendered by WeasyPrint as a plain PDF (no
tagging, no PDF/UA), and a DOCX with the same number of paragraphs of plain text.

The data lives in a throw-away PostgreSQL database ``leitbild_bench_documents`` on
127.0.0.1:5432 (dropped afterwards), or in a temporary SQLite file with ``--sqlite``. The demo
city is loaded through its services first (not timed). Loopback only.

Run: ``.venv/bin/python bench/document_bench.py [--repeat 3] [--sqlite]``
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DB_NAME = "leitbild_bench_documents"
POSTGRES = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"


def _postgres(sql: str) -> None:
    import psycopg

    with psycopg.connect(
        "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3",
        autocommit=True,
    ) as connection:
        connection.execute(sql)


def best(function, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), times, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="leitbild-bench-")
    os.environ["LEITBILD_PRIVATE_DIR"] = folder
    if args.sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    else:
        _postgres(f"DROP DATABASE IF EXISTS {DB_NAME}")
        _postgres(f"CREATE DATABASE {DB_NAME}")
        os.environ["DATABASE_URL"] = POSTGRES
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leitbild.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        run(args, call_command)
    finally:
        connection.close()
        if not args.sqlite:
            _postgres(f"DROP DATABASE IF EXISTS {DB_NAME}")


def run(args, call_command) -> None:
    import io

    from docx import Document as Docx
    from weasyprint import HTML

    from leitbild.core.demo import demo_load
    from leitbild.documents.render import docx_bytes, pdf_bytes, pdf_html
    from leitbild.strategy.document import strategy_document
    from leitbild.strategy.models import StrategyVersion

    call_command("migrate", interactive=False, verbosity=0)
    print(f"{os.cpu_count()} CPU cores | load average before {os.getloadavg()[0]:.2f}")
    print("loading the demo city …", flush=True)
    demo_load()
    from django.db import connection

    print(f"database: {connection.vendor}")
    version = StrategyVersion.objects.get(strategy__slug="musterstadt", number=2)
    t_content, _, document = best(lambda: strategy_document(version), args.repeat)
    t_pdf, pdf_runs, pdf = best(lambda: pdf_bytes(document), args.repeat)
    html = pdf_html(document)
    t_plain, _, _ = best(lambda: HTML(string=html).write_pdf(), args.repeat)
    t_docx, docx_runs, word = best(lambda: docx_bytes(document), args.repeat)
    paragraphs = sum(
        1 + len(getattr(b, "rows", ())) + len(getattr(b, "items", ()))
        for _level, s in document.walk()
        for b in s.blocks
    )

    def plain_docx() -> bytes:
        doc = Docx()
        for k in range(paragraphs):
            doc.add_paragraph(f"Absatz {k}")
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()

    t_docx_plain, _, _ = best(plain_docx, args.repeat)
    chapters = len(document.sections)
    sections = sum(1 for _ in document.walk())
    print(f"document: {chapters} chapters, {sections} sections, {len(document.figures())} charts")
    print(f"content from the data: {t_content * 1000:.0f} ms")
    print(
        f"PDF/UA: best {t_pdf:.2f} s (runs {', '.join(f'{t:.2f}' for t in pdf_runs)}), "
        f"{pdf.pages} pages, {len(pdf.data) / 1024:.0f} KiB (target ≤ 15 s) | baseline plain "
        f"PDF of the same HTML, untagged: {t_plain:.2f} s"
    )
    print(
        f"DOCX: best {t_docx:.2f} s (runs {', '.join(f'{t:.2f}' for t in docx_runs)}), "
        f"{len(word.data) / 1024:.0f} KiB (target ≤ 5 s) | baseline {paragraphs} plain "
        f"paragraphs: {t_docx_plain:.2f} s"
    )
    # The demo's document has ~40 pages; a city with more projects and ideas gets 60–100. The
    # same document with its implementation, participation and weighting chapters twice:
    import copy
    import dataclasses

    extra = [copy.deepcopy(c) for c in document.sections if c.key in ("umsetzung", "beteiligung")]
    for chapter in extra:
        for _level, section in chapter.walk():
            section.key += "-2"
    bigger = dataclasses.replace(document, sections=document.sections + extra)
    t_big, _, big = best(lambda: pdf_bytes(bigger), 1)
    t_big_docx, _, _ = best(lambda: docx_bytes(bigger), 1)
    print(
        f"larger document (two chapters twice): PDF/UA {t_big:.2f} s for {big.pages} pages, "
        f"DOCX {t_big_docx:.2f} s"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (maxrss): {peak:.0f} MB | load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
