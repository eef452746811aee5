from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "leitbild.portfolio"
    label = "portfolio"
    verbose_name = _("Umsetzungskonzept")
    demo_order = 40  # core.demo loads the demo parts in this order

    def ready(self) -> None:
        from leitbild.core.audit import register_actions
        from leitbild.strategy.services import register_delete_guard

        from .audit import PortfolioAction
        from .services import strategy_item_check_unused

        register_actions(PortfolioAction)
        from . import document

        document.register()
        register_delete_guard(strategy_item_check_unused)
