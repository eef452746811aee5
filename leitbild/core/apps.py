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

        post_migrate.connect(create_cache_table, sender=self)
