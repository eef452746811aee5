"""Writes of the council office: the council paper's texts and files, the consultation
sequence and amendments, the OParl endpoint and links to papers (the sync itself:
``oparl/sync.py``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from leitbild.core.audit import audit_record, audited_save, snapshot
from leitbild.core.progress import progress_start
from leitbild.documents.models import DocumentKind, DocumentText
from leitbild.documents.services import document_store
from leitbild.strategy import services as strategy_services
from leitbild.strategy.document import subject
from leitbild.strategy.models import StrategyVersion

from . import paper
from .audit import CouncilAction
from .models import (
    ADOPTING_RESULTS,
    Amendment,
    Body,
    ConsultationStep,
    OParlObject,
    OParlSource,
    PaperLink,
)


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
    rows = document_store(
        actor=actor,
        subject=subject(version),
        kind=DocumentKind.COUNCIL_PAPER,
        document=document,
        basename=f"{version.strategy.slug}-v{version.number}-beschlussvorlage",
        report=report,
    )
    audit_record(
        actor=actor,
        action=CouncilAction.PAPER_GENERATE,
        obj=version,
        after={row.format: row.sha256 for row in rows},
    )
    return rows


def paper_generate_start(*, actor, version: StrategyVersion):

    from .tasks import council_paper_task

    return progress_start(
        label=_("Beschlussvorlage erzeugen: Version %(number)d") % {"number": version.number},
        started_by=actor,
        task=council_paper_task,
        args=(version.pk,),
    )


# --- The consultation sequence -------------------------------------------------------------


@transaction.atomic
def body_save(*, actor, body: Body | None = None, name: str, kind: str, decides: bool) -> Body:
    """Adds a body to the managed list (or changes one)."""
    before = snapshot(body)
    body = body or Body(order=(Body.objects.aggregate(n=Max("order"))["n"] or 0) + 1)
    return audited_save(
        actor=actor,
        obj=body,
        action=CouncilAction.BODY_SAVE,
        before=before,
        values={"name": name.strip(), "kind": kind, "decides": decides},
    )


@transaction.atomic
def step_record(
    *,
    actor,
    version: StrategyVersion,
    body: Body,
    meeting_date: datetime.date,
    role: str,
    result: str = "",
    resolution: str = "",
    paper_reference: str = "",
    paper_url: str = "",
    step: ConsultationStep | None = None,
    source: str = ConsultationStep.Source.MANUAL,
    oparl_id: str = "",
    decisive: bool | None = None,
) -> ConsultationStep:
    """Records (or corrects) one body's deliberation of ``version``.

    A result can only be entered for a meeting that has taken place. "beschlossen" or
    "geändert beschlossen" by a body that decides adopts the version through
    ``strategy.services.version_set_status`` (the one adoption mechanism), dated on the
    meeting and referenced by the paper; a draft is put into consultation first. A step from
    the council information system (``source`` OParl) adopts when its consultation is marked
    authoritative there (``decisive``), whatever the local body's setting.
    """
    if result and meeting_date > timezone.localdate():
        raise ValidationError(
            {"result": _("Ein Ergebnis kann erst nach der Sitzung eingetragen werden.")}
        )
    adopts = result in ADOPTING_RESULTS and (body.decides if decisive is None else decisive)
    if adopts and not (paper_reference.strip() or version.decision_reference):
        raise ValidationError(
            {"paper_reference": _("Für den Beschluss braucht es die Nummer der Drucksache.")}
        )
    before = snapshot(step) if step else None
    step = step or ConsultationStep(version=version, source=source, oparl_id=oparl_id)
    step.body, step.meeting_date, step.role = body, meeting_date, role
    step.result, step.resolution = result, resolution
    step.paper_reference, step.paper_url = paper_reference.strip(), paper_url.strip()
    step.full_clean()
    step.save()
    audit_record(
        actor=actor, action=CouncilAction.STEP_RECORD, obj=step, before=before, after=snapshot(step)
    )
    if adopts and version.status != StrategyVersion.Status.ADOPTED:
        if version.status == StrategyVersion.Status.DRAFT:
            strategy_services.version_set_status(
                actor=actor, version=version, status=StrategyVersion.Status.CONSULTATION
            )
        try:
            strategy_services.version_set_status(
                actor=actor,
                version=version,
                status=StrategyVersion.Status.ADOPTED,
                decided_on=meeting_date,
                decision_reference=step.paper_reference or version.decision_reference,
            )
        except ValidationError as exc:
            # The strategy's rules (e.g. a newer version already adopted) speak for the step.
            raise ValidationError({"result": exc.messages}) from exc
    return step


@transaction.atomic
def step_delete(*, actor, step: ConsultationStep) -> None:
    audit_record(actor=actor, action=CouncilAction.STEP_DELETE, obj=step, before=snapshot(step))
    step.delete()


# --- Amendments --------------------------------------------------------------------------------


@transaction.atomic
def amendment_record(
    *, actor, version: StrategyVersion, target: str, target_label: str, text: str, reference=""
) -> Amendment:
    """An adopted amendment to ``version``: a point on the Redaktion's checklist for the next
    draft, shown beside the comparison of the versions."""
    amendment = Amendment(version=version)
    return audited_save(
        actor=actor,
        obj=amendment,
        action=CouncilAction.AMENDMENT_RECORD,
        before=None,
        values={
            "target": target,
            "target_label": target_label.strip(),
            "text": text.strip(),
            "reference": reference.strip(),
        },
    )


@transaction.atomic
def amendment_done(*, actor, amendment: Amendment, done: bool = True) -> Amendment:
    before = snapshot(amendment)
    return audited_save(
        actor=actor,
        obj=amendment,
        action=CouncilAction.AMENDMENT_DONE,
        before=before,
        values={"done_at": timezone.now() if done else None},
    )


# --- OParl: endpoint, links to papers, sync ---------------------------------------------------


def oparl_source_save(*, actor, system_url: str, check: bool = True) -> OParlSource:
    """Sets the council information system's endpoint (one per installation). With ``check``
    the System object is read first: an address that is not an OParl system is refused with
    the reason, and nothing is saved."""
    from .oparl.client import OParlClient, OParlError

    system_url = system_url.strip()
    if check:
        try:
            with OParlClient(system_url, timeout=settings.LEITBILD_OPARL_TIMEOUT, retries=1) as c:
                system = c.get_object(system_url, "System")
        except OParlError as exc:
            raise ValidationError({"system_url": f"{exc.url}: {exc.reason}"}) from None
        name = str(system.get("name", ""))[:300]
    else:
        name = ""
    with transaction.atomic():
        source = OParlSource.objects.select_for_update().first()
        before = snapshot(source) if source else None
        if source is None:
            source = OParlSource(system_url=system_url)
        elif source.system_url != system_url:  # another system: what was read of the old one goes
            source.stored.all().delete()
            source.system_url, source.body_url, source.synced_until = system_url, "", None
            source.cursor, source.status = {}, OParlSource.Status.NEW
        source.system_name = name or source.system_name
        source.full_clean()
        source.save()
        audit_record(
            actor=actor,
            action=CouncilAction.OPARL_SOURCE,
            obj=source,
            before=before,
            after=snapshot(source),
        )
        transaction.on_commit(lambda: oparl_schedule(source))
    return source


def oparl_schedule(source: OParlSource) -> None:
    """Queues the next periodic sync (``LEITBILD_OPARL_SYNC_MINUTES``); a newer schedule
    supersedes an older one, so there is one chain of syncs however often this is called."""
    from .tasks import oparl_scheduled_sync

    minutes = settings.LEITBILD_OPARL_SYNC_MINUTES
    if minutes <= 0:
        return
    run_at = timezone.now() + datetime.timedelta(minutes=minutes)
    OParlSource.objects.filter(pk=source.pk).update(next_run_at=run_at)
    oparl_scheduled_sync.using(run_after=run_at).enqueue(source.pk, run_at.isoformat())


def oparl_sync_start(*, actor, source: OParlSource, full: bool = False):
    from .tasks import oparl_sync_task

    return progress_start(
        label=_("Abgleich mit dem Ratsinformationssystem"),
        started_by=actor,
        task=oparl_sync_task,
        args=(source.pk, full),
    )


@transaction.atomic
def paper_link_save(
    *, actor, version: StrategyVersion, reference: str = "", paper: OParlObject | None = None
) -> PaperLink:
    """Links ``version`` to its paper, by reference or by a synchronised paper; its
    consultations then fill the consultation sequence (now, if the paper is known, and on
    every sync)."""
    from .oparl.sync import links_apply

    reference = (paper.reference if paper else reference).strip()
    if not reference:
        raise ValidationError({"reference": _("Geben Sie die Nummer der Drucksache an.")})
    link, _created = PaperLink.objects.update_or_create(
        version=version,
        defaults={"reference": reference[:100], "paper_oparl_id": paper.oparl_id if paper else ""},
    )
    audit_record(
        actor=actor, action=CouncilAction.PAPER_LINK, obj=link, after={"reference": reference}
    )
    source = OParlSource.objects.first()
    if source is not None:
        links_apply(source=source)
        link.refresh_from_db()
    return link


@transaction.atomic
def paper_link_delete(*, actor, link: PaperLink) -> None:
    """Ends the link; the steps read from the council system stay as they are."""
    audit_record(actor=actor, action=CouncilAction.PAPER_UNLINK, obj=link, before=snapshot(link))
    link.delete()
