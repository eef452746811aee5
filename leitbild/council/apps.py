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

        from leitbild.strategy.panels import register_steps_provider, register_version_panel

        from . import selectors

        def steps_panel(version):
            steps = selectors.steps(version)
            return {"steps": steps} if steps else None

        register_version_panel(
            order=10, template="council/_version_panel.html", context=steps_panel
        )
        register_steps_provider(selectors.steps_for_api)

        from leitbild.strategy.panels import register_strategy_panel

        from .timeline import timeline

        def timeline_panel(strategy):
            events = timeline(strategy)
            return {"events": events} if events else None

        register_strategy_panel(order=10, template="council/_timeline.html", context=timeline_panel)
