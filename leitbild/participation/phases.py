"""Who owns which kind of phase (the phase registry, after adhocracy4).

Every kind of ``Phase`` belongs to one app: the idea call owns "ideas" and "information",
consultation owns "weighting" and "survey". Each app registers its kinds in its
``AppConfig.ready`` with a *guard*: a function that says why another app may not delete a
phase of that kind or change its kind. Services of the other apps ask
:func:`phase_change_refusal` before they do either, so that, for example, the idea call's
phase pages cannot delete a weighting with its ballots behind consultation's back.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

DELETE = "delete"
CHANGE_KIND = "change_kind"

# guard(phase, action) -> a message for staff if the action is refused, else None.
Guard = Callable[[object, str], str | None]
# ready(phases) -> the ids of those phases (all of the owner's kind) that are set up enough to be
# linked publicly, e.g. a weighting phase only once its ballot is configured.
Ready = Callable[[list], set[int]]


@dataclass(frozen=True)
class PhaseKind:
    kind: str
    owner: str  # the label of the owning app
    guard: Guard | None
    ready: Ready | None = None


_registry: dict[str, PhaseKind] = {}


def register_phase_kind(
    kind: str, owner_app: str, guard: Guard | None = None, ready: Ready | None = None
) -> None:
    """Declare that ``owner_app`` owns phases of ``kind``. A kind has one owner."""
    known = _registry.get(kind)
    if known is not None and known.owner != owner_app:
        raise ValueError(f"Phase kind {kind!r} is already owned by {known.owner!r}.")
    _registry[kind] = PhaseKind(kind, owner_app, guard, ready)


def phases_ready(phases) -> set[int]:
    """The ids of ``phases`` that may be linked publicly: every phase of a kind without a
    ``ready`` check, and those its owner says are set up (one call per owner's check)."""
    phases = list(phases)
    ready: set[int] = set()
    checks: dict[Ready, list] = {}
    for phase in phases:
        entry = _registry.get(phase.kind)
        if entry is None or entry.ready is None:
            ready.add(phase.pk)
        else:
            checks.setdefault(entry.ready, []).append(phase)
    for check, owned in checks.items():
        ready.update(check(owned))
    return ready


def phase_kind_owner(kind: str) -> str | None:
    known = _registry.get(kind)
    return known.owner if known else None


def registered_kinds() -> dict[str, str]:
    return {kind: entry.owner for kind, entry in _registry.items()}


def phase_change_refusal(*, phase, action: str, app: str) -> str | None:
    """Why ``app`` may not do ``action`` (DELETE or CHANGE_KIND) to ``phase``, or None.

    The owner of a kind answers for its phases; a kind nobody registered is refused to
    everyone, so that a new kind is protected before its app remembers to say so.
    """
    entry = _registry.get(phase.kind)
    if entry is None:
        return f"Phase kind {phase.kind!r} has no registered owner."
    if entry.owner == app or entry.guard is None:
        return None
    return entry.guard(phase, action)


def phase_change_check(*, phase, action: str, app: str) -> None:
    """Raise ``ValidationError`` (on the field "kind" for a kind change) if refused."""
    message = phase_change_refusal(phase=phase, action=action, app=app)
    if message:
        raise ValidationError({"kind": message} if action == CHANGE_KIND else message)
