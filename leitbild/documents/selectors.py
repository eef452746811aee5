"""Reads: a document's arrangement and its generated files."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings

from .contents import SectionSpec, section_specs
from .model import Paragraph, Section
from .models import DocumentText, GeneratedDocument


def arrangement(document: str, scope: str) -> list[tuple[SectionSpec, DocumentText | None]]:
    """The registered sections in the Redaktion's order (new ones at their default place)."""
    texts = {t.key: t for t in DocumentText.objects.filter(scope=scope)}
    specs = section_specs(document)
    default = {spec.key: k for k, spec in enumerate(specs)}

    def place(spec: SectionSpec) -> tuple[int, int]:
        text = texts.get(spec.key)
        return (text.position if text else default[spec.key] * 10, default[spec.key])

    return [(spec, texts.get(spec.key)) for spec in sorted(specs, key=place)]


def sections(document: str, scope: str, context: Any) -> list[Section]:
    """The document's chapters: built by their apps, arranged and introduced by the Redaktion;
    a chapter without data (its builder returns None) and without text is left out."""
    chapters = []
    for spec, text in arrangement(document, scope):
        if text is not None and not text.included:
            continue
        section = spec.build(context)
        intro = text.text.strip() if text else ""
        if section is None:
            if not intro:
                continue
            section = Section(spec.key, "")
        section.key = spec.key
        section.title = str(spec.title)
        if intro:
            section.blocks.insert(0, Paragraph(intro))
        chapters.append(section)
    return chapters


def generated(
    *, subjects: Iterable[str], kind: str | None = None
) -> dict[str, dict[tuple[str, str], Any]]:
    """subject → {(kind, format) → GeneratedDocument}, in one query."""
    rows = GeneratedDocument.objects.filter(subject__in=list(subjects))
    if kind:
        rows = rows.filter(kind=kind)
    found: dict[str, dict[tuple[str, str], Any]] = {}
    for row in rows.order_by("kind", "format"):
        found.setdefault(row.subject, {})[(row.kind, row.format)] = row
    return found


def file_path(row: GeneratedDocument) -> Path:
    return Path(settings.LEITBILD_PRIVATE_DIR) / "documents" / row.stored_as
