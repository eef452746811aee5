from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "leitbild.council"
    label = "council"
    verbose_name = _("Rat und Gremien")
    demo_order = 60  # after the strategy and the implementation concept

    def ready(self) -> None:
        from leitbild.core.audit import register_actions
        from leitbild.strategy.panels import register_panel, register_steps_provider

        from . import selectors
        from .audit import CouncilAction
        from .timeline import timeline

        register_actions(CouncilAction)
        from leitbild.core.inbox import register_staff_area

        register_staff_area(
            order=45,
            label=_("Ratsbüro: Beratungsfolge, Änderungsanträge, Beschlussvorlagen"),
            url_name="council:index",
        )
        from leitbild.core.inbox import register_inbox
        from leitbild.core.roles import Role

        register_inbox(order=65, roles=(Role.COUNCIL_OFFICE,), entries=selectors.inbox_oparl)
        register_steps_provider(selectors.steps_for_api)

        def steps_panel(version):
            steps = selectors.steps(version)
            return {"steps": steps} if steps else None

        def timeline_panel(strategy):
            events = timeline(strategy)
            return {"events": events} if events else None

        def amendments_compare(old, new):
            found = selectors.amendments(old)
            return {"amendments": found, "version": old} if found else None

        def amendments_staff(strategy):
            found = selectors.open_amendments(strategy)
            return {"amendments": found} if found else None

        register_panel(
            "version", order=10, template="council/_version_panel.html", context=steps_panel
        )
        register_panel(
            "strategy", order=10, template="council/_timeline.html", context=timeline_panel
        )
        register_panel(
            "compare", order=10, template="council/_amendments.html", context=amendments_compare
        )
        register_panel(
            "staff_strategy",
            order=10,
            template="council/_amendment_checklist.html",
            context=amendments_staff,
        )
