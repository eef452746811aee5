from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "leitbild.council"
    label = "council"
    verbose_name = _("Rat und Gremien")
