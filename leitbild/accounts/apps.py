from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "leitbild.accounts"
    label = "accounts"
    verbose_name = _("Konten und Rollen")
    demo_order = 0  # core.demo loads the demo parts in this order

    def ready(self) -> None:
        from leitbild.core.audit import register_actions

        from .audit import AccountAction

        register_actions(AccountAction)

        from leitbild.core.inbox import register_staff_area

        register_staff_area(
            order=80, label=_("Mein Konto und Zwei-Faktor-Anmeldung"), url_name="accounts:account"
        )
        register_staff_area(order=92, label=_("Benutzer und Rollen"), url_name="accounts:user_list")
