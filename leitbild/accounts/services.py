from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from leitbild.core.audit import audit_record
from leitbild.core.errors import NotAllowed
from leitbild.core.roles import Role

from .audit import AccountAction
from .models import RoleAssignment, User


@transaction.atomic
def user_create(
    *,
    actor,
    email: str,
    password: str | None,
    name: str = "",
    roles: Sequence[str] = (),
    is_active: bool = True,
) -> User:
    """A new staff account. A password chosen by Administration (``actor``) is a first
    password only: its holder must change it before using the staff area."""
    user = User.objects.create_user(
        email=email,
        password=password,
        name=name,
        is_active=is_active,
        must_change_password=actor is not None and bool(password),
    )
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role)
    audit_record(
        actor=actor,
        action=AccountAction.USER_CREATE,
        obj=user,
        after={"email": user.email, "name": name, "roles": sorted(roles), "is_active": is_active},
    )
    return user


@transaction.atomic
def password_change(*, user: User, form) -> User:
    """Saves Django's PasswordChangeForm; the audit entry never holds the password. A first
    password is replaced, so the staff area opens."""
    user.must_change_password = False
    form.save()
    audit_record(actor=user, action=AccountAction.PASSWORD_CHANGE, obj=user)
    return user


@transaction.atomic
def user_update(*, actor, user: User, name: str, is_active: bool, roles: list[str]) -> User:
    if user == actor and (not is_active or Role.ADMIN not in roles):
        # Nobody locks themselves out of administration by accident.
        raise NotAllowed(
            _("Sie können sich nicht selbst die Administration entziehen."),
            code="user.self_lockout",
            field="roles",
        )
    before = {"name": user.name, "is_active": user.is_active, "roles": sorted(user.roles)}
    user.name = name
    user.is_active = is_active
    user.save(update_fields=["name", "is_active"])
    RoleAssignment.objects.filter(user=user).exclude(role__in=roles).delete()
    for role in roles:
        RoleAssignment.objects.get_or_create(user=user, role=role)
    user.__dict__.pop("roles", None)
    audit_record(
        actor=actor,
        action=AccountAction.USER_UPDATE,
        obj=user,
        before=before,
        after={"name": name, "is_active": is_active, "roles": sorted(roles)},
    )
    return user


def totp_device_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed TOTP device; an earlier unconfirmed one is replaced."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action=AccountAction.TOTP_ENABLE, obj=user)
    return True


@transaction.atomic
def totp_device_remove(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=user, action=AccountAction.TOTP_DISABLE, obj=user)
