from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from . import throttle

THROTTLED_MESSAGE = _(
    "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie 15 Minuten "
    "und versuchen Sie es dann erneut."
)


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        email = self.cleaned_data.get("email")
        password = self.cleaned_data.get("password")
        if email and password:
            if throttle.login_blocked(self.request, step="password", account=email):
                raise forms.ValidationError(THROTTLED_MESSAGE, code="throttled")
            self.user = authenticate(self.request, email=email.lower(), password=password)
            if self.user is None or not self.user.is_active:
                throttle.login_failed(self.request, step="password", account=email)
                # One message for both cases: do not reveal which addresses have accounts.
                raise forms.ValidationError(
                    _("E-Mail-Adresse oder Passwort sind nicht richtig."), code="invalid_login"
                )
        return self.cleaned_data


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Sicherheitscode aus Ihrer Authenticator-App"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]{6}",
                "autofocus": True,
            }
        ),
    )


class UserForm(forms.Form):
    """Administration creates staff accounts and assigns roles."""

    email = forms.EmailField(label=_("E-Mail-Adresse"))
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    roles = forms.MultipleChoiceField(
        label=_("Rollen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("aktiv"), required=False, initial=True)
    password = forms.CharField(
        label=_("Erstes Passwort"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Mindestens 12 Zeichen. Die Person ändert es nach der ersten Anmeldung."),
    )

    def __init__(self, *args, user=None, **kwargs):
        from leitbild.core.roles import Role

        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["roles"].choices = Role.choices
        if user is not None:
            del self.fields["password"]
            self.fields["email"].disabled = True
        else:
            self.fields["password"].required = True

    def clean_email(self):
        from .models import User

        email = self.cleaned_data["email"].lower()
        if self.user is None and User.objects.filter(email=email).exists():
            raise forms.ValidationError(_("Für diese E-Mail-Adresse gibt es schon ein Konto."))
        return email

    def clean_password(self):
        from django.contrib.auth.password_validation import validate_password

        password = self.cleaned_data.get("password")
        if password:
            validate_password(password)
        return password
