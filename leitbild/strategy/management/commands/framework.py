"""``leitbild framework export FILE`` and ``leitbild framework import FILE``.

The file format is described in docs/strategy-framework-schema.md. ``-`` as FILE means
standard output (export) or standard input (import).
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from leitbild.strategy import selectors, services
from leitbild.strategy.exchange import FrameworkFileError, dump_framework_file, parse_framework_file
from leitbild.strategy.models import Strategy, StrategyVersion


class Command(BaseCommand):
    help = "Strategischen Rahmen als JSON exportieren oder importieren (Leitbild-Format)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Rahmen einer Strategie in FILE schreiben.")
        export.add_argument("file", help="Zieldatei, - für die Standardausgabe.")
        export.add_argument(
            "--strategy", help="Kurzname der Strategie (sonst die öffentliche oder die einzige)."
        )
        export.add_argument(
            "--version",
            type=int,
            dest="version_number",
            help="Diese eingefrorene Version statt des Arbeitsstands.",
        )
        imp = actions.add_parser("import", help="Neue Strategie aus FILE anlegen.")
        imp.add_argument("file", help="Quelldatei, - für die Standardeingabe.")
        imp.add_argument("--slug", help="Dieser Kurzname statt dem aus der Datei.")
        imp.add_argument("--title", help="Dieser Titel statt dem aus der Datei.")

    def handle(self, *args, action: str, file: str, **options):
        if action == "export":
            self._export(file, options.get("strategy"), options.get("version_number"))
        else:
            self._import(file, options.get("slug"), options.get("title"))

    def _export(self, file: str, slug: str | None, number: int | None) -> None:
        if slug:
            strategy = selectors.strategy_get(slug=slug)
            if strategy is None:
                raise CommandError(f"Es gibt keine Strategie mit dem Kurznamen {slug!r}.")
        else:
            strategy = selectors.export_strategy_default()
            if strategy is None:
                slugs = ", ".join(Strategy.objects.values_list("slug", flat=True)) or "keine"
                raise CommandError(f"Bitte die Strategie mit --strategy nennen ({slugs}).")
        version = None
        if number is not None:
            version = StrategyVersion.objects.filter(strategy=strategy, number=number).first()
            if version is None:
                raise CommandError(f"Strategie {strategy.slug!r} hat keine Version {number}.")
        text = dump_framework_file(
            selectors.framework_file_data(strategy=strategy, version=version)
        )
        if file == "-":
            self.stdout.write(text, ending="")
        else:
            Path(file).write_text(text, encoding="utf-8")
            self.stderr.write(f"{strategy.slug!r} nach {file} exportiert.")

    def _import(self, file: str, slug: str | None, title: str | None) -> None:
        try:
            raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"{file} kann nicht gelesen werden: {exc.strerror}.") from None
        try:
            framework = parse_framework_file(raw)
            strategy = services.framework_import(actor=None, file=framework, slug=slug, title=title)
        except FrameworkFileError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(f"{file} wurde nicht importiert; nichts wurde geändert.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{file} als Strategie {strategy.slug!r} ({strategy.title}) importiert."
            )
        )
