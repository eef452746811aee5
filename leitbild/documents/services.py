"""Writes: storing generated files, and the Redaktion's arrangement of a document."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from leitbild.core.errors import InvalidInput

from .model import Document
from .models import DocumentFormat, DocumentText, GeneratedDocument
from .render import Rendered, docx_bytes, pdf_bytes

RENDERERS: dict[str, Callable[[Document], Rendered]] = {
    DocumentFormat.PDF: pdf_bytes,
    DocumentFormat.DOCX: docx_bytes,
}


def storage_dir() -> Path:
    return Path(settings.LEITBILD_PRIVATE_DIR) / "documents"


def document_store(
    *,
    actor,
    subject: str,
    kind: str,
    document: Document,
    basename: str,
    report: Callable[[int], None] | None = None,
) -> list[GeneratedDocument]:
    """Renders ``document`` as PDF and DOCX and stores both for ``subject``.

    All-or-nothing: both files are rendered in memory first; if either fails, the previous
    files and rows stay as they were. Each file is stored under a name with its checksum
    (written to a temporary name, then renamed), so the rows point either to the old complete
    files or to the new complete ones; the old files are removed once the rows are committed.
    """
    rendered: dict[str, Rendered] = {}
    for step, (fmt, render) in enumerate(RENDERERS.items(), start=1):
        if report:
            report(step)  # 1 before the PDF, 2 before the DOCX
        rendered[str(fmt)] = render(document)
    folder = storage_dir()
    folder.mkdir(parents=True, exist_ok=True)
    digests = {fmt: hashlib.sha256(r.data).hexdigest() for fmt, r in rendered.items()}
    new_files = []
    for fmt, result in rendered.items():
        final = folder / f"{basename}-{digests[fmt][:16]}.{fmt}"
        temporary = final.with_name(final.name + ".tmp")
        temporary.write_bytes(result.data)
        temporary.replace(final)
        new_files.append(final)
    now = timezone.now()
    try:
        with transaction.atomic():
            old = {
                row.stored_as
                for row in GeneratedDocument.objects.select_for_update().filter(
                    subject=subject, kind=kind
                )
            }
            rows = [
                GeneratedDocument.objects.update_or_create(
                    subject=subject,
                    kind=kind,
                    format=fmt,
                    defaults={
                        "filename": f"{basename}.{fmt}",
                        "stored_as": f"{basename}-{digests[fmt][:16]}.{fmt}",
                        "sha256": digests[fmt],
                        "size": len(result.data),
                        "pages": result.pages,
                        "generated_at": now,
                        "generated_by": actor
                        if getattr(actor, "is_authenticated", False)
                        else None,
                    },
                )[0]
                for fmt, result in rendered.items()
            ]
            stale = old - {row.stored_as for row in rows}
            transaction.on_commit(lambda: _remove(folder, stale))
    except BaseException:
        kept = {row.stored_as for row in GeneratedDocument.objects.filter(subject=subject)}
        for path in new_files:
            if path.name not in kept:
                path.unlink(missing_ok=True)
        raise
    return rows


def _remove(folder: Path, names: Iterable[str]) -> None:
    for name in names:
        (folder / name).unlink(missing_ok=True)


@dataclass(frozen=True)
class Arrangement:
    key: str
    position: int
    included: bool
    text: str


def arrangement_save(*, scope: str, known: Iterable[str], rows: Iterable[Arrangement]) -> None:
    """Stores the order, inclusion and introductions of a document's sections."""
    known = set(known)
    rows = list(rows)
    unknown = [row.key for row in rows if row.key not in known]
    if unknown:
        raise InvalidInput(f"unknown sections: {', '.join(unknown)}", field="sections")
    with transaction.atomic():
        for row in rows:
            DocumentText.objects.update_or_create(
                scope=scope,
                key=row.key,
                defaults={"position": row.position, "included": row.included, "text": row.text},
            )
