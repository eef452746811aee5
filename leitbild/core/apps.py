from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "leitbild.core"
    label = "core"
    verbose_name = "Grundlagen"
