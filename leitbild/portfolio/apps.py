from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "leitbild.portfolio"
    label = "portfolio"
    verbose_name = _("Umsetzungskonzept")

    def ready(self) -> None:
        from leitbild.core.audit import register_actions

        from .audit import PortfolioAction

        register_actions(PortfolioAction)
