"""The form a resident subscribes to a project's progress reports with."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SubscriptionForm(forms.Form):
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de."),
        },
    )
