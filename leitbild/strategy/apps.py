from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "leitbild.strategy"
    label = "strategy"
    verbose_name = _("Strategischer Rahmen")
    demo_order = 10  # core.demo loads the demo parts in this order

    def ready(self) -> None:
        from leitbild.core.audit import register_actions
        from leitbild.core.home import register_home_card

        from . import selectors
        from .audit import StrategyAction

        register_actions(StrategyAction)
        from . import document

        document.register()
        register_home_card(
            order=10,
            template="strategy/home_card.html",
            context=lambda: selectors.home_strategy(),
        )

        from leitbild.core.inbox import register_inbox, register_staff_area
        from leitbild.core.roles import Role

        register_staff_area(
            order=10, label=_("Strategischer Rahmen bearbeiten"), url_name="strategy:staff_index"
        )
        register_inbox(order=60, roles=(Role.COUNCIL_OFFICE,), entries=selectors.inbox_decisions)
