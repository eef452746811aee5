from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "leitbild.core"
    label = "core"
    verbose_name = _("Grundlagen")

    def ready(self) -> None:
        from django.urls import register_converter

        from .converters import IdConverter

        # Before any urls.py is imported, so that every ``<id:…>`` in a path finds it.
        register_converter(IdConverter, "id")
