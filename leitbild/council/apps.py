from django.apps import AppConfig


class CouncilConfig(AppConfig):
    name = "leitbild.council"
    label = "council"
    verbose_name = "Rat und Gremien"
