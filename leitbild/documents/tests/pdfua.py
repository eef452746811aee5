"""Checks of a PDF's accessibility structure with pikepdf, shared by the document tests."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pikepdf


@dataclass
class Structure:
    lang: str
    marked: bool
    display_doc_title: bool
    title: str
    tags: Counter
    figures_without_alt: int
    bookmarks: list[str]
    pages: int
    untagged_text_pages: list[int]
    text: str


def _walk(node, tags: Counter, missing_alt: list[int]) -> None:
    if isinstance(node, pikepdf.Dictionary) and "/S" in node:
        tag = str(node.S)
        tags[tag] += 1
        if tag == "/Figure" and not str(node.get("/Alt", "")).strip():
            missing_alt.append(1)
    kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
    if isinstance(kids, pikepdf.Array):
        for kid in kids:
            _walk(kid, tags, missing_alt)
    elif isinstance(kids, pikepdf.Dictionary):
        _walk(kids, tags, missing_alt)


def _outline_titles(pdf: pikepdf.Pdf) -> list[str]:
    with pdf.open_outline() as outline:
        titles: list[str] = []

        def visit(items):
            for item in items:
                titles.append(str(item.title))
                visit(item.children)

        visit(outline.root)
        return titles


def _untagged_text(page) -> bool:
    """Text shown outside marked content (neither a structure element nor an artifact)."""
    depth = 0
    for instruction in pikepdf.parse_content_stream(page):
        op = str(instruction.operator)
        if op in ("BDC", "BMC"):
            depth += 1
        elif op == "EMC":
            depth -= 1
        elif op in ("Tj", "TJ", "'", '"') and depth == 0:
            return True
    return False


def _get(dictionary: Any, key: str) -> Any:
    return dictionary.get(key, False) if dictionary is not None else False


def structure(data: bytes) -> Structure:
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root
    tags: Counter = Counter()
    missing: list[int] = []
    _walk(root.StructTreeRoot, tags, missing)
    preferences: Any = root.get("/ViewerPreferences") or {}
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return Structure(
        lang=str(root.get("/Lang", "")),
        marked=bool(_get(root.get("/MarkInfo"), "/Marked")),
        display_doc_title=bool(preferences.get("/DisplayDocTitle", False)),
        title=str(pdf.docinfo.get("/Title", "")),
        tags=tags,
        figures_without_alt=len(missing),
        bookmarks=_outline_titles(pdf),
        pages=len(pdf.pages),
        untagged_text_pages=[k for k, page in enumerate(pdf.pages) if _untagged_text(page)],
        text="\n".join(page.extract_text() for page in reader.pages),
    )
