"""``leitbild oparl sync [ENDPOINT_URL] [--full]`` and
``leitbild oparl link STRATEGY_SLUG VERSION_NUMBER PAPER_REFERENCE``

For the IT department: read the council information system over OParl (the endpoint given,
else the one set in the staff area, else ``LEITBILD_OPARL_ENDPOINT``), and link a strategy
version to its paper. Exit status 1 with the failing URL and the reason when a sync fails.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from leitbild.strategy import selectors as strategy_selectors

from ... import selectors, services
from ...oparl import sync
from ...oparl.client import OParlError


class Command(BaseCommand):
    help = "Abgleich mit dem Ratsinformationssystem über OParl; Versionen mit Vorlagen verknüpfen."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("sync", help="Das Ratsinformationssystem abgleichen")
        run.add_argument("endpoint", nargs="?", default="")
        run.add_argument("--full", action="store_true", help="alles neu lesen")
        link = sub.add_parser("link", help="Eine Version mit ihrer Vorlage verknüpfen")
        link.add_argument("slug")
        link.add_argument("number", type=int)
        link.add_argument("reference")

    def handle(self, *args, action: str, **options):
        self.verbosity = options["verbosity"]
        try:
            if action == "sync":
                self._sync(options["endpoint"], options["full"])
            else:
                self._link(options["slug"], options["number"], options["reference"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None

    def _sync(self, endpoint: str, full: bool) -> None:
        source = selectors.oparl_source()
        endpoint = endpoint or (source.system_url if source else settings.LEITBILD_OPARL_ENDPOINT)
        if not endpoint:
            raise CommandError("Kein OParl-Endpunkt: als Argument oder LEITBILD_OPARL_ENDPOINT.")
        if source is None or source.system_url != endpoint:
            source = services.oparl_source_save(actor=None, system_url=endpoint)

        def report(done: int, total: int | None, message: str) -> None:
            if self.verbosity > 1:
                self.stdout.write(message)

        try:
            sync.source_sync(source=source, full=full, report=report)
        except OParlError as exc:
            raise CommandError(f"{exc.url}: {exc.reason}") from None
        except sync.SyncRunning as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{source.pages} Seiten gelesen, {source.written} Objekte geschrieben "
            f"({source.body_name or source.system_url})."
        )
        for note in source.notes:
            self.stdout.write(f"Hinweis: {note}")

    def _link(self, slug: str, number: int, reference: str) -> None:
        version = strategy_selectors.version_get(slug=slug, number=number)
        if version is None:
            raise CommandError(f"Keine Version {number} der Strategie „{slug}“.")
        link = services.paper_link_save(actor=None, version=version, reference=reference)
        state = "gefunden" if link.paper_oparl_id else "noch nicht abgeglichen"
        self.stdout.write(f"{version} ist mit {link.reference} verknüpft (Vorlage {state}).")
