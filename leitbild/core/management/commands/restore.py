from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from leitbild.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty instance (migrates first), then verify it."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"{file} does not exist.")
        call_command("migrate", interactive=False, verbosity=0)
        try:
            manifest = backup_restore(source=file)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(
            f"Restored {rows} rows from {file} (backup of {manifest['created_at']}); verified."))
