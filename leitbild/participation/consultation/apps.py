from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    """Weighting ballots and surveys: part of the participation domain, in an app of its own
    so that its data (ballots kept apart from identities) has its own migrations."""

    name = "leitbild.participation.consultation"
    label = "consultation"
    verbose_name = _("Gewichtung und Umfragen")
