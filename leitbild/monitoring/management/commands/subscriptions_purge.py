from django.core.management.base import BaseCommand

from leitbild.monitoring.subscription_services import subscriptions_purge_unconfirmed


class Command(BaseCommand):
    help = "Löscht E-Mail-Adressen von Abonnements, die nicht rechtzeitig bestätigt wurden."

    def handle(self, *args, **options):
        deleted = subscriptions_purge_unconfirmed()
        self.stdout.write(f"{deleted} unbestätigte Abonnements gelöscht.")
