from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "leitbild.monitoring"
    label = "monitoring"
    verbose_name = "Umsetzung und Monitoring"
