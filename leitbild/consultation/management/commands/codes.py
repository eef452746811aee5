"""``leitbild codes generate PHASE_ID --count N --format csv|pdf --out FILE``

For the statistics office: generate single-use participation codes for a weighting or survey
phase and write them as a CSV file (for mail merge) or as printable letters (PDF, one A4 page
per code). Only keyed hashes of the codes stay in the database; the command's private working
files are deleted once FILE is written, so FILE is the only copy of the codes.
"""

import shutil
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from leitbild.participation.models import Phase

from ... import services


class Command(BaseCommand):
    help = "Teilnahmecodes erzeugen und als CSV oder PDF (Briefe) schreiben."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        generate = sub.add_parser("generate", help="Codes für eine Phase erzeugen")
        generate.add_argument("phase_id", type=int)
        generate.add_argument("--count", type=int, required=True)
        generate.add_argument("--format", choices=["csv", "pdf"], default="csv")
        generate.add_argument("--out", required=True)

    def handle(self, *args, **options):
        phase = (
            Phase.objects.filter(
                pk=options["phase_id"], kind__in=[Phase.Kind.WEIGHTING, Phase.Kind.SURVEY]
            )
            .select_related("process")
            .first()
        )
        if phase is None:
            raise CommandError(f"Keine Gewichtungs- oder Umfragephase {options['phase_id']}.")
        out = Path(options["out"])
        if out.exists():
            raise CommandError(f"{out} gibt es schon; bitte einen neuen Dateinamen angeben.")
        try:
            batch = services.codes_generate(actor=None, phase=phase, count=options["count"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        try:
            if options["format"] == "pdf":
                source = services.codes_letters_build(
                    batch=batch,
                    report=lambda done, total: self.stderr.write(
                        f"\r{done}/{total} Briefe", ending=""
                    ),
                )
                self.stderr.write("")
            else:
                source = services.batch_file(batch, "csv")
            out.touch(mode=0o600)
            shutil.copyfile(source, out)
        finally:
            services.codes_files_delete(actor=None, batch=batch)
        self.stdout.write(f"{batch.count} Codes für „{phase}“ geschrieben: {out}")
