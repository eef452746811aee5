import segno
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from leitbild.core.errors import Refusal
from leitbild.core.forms import add_service_errors
from leitbild.core.permissions import public_view, staff_view
from leitbild.core.roles import Role

from . import services, throttle
from .forms import THROTTLED_MESSAGE, LoginForm, TokenForm, UserForm
from .models import User

PENDING_KEY = "leitbild_pending_user"
NEXT_KEY = "leitbild_pending_next"


def _next_url(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/verwaltung/"


@sensitive_post_parameters("password")
@public_view
def login_view(request):
    form = LoginForm(request, data=request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next")
    if request.method == "POST" and form.is_valid():
        user = form.user
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            request.session[PENDING_KEY] = user.pk
            request.session[NEXT_KEY] = _next_url(request, next_url)
            return redirect("accounts:login_code")
        login(request, user)
        return redirect(_next_url(request, next_url))
    return render(request, "accounts/login.html", {"form": form, "next": next_url or ""})


@public_view
def login_code(request):
    user_id = request.session.get(PENDING_KEY)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        allowed, details = device.verify_is_allowed() if device else (False, None)
        if throttle.login_blocked(request, step="totp", account=user.email):
            form.add_error("token", THROTTLED_MESSAGE)
        elif device is not None and not allowed:
            form.add_error(
                "token",
                _(
                    "Zu viele Versuche. Bitte warten Sie einen Moment und "
                    "versuchen Sie es dann erneut."
                ),
            )
        elif device is not None and device.verify_token(form.cleaned_data["token"]):
            next_url = request.session.pop(NEXT_KEY, "/verwaltung/")
            request.session.pop(PENDING_KEY, None)
            login(request, user)
            otp_login(request, device)
            return redirect(next_url)
        else:
            throttle.login_failed(request, step="totp", account=user.email)
            form.add_error("token", _("Der Code ist nicht gültig. Bitte versuchen Sie es erneut."))
    return render(request, "accounts/login_code.html", {"form": form})


@require_POST
@public_view
def logout_view(request):
    logout(request)
    messages.info(request, _("Sie sind abgemeldet."))
    return redirect("core:home")


@staff_view()
def account(request):
    has_totp = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    return render(request, "accounts/account.html", {"has_totp": has_totp})


@sensitive_post_parameters()
@staff_view()
def password_change(request):
    """Also where a first password is replaced: every staff page leads here until then
    (``accounts.middleware``), and back to where it was asked for afterwards."""
    form = PasswordChangeForm(request.user, request.POST or None)
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    if request.method == "POST" and form.is_valid():
        user = services.password_change(user=request.user, form=form)
        update_session_auth_hash(request, user)
        messages.success(request, _("Ihr Passwort wurde geändert."))
        return redirect(target or "accounts:account")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "next": target, "first": request.user.must_change_password},
    )


@staff_view()
def totp_setup(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None or request.method == "GET":
        device = services.totp_device_start(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(
            user=request.user, device=device, token=form.cleaned_data["token"]
        ):
            otp_login(request, device)
            messages.success(request, _("Die Zwei-Faktor-Anmeldung ist eingerichtet."))
            return redirect("accounts:account")
        form.add_error("token", _("Der Code passt nicht. Prüfen Sie die Uhrzeit Ihres Geräts."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=_("QR-Code für die Authenticator-App")
    )
    import base64

    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request, "accounts/totp_setup.html", {"form": form, "qr_svg": qr_svg, "secret": secret}
    )


@require_POST
@staff_view()
def totp_remove(request):
    services.totp_device_remove(user=request.user)
    messages.success(request, _("Die Zwei-Faktor-Anmeldung ist ausgeschaltet."))
    return redirect("accounts:account")


@staff_view(Role.ADMIN)
def user_list(request):
    users = User.objects.prefetch_related("role_assignments").order_by("email")
    return render(request, "accounts/user_list.html", {"users": users})


@sensitive_post_parameters("password")
@staff_view(Role.ADMIN)
def user_create(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.user_create(
            actor=request.user,
            email=data["email"],
            password=data["password"],
            name=data["name"],
            roles=data["roles"],
            is_active=data["is_active"],
        )
        messages.success(request, _("Das Konto wurde angelegt."))
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "edited": None})


@staff_view(Role.ADMIN)
def user_edit(request, pk: int):
    from django.shortcuts import get_object_or_404

    edited = get_object_or_404(User, pk=pk)
    initial = {
        "email": edited.email,
        "name": edited.name,
        "is_active": edited.is_active,
        "roles": sorted(edited.roles),
    }
    form = UserForm(request.POST or None, initial=initial, user=edited)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                actor=request.user,
                user=edited,
                name=data["name"],
                is_active=data["is_active"],
                roles=data["roles"],
            )
        except Refusal as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Das Konto wurde gespeichert."))
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "edited": edited})
