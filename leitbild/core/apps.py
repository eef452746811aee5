from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(using: str = "default", **kwargs) -> None:
    """The database cache's table is no model: `leitbild migrate` creates it all the same."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "leitbild.core"
    label = "core"
    verbose_name = _("Grundlagen")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
        from .audit import CoreAction, register_actions

        register_actions(CoreAction)
        self._register_staff_home()

        post_migrate.connect(create_cache_table, sender=self)

    @staticmethod
    def _register_staff_home() -> None:
        from . import selectors
        from .inbox import register_inbox, register_staff_area

        register_inbox(order=90, roles=(), entries=selectors.inbox_tasks)
        # The e-mails that were not sent head the staff home of Administration (core's view).
        for order, label, url_name in [
            (90, _("System: Sicherung und Zustand"), "core:system"),
            (91, _("Änderungsprotokoll"), "core:audit_log"),
            (93, _("Technische Administration (Django)"), "admin:index"),
        ]:
            register_staff_area(order=order, label=label, url_name=url_name)
