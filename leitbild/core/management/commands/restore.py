from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from leitbild.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty instance (migrates first), then verify it. "
        "Refuses an archive made under another SECRET_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--accept-other-key",
            action="store_true",
            help="Restore even if the archive's secret key does not match (or is not "
            "recorded): unused participation codes and e-mail confirmations then stop "
            "working.",
        )

    def handle(self, *args, file: Path, accept_other_key: bool = False, **options):
        if not file.is_file():
            raise CommandError(f"{file} does not exist.")
        call_command("migrate", interactive=False, verbosity=0)
        try:
            manifest = backup_restore(source=file, accept_other_key=accept_other_key)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {rows} rows from {file} (backup of {manifest['created_at']}); verified."
            )
        )
        if manifest["secret_key_restored"]:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup's secret key was written to {settings.DATA_DIR / 'secret_key'}. "
                    "Restart the application and its workers so that they use it."
                )
            )
