from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from leitbild.core.backup import backup_create


class Command(BaseCommand):
    help = "Write a consistent archive of the database and uploaded files."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Target file, e.g. leitbild.tar.gz")

    def handle(self, *args, file: Path, **options):
        try:
            manifest = backup_create(target=file)
        except OSError as exc:
            raise CommandError(f"Cannot write {file}: {exc}") from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(f"Backup written to {file} ({rows} rows)."))
