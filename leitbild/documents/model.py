"""One document model, three outputs: the web page, an accessible PDF and an editable DOCX.

A :class:`Document` is plain data: sections with headings and blocks (paragraphs, lists,
tables, figures, definitions). Every text in it is plain text, never markup: the renderers
escape it (HTML, PDF) or write it as text runs (DOCX), so an idea title with ``<script>``
appears as those characters. Charts are SVG produced by ``core.charts`` (which escapes its
labels) and always come with their alternative text and the table of their data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str


@dataclass(frozen=True)
class Bullets:
    kind: ClassVar[str] = "bullets"
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()  # columns aligned right


@dataclass(frozen=True)
class Figure:
    kind: ClassVar[str] = "figure"
    svg: str  # from core.charts: self-contained, escaped
    alt: str
    caption: str
    data: Table | None = None  # the chart's figures, shown under it


@dataclass(frozen=True)
class Definitions:
    kind: ClassVar[str] = "definitions"
    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Note:
    kind: ClassVar[str] = "note"
    text: str


Block = Paragraph | Bullets | Table | Figure | Definitions | Note


@dataclass
class Section:
    key: str  # stable: anchors, the Redaktion's order and texts refer to it
    title: str
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    def walk(self, level: int = 1):
        yield level, self
        for child in self.children:
            yield from child.walk(level + 1)


@dataclass
class Document:
    title: str
    subtitle: str
    lang: str
    draft: bool  # "ENTWURF" on every page
    facts: list[tuple[str, str]]  # the title page: city, edition, version, status, date
    sections: list[Section]
    running_head: str = ""
    compact: bool = False  # a short paper: no table of contents, no title page of its own

    def walk(self):
        for section in self.sections:
            yield from section.walk()

    def figures(self) -> list[Figure]:
        return [b for _, s in self.walk() for b in s.blocks if isinstance(b, Figure)]
