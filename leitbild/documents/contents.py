"""The sections a document is made of, contributed by the apps that own the data.

``documents`` imports no domain app. An app with something to say in a document registers a
builder in its ``AppConfig.ready``::

    register_section("strategy", key="leitlinien", order=30, title=_("Leitlinien"),
                     build=leitlinien_section)

``build(context)`` returns the :class:`~leitbild.documents.model.Section` (without title:
the registry sets it) or ``None`` when there is no data for it: then the section is left out.
The Redaktion's arrangement (``DocumentText``) reorders, drops and introduces sections.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .model import Section


@dataclass(frozen=True)
class SectionSpec:
    key: str
    order: int
    title: Callable[[], str] | Any  # a lazy translation
    build: Callable[[Any], Section | None]
    editable_text: bool = True


_SECTIONS: dict[str, dict[str, SectionSpec]] = {}


def register_section(
    document: str,
    *,
    key: str,
    order: int,
    title,
    build: Callable[[Any], Section | None],
    editable_text: bool = True,
) -> None:
    _SECTIONS.setdefault(document, {})[key] = SectionSpec(key, order, title, build, editable_text)


def section_specs(document: str) -> list[SectionSpec]:
    """The registered sections of a kind of document, in their default order."""
    return sorted(_SECTIONS.get(document, {}).values(), key=lambda s: (s.order, s.key))
