"""The audit log: every staff write calls ``audit_record`` inside its transaction.

Actions are enumerations, not free strings: each app declares its ``models.TextChoices`` of
actions (values like ``"strategy.goal.update"``, labels translated) in its ``audit.py`` and
registers them in ``AppConfig.ready`` with ``register_actions``; ``audit_record`` refuses an
action nobody registered, and the audit log page shows
``action_label``. ``core`` itself registers ``CoreAction``; it never imports a domain app.

A write that validates, saves and records one object calls ``audited_save``.
"""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry


def snapshot(obj: models.Model | None, *, exclude: tuple[str, ...] = ()) -> dict[str, Any] | None:
    """A JSON-safe copy of a model's own fields, for the before/after of an audit entry."""
    if obj is None:
        return None
    data = model_to_dict(obj, exclude=["password", *exclude])
    for field in obj._meta.concrete_fields:
        if field.name not in data and field.name not in exclude and field.name != "password":
            data[field.name] = field.value_from_object(obj)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))


_ACTIONS: dict[str, Any] = {}


def register_actions(choices: type[models.TextChoices]) -> None:
    """Make an app's audit actions known (call from ``AppConfig.ready``)."""
    for member in choices:
        known = _ACTIONS.get(member.value)
        if known is not None and known is not member.label:
            raise ValueError(f"audit action {member.value!r} registered twice")
        _ACTIONS[member.value] = member.label


def action_label(value: str) -> str:
    """The readable, translated name of an action; an unknown (old) value as it is."""
    label = _ACTIONS.get(value)
    return str(label) if label is not None else value


def registered_actions() -> dict[str, Any]:
    return dict(_ACTIONS)


class CoreAction(models.TextChoices):
    PAGE_UPDATE = "page.update", _("Rechtliche Seite geändert")
    EMAIL_FAILURES_DISMISS = "email.failures_dismiss", _("Fehlgeschlagene E-Mails verworfen")
    ADMIN_ADD = "admin.add", _("In der Verwaltungsoberfläche angelegt")
    ADMIN_CHANGE = "admin.change", _("In der Verwaltungsoberfläche geändert")
    ADMIN_DELETE = "admin.delete", _("In der Verwaltungsoberfläche gelöscht")
    LETTER_SENDER_UPDATE = "site.letter_sender", _("Absender der Briefe geändert")


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    if str(action) not in _ACTIONS:
        raise ValueError(f"audit action {action!r} is not registered (see register_actions)")
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_label=(actor.email if authenticated else "System")[:254],
        action=str(action),
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:300],
        before=before,
        after=after,
    )


def audited_save(
    *,
    actor,
    obj: models.Model,
    action: str,
    before: dict | None,
    values: dict[str, Any] | None = None,
    validate_unique: bool = True,
    validate_constraints: bool = True,
) -> Any:
    """Sets ``values`` on ``obj``, validates it (``full_clean``), saves it and records
    ``action`` with ``before`` and the saved state; returns ``obj``.

    Call inside the service's transaction, with ``before`` taken before any change (``None``
    for a new object). A service that checks uniqueness or constraints itself, with a better
    message, switches Django's check off.
    """
    for name, value in (values or {}).items():
        setattr(obj, name, value)
    obj.full_clean(validate_unique=validate_unique, validate_constraints=validate_constraints)
    obj.save()
    audit_record(actor=actor, action=action, obj=obj, before=before, after=snapshot(obj))
    return obj
