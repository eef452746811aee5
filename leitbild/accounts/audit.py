"""The audit actions of staff accounts (values as stored since the first entries)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountAction(models.TextChoices):
    USER_CREATE = "user.create", _("Konto angelegt")
    USER_UPDATE = "user.update", _("Konto geändert")
    PASSWORD_CHANGE = "user.password_change", _("Passwort geändert")
    TOTP_ENABLE = "user.totp_enable", _("Zwei-Faktor-Anmeldung eingerichtet")
    TOTP_DISABLE = "user.totp_disable", _("Zwei-Faktor-Anmeldung entfernt")
