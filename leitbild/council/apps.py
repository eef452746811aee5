from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "leitbild.council"
    label = "council"
    verbose_name = _("Rat und Gremien")
    demo_order = 60  # after the strategy and the implementation concept

    def ready(self) -> None:
        from leitbild.core.audit import register_actions

        from .audit import CouncilAction

        register_actions(CouncilAction)
