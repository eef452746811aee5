from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "leitbild.participation"
    label = "participation"
    verbose_name = "Beteiligung"
