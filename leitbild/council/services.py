"""Writes of the council office: the council paper's texts and files."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from leitbild.core.audit import audit_record
from leitbild.documents.models import DocumentKind, DocumentText
from leitbild.documents.services import document_store
from leitbild.strategy.document import subject
from leitbild.strategy.models import StrategyVersion

from . import paper
from .audit import CouncilAction


@transaction.atomic
def paper_texts_save(*, actor, version: StrategyVersion, texts: dict[str, str]) -> None:
    """Stores the edited Betreff, Beschlussvorschlag and Sachverhalt; an emptied text goes
    back to the generated one."""
    for position, key in enumerate(paper.TEXT_KEYS):
        DocumentText.objects.update_or_create(
            scope=paper.scope(version),
            key=key,
            defaults={"position": position, "text": texts.get(key, "").strip()},
        )
    audit_record(
        actor=actor,
        action=CouncilAction.PAPER_TEXTS,
        obj=version,
        after={key: texts.get(key, "")[:200] for key in paper.TEXT_KEYS},
    )


def paper_generate(*, actor, version: StrategyVersion, report=None) -> list:
    if report:
        report(0)
    document = paper.council_paper(version)
    steps = iter(range(1, 3))
    rows = document_store(
        actor=actor,
        subject=subject(version),
        kind=DocumentKind.COUNCIL_PAPER,
        document=document,
        basename=f"{version.strategy.slug}-v{version.number}-beschlussvorlage",
        report=(lambda _fmt: report(next(steps))) if report else None,
    )
    audit_record(
        actor=actor,
        action=CouncilAction.PAPER_GENERATE,
        obj=version,
        after={row.format: row.sha256 for row in rows},
    )
    return rows


def paper_generate_start(*, actor, version: StrategyVersion):
    from leitbild.core.progress import progress_start

    from .tasks import council_paper_task

    return progress_start(
        label=_("Beschlussvorlage erzeugen: Version %(number)d") % {"number": version.number},
        started_by=actor,
        task=council_paper_task,
        args=(version.pk,),
    )
