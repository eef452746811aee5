from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "leitbild.accounts"
    label = "accounts"
    verbose_name = _("Konten und Rollen")
    demo_order = 0  # core.demo loads the demo parts in this order
