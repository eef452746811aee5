from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "leitbild.portfolio"
    label = "portfolio"
    verbose_name = "Umsetzungskonzept"
