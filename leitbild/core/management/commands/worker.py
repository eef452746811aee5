from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker (Django Tasks, database backend)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Run the waiting tasks, then stop."
        )

    def handle(self, *args, batch: bool, **options):
        extra = ["--batch", "--no-startup-delay"] if batch else []
        call_command(
            "db_worker",
            "--interval",
            "0.5",
            "--no-reload",
            *extra,
            verbosity=options.get("verbosity", 1),
        )
