from django.core.management.base import BaseCommand

from leitbild.participation.services import contacts_purge_expired


class Command(BaseCommand):
    help = "Löscht E-Mail-Adressen für Rückmeldungen, deren Aufbewahrungsfrist abgelaufen ist."

    def handle(self, *args, **options):
        deleted = contacts_purge_expired()
        self.stdout.write(f"{deleted} Kontakte gelöscht.")
