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

        from leitbild.core.inbox import register_inbox, register_staff_area
        from leitbild.core.roles import Role

        from . import round_selectors

        register_staff_area(
            order=20,
            label=_("Umsetzungskonzept: Projekte, Förderung und Finanzierung"),
            url_name="portfolio:staff_index",
        )
        register_staff_area(
            order=25,
            label=_("Priorisierung: Runden und Bewertung"),
            url_name="portfolio:round_list",
        )
        register_inbox(order=30, roles=(Role.ASSESSOR,), entries=round_selectors.inbox_scoring)
