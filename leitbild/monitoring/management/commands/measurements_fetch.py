"""``leitbild measurements_fetch [--source ID]``: runs the measurement sources now.

Without ``--source`` every enabled source that is due (or was never scheduled) is run and its
next run scheduled, e.g. from cron where no task worker runs; with it, that one source,
whether due or not. Exits with an error if a run failed.
"""

from django.core.management.base import BaseCommand, CommandError

from leitbild.monitoring import feed_selectors, feed_services


class Command(BaseCommand):
    help = "Ruft die Datenquellen für Messwerte ab (alle fälligen oder eine)."

    def add_arguments(self, parser):
        parser.add_argument("--source", type=int, help="Nr. der Datenquelle")

    def handle(self, *args, source=None, **options):
        if source is not None:
            feed = feed_selectors.feed_get(pk=source)
            if feed is None:
                raise CommandError(f"Keine Datenquelle Nr. {source}.")
            feeds = [feed]
        else:
            feeds = list(feed_selectors.feeds_due())
        failed = []
        for feed in feeds:
            result = feed_services.feed_run(actor=None, feed=feed)
            if source is None:
                feed_services.feed_schedule(feed)
            self.stdout.write(f"{feed.name} (Nr. {feed.pk}): {result.summary()}")
            if not result.ok:
                failed.append(feed.name)
        if not feeds:
            self.stdout.write("Keine Datenquelle ist fällig.")
        if failed:
            raise CommandError(f"Fehlgeschlagen: {', '.join(failed)}")
