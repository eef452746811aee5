"""Refusals: the one exception hierarchy for "the rules say no", mapped to HTTP in one place.

A service raises a ``Refusal`` subclass with a message for the person (translated, safe to
show) and a machine ``code``; ``field`` names the form field or API parameter it is about.
Views that can show the message next to a field catch it (``form.add_error(exc.field, exc)``);
everything else reaches ``core.middleware.RefusalMiddleware`` (pages) or the handler in
``leitbild/api.py`` (API), which answer with ``status`` — never a 500.

Programming errors stay ``ValueError``/``TypeError``: a refusal is something a user can cause.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class Refusal(Exception):
    """The rules refuse this request. ``str(exc)`` is the message for the person."""

    status = 400
    code = "refused"
    default_message = _("Das ist so nicht möglich.")

    def __init__(self, message=None, *, code: str | None = None, field: str | None = None):
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.field = field
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


class InvalidInput(Refusal):
    """The input breaks a rule (a value out of range, a sum that does not add up)."""

    status = 400
    code = "invalid"
    default_message = _("Die Eingabe ist ungültig.")


class NotAllowed(Refusal):
    """This person may not do this (now)."""

    status = 403
    code = "not_allowed"
    default_message = _("Das ist Ihnen nicht erlaubt.")


class NotFound(Refusal):
    status = 404
    code = "not_found"
    default_message = _("Nicht gefunden.")


class Conflict(Refusal):
    """The state has moved on: a frozen record, a stale form, a second submission."""

    status = 409
    code = "conflict"
    default_message = _("Das wurde inzwischen geändert. Bitte laden Sie die Seite neu.")
