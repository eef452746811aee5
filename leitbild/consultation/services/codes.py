"""Participation codes (staff): generated in batches, hashes in the database, plain codes only
in a private file (CSV for mail merge, PDF letters) until staff delete it."""

import csv
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from leitbild.core.audit import audit_record
from leitbild.core.selectors import site_letter_sender
from leitbild.documents.letters import (
    Sender,
    generate_codes,
    hash_code,
    letters_pdf,
    write_codes_csv,
)
from leitbild.participation.models import Phase

from ..audit import ConsultationAction
from ..models import (
    CodeBatch,
    ParticipationCode,
)
from .ballot_box import _shuffle

MAX_CODES = 100_000


def private_dir() -> Path:
    """Where the plain codes of a batch live until staff delete them: never under MEDIA."""
    base = getattr(settings, "LEITBILD_PRIVATE_DIR", "") or settings.DATA_DIR / "private"
    path = Path(base) / "codes"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def batch_file(batch: CodeBatch, fmt: str) -> Path:
    if fmt not in ("csv", "pdf"):
        raise ValueError(fmt)
    return private_dir() / f"codes-{batch.phase_id}-{batch.pk}.{fmt}"


def participation_url(phase: Phase) -> str:
    name = "consultation:ballot" if phase.kind == Phase.Kind.WEIGHTING else "consultation:survey"
    return settings.SITE_URL + reverse(name, args=[phase.pk])


def _write_private(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.touch(mode=0o600)
    temporary.write_bytes(data)
    temporary.replace(path)


@transaction.atomic
def codes_generate(*, actor, phase: Phase, count: int) -> CodeBatch:
    """Generate ``count`` single-use codes: hashes into the database, plain codes into the
    batch's private CSV file (for mail merge and the letters)."""
    if not 1 <= count <= MAX_CODES:
        raise ValidationError({"count": _("Zwischen 1 und %(max)d Codes.") % {"max": MAX_CODES}})
    codes = generate_codes(count)
    batch = CodeBatch.objects.create(phase=phase, count=count, created_by=actor)
    # Stored in random order, not in the order of the letters: otherwise ids (and the
    # physical order of rows) would equal the mail merge order of the CSV file.
    rows = [
        ParticipationCode(phase=phase, batch=batch, code_hash=hash_code(code)) for code in codes
    ]
    _shuffle(rows)
    ParticipationCode.objects.bulk_create(rows, batch_size=5000)
    import io

    out = io.StringIO(newline="")
    write_codes_csv(codes, out, url=participation_url(phase))
    _write_private(batch_file(batch, "csv"), out.getvalue().encode("utf-8"))
    batch.has_csv = True
    batch.save(update_fields=["has_csv"])
    audit_record(
        actor=actor,
        action=ConsultationAction.CODES_GENERATE,
        obj=batch,
        after={"phase": phase.pk, "count": count},
    )
    return batch


def batch_codes(batch: CodeBatch) -> list[str]:
    with batch_file(batch, "csv").open(newline="", encoding="utf-8") as handle:
        return [row["code"] for row in csv.DictReader(handle)]


def letter_sender() -> Sender:
    """The city and the unit that sign the letters (settings, else the site setting)."""
    return Sender(city=settings.LEITBILD_CITY_NAME, **site_letter_sender())


def codes_letters_build(*, batch: CodeBatch, report=None) -> Path:
    """Render the batch's letters to its private PDF (≈0.1 s a letter; see ``tasks``).

    The URL is ``SITE_URL``'s; the letters are dated the day they are rendered."""
    phase = Phase.objects.select_related("process").get(pk=batch.phase_id)
    codes = batch_codes(batch)
    sender = letter_sender()
    with translation.override("de"):
        deadline = date_format(timezone.localtime(phase.ends_at), "j. F Y")
    chunk = 200
    if report is None or len(codes) <= chunk:
        pdf = letters_pdf(
            codes,
            url=participation_url(phase),
            process_title=phase.process.title,
            deadline=deadline,
            sender=sender,
        )
    else:
        # One PDF in parts so that the progress bar moves; pypdf-free: WeasyPrint documents
        # of the parts are joined page by page.
        from weasyprint import HTML

        from leitbild.documents.letters import letters_html

        documents = []
        for start in range(0, len(codes), chunk):
            html = letters_html(
                codes[start : start + chunk],
                url=participation_url(phase),
                process_title=phase.process.title,
                deadline=deadline,
                sender=sender,
            )
            documents.append(HTML(string=html).render())
            report(done=min(start + chunk, len(codes)), total=len(codes))
        pages = [page for document in documents for page in document.pages]
        pdf = documents[0].copy(pages).write_pdf(pdf_variant="pdf/ua-1")
    path = batch_file(batch, "pdf")
    _write_private(path, pdf)
    CodeBatch.objects.filter(pk=batch.pk).update(has_pdf=True)
    batch.has_pdf = True
    return path


@transaction.atomic
def codes_files_delete(*, actor, batch: CodeBatch) -> CodeBatch:
    for fmt in ("csv", "pdf"):
        batch_file(batch, fmt).unlink(missing_ok=True)
    CodeBatch.objects.filter(pk=batch.pk).update(
        has_csv=False, has_pdf=False, files_deleted_at=timezone.now()
    )
    batch.refresh_from_db()
    audit_record(actor=actor, action=ConsultationAction.CODES_FILES_DELETE, obj=batch)
    return batch
