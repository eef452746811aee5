from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse"), widget=forms.EmailInput(
        attrs={"autocomplete": "email", "autofocus": True}))
    password = forms.CharField(label=_("Passwort"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password"}))

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        email = self.cleaned_data.get("email")
        password = self.cleaned_data.get("password")
        if email and password:
            self.user = authenticate(self.request, email=email.lower(), password=password)
            if self.user is None or not self.user.is_active:
                # One message for both cases: do not reveal which addresses have accounts.
                raise forms.ValidationError(
                    _("E-Mail-Adresse oder Passwort sind nicht richtig."), code="invalid_login"
                )
        return self.cleaned_data


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Sicherheitscode aus Ihrer Authenticator-App"),
        max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "pattern": "[0-9]{6}", "autofocus": True}),
    )
