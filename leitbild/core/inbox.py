"""The staff home as a work inbox, contributed by the apps.

``core`` never imports a domain app: each app registers in its ``AppConfig.ready`` the areas
it offers staff and the entries of the inbox it knows about::

    register_staff_area(order=30, label=_("Beteiligung"), url_name="participation:staff_index")
    register_inbox(order=10, roles=(Role.MODERATOR,), entries=moderation_entries)

An area is offered only to whom its view admits (what ``staff_view`` declared on it, the same
declaration ``core/tests/access_table.py`` checks), so a role is never offered a page that
answers 403. ``entries(user)`` is called only for a user holding one of ``roles``
(Administration holds all) and returns ``InboxEntry`` rows; it must make a constant number of
queries whatever the number of rows (one aggregate query is the rule).
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.urls import NoReverseMatch, resolve, reverse

from .roles import Role, has_role


class Section(StrEnum):
    WAITS = "waits"  # what waits for me: counts linked to the queue
    RUNS = "runs"  # what runs: phases open now, background tasks with their progress
    FAILED = "failed"  # what failed: e-mails, tasks
    AREAS = "areas"  # a page of its own to open, listed with the areas (e.g. one decision)


@dataclass(frozen=True)
class InboxEntry:
    section: Section
    label: str
    url: str
    count: int | None = None  # shown as a number before the label
    detail: str = ""  # e.g. "bis 15.10.2026" or "3 von 10"
    done: int | None = None  # progress of a task: a bar when total is known
    total: int | None = None


@dataclass(frozen=True)
class _Source:
    order: int
    roles: tuple[str, ...]
    entries: Callable[[object], list[InboxEntry]]


@dataclass(frozen=True)
class StaffArea:
    order: int
    label: str
    url_name: str


_SOURCES: dict[str, _Source] = {}
_AREAS: dict[str, StaffArea] = {}


def register_inbox(
    *, order: int, roles: tuple[str, ...], entries: Callable[[object], list[InboxEntry]]
) -> None:
    """``roles`` empty: every staff member."""
    key = f"{entries.__module__}.{entries.__qualname__}"
    _SOURCES[key] = _Source(order=order, roles=tuple(roles), entries=entries)


def register_staff_area(*, order: int, label, url_name: str) -> None:
    _AREAS[url_name] = StaffArea(order=order, label=label, url_name=url_name)


def may_open(user, url_name: str) -> bool:
    """True if ``user`` passes the access ``url_name``'s view declares (a URL without
    parameters)."""
    try:
        view = resolve(reverse(url_name)).func
    except NoReverseMatch:
        return False
    # A view without a declaration is Django's admin: Administration only.
    kind, roles = getattr(view, "leitbild_access", ("staff", (Role.ADMIN,)))
    if kind == "public":
        return True
    if roles:
        return has_role(user, *roles)
    return bool(getattr(user, "roles", None)) and user.is_active


def staff_areas(user) -> list[tuple[str, str]]:
    """(label, URL) of every area ``user`` may open, in order."""
    return [
        (str(area.label), reverse(area.url_name))
        for area in sorted(_AREAS.values(), key=lambda a: a.order)
        if may_open(user, area.url_name)
    ]


def staff_inbox(user) -> dict[str, list[InboxEntry]]:
    """The inbox of ``user``: section → entries, each section in the apps' order."""
    found: dict[str, list[InboxEntry]] = {section.value: [] for section in Section}
    for source in sorted(_SOURCES.values(), key=lambda s: s.order):
        if source.roles and not has_role(user, *source.roles):
            continue
        if not source.roles and not user.roles:
            continue
        for entry in source.entries(user):
            found[Section(entry.section).value].append(entry)
    return found
