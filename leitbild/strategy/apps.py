from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "leitbild.strategy"
    label = "strategy"
    verbose_name = _("Strategischer Rahmen")

    def ready(self) -> None:
        from leitbild.core.audit import register_actions

        from .audit import StrategyAction

        register_actions(StrategyAction)
