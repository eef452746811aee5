from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "leitbild.monitoring"
    label = "monitoring"
    verbose_name = _("Umsetzung und Monitoring")

    def ready(self) -> None:
        # --- Project progress (branch h-monprog): audit actions, inbox, staff area ---------
        from leitbild.core.audit import register_actions
        from leitbild.core.inbox import register_inbox, register_staff_area
        from leitbild.core.roles import Role

        from . import progress_selectors
        from .progress_audit import ProgressAction

        register_actions(ProgressAction)
        register_staff_area(
            order=27,
            label=_("Umsetzungsmonitoring: Fortschritt der Projekte"),
            url_name="monitoring:progress_staff_index",
        )
        register_inbox(order=35, roles=(Role.EDITOR,), entries=progress_selectors.inbox_progress)
        # --- end of project progress ------------------------------------------------------
