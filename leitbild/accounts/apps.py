from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "leitbild.accounts"
    label = "accounts"
    verbose_name = "Konten und Rollen"
