from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "leitbild.monitoring"
    label = "monitoring"
    verbose_name = _("Umsetzung und Monitoring")
    demo_order = 70  # after the strategy (its indicators) and the council (the adopted version)

    def ready(self) -> None:
        from leitbild.core.audit import register_actions
        from leitbild.core.home import register_home_card
        from leitbild.core.inbox import register_inbox, register_staff_area
        from leitbild.core.roles import Role
        from leitbild.strategy.services import register_delete_guard

        from . import selectors
        from .audit import MonitoringAction
        from .services import indicator_check_unmeasured

        register_actions(MonitoringAction)
        register_delete_guard(indicator_check_unmeasured)
        register_staff_area(
            order=22,
            label=_("Monitoring: Indikatoren und Messwerte"),
            url_name="monitoring:staff_indicators",
        )
        register_inbox(order=40, roles=(Role.EDITOR,), entries=selectors.inbox_off_track)
        register_home_card(
            order=50, template="monitoring/home_card.html", context=selectors.home_indicators
        )
        # Project progress: audit actions, inbox, staff area.
        from . import progress_selectors
        from .progress_audit import ProgressAction

        register_actions(ProgressAction)
        from leitbild.portfolio.api import register_progress_provider

        register_progress_provider(progress_selectors.progress_for_api)
        register_staff_area(
            order=27,
            label=_("Umsetzungsmonitoring: Fortschritt der Projekte"),
            url_name="monitoring:progress_staff_index",
        )
        register_inbox(
            order=35,
            roles=(Role.EDITOR, Role.PROJECT_TEAM),
            entries=progress_selectors.inbox_progress,
        )
        # Measurements fetched on a schedule: a failed run waits in the inbox.
        from . import feed_selectors

        register_inbox(order=41, roles=(Role.EDITOR,), entries=feed_selectors.inbox_feeds)
