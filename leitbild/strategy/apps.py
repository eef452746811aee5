from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "leitbild.strategy"
    label = "strategy"
    verbose_name = "Strategischer Rahmen"
