"""The OParl sync (writes): System → Body → organisations, meetings, papers, consultations and
agenda items into ``OParlObject``, then the consultation sequence of every linked version.

- Incremental: after a complete run ``synced_until`` holds its start; the next run asks every
  list only for objects ``modified_since`` then. ``full=True`` reads everything again.
- Each page is validated whole by the client before anything of it is written, and written in
  one transaction; ``cursor`` then points at the next page, so an interrupted sync resumes there
  (with its original ``modified_since`` and start time) and earlier data stays intact.
- Steps entered by the Ratsbüro are never changed: a consultation for the same body and
  meeting date as a hand-entered step is left out.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Body,
    ConsultationStep,
    OParlObject,
    OParlSource,
    PaperLink,
    StepResult,
    StepRole,
)
from .client import OParlClient, OParlError, Page, type_name

log = logging.getLogger(__name__)

LISTS = ("organization", "meeting", "paper", "consultation", "agendaItem")
MAX_FETCHED = 500  # consultations and agenda items fetched one by one for linked papers
STALE_RUN = datetime.timedelta(hours=2)


class SyncRunning(Exception):
    pass


Report = Callable[[int, int | None, str], None]


# --- entry point ---------------------------------------------------------------------------------


def source_sync(
    *,
    source: OParlSource,
    full: bool = False,
    report: Report | None = None,
    client: OParlClient | None = None,
) -> OParlSource:
    """Runs one sync of ``source``; on an OParlError the source records the URL and reason
    (earlier data intact) and the error is raised again for the caller."""
    _claim(source)
    own_client = client is None
    client = client or OParlClient(source.system_url, timeout=settings.LEITBILD_OPARL_TIMEOUT)
    try:
        _run(source, client, full=full, report=report or (lambda done, total, message: None))
    except OParlError as exc:
        _fail(source, exc.url, exc.reason)
        log.warning("OParl sync failed", extra={"url": exc.url, "reason": exc.reason})
        raise
    except Exception as exc:
        _fail(source, "", _("Unerwarteter Fehler ({error}).").format(error=type(exc).__name__))
        raise
    finally:
        if own_client:
            client.close()
    return source


def _claim(source: OParlSource) -> None:
    now = timezone.now()
    claimed = (
        OParlSource.objects.filter(pk=source.pk)
        .filter(~Q(status=OParlSource.Status.RUNNING) | Q(started_at__lt=now - STALE_RUN))
        .update(status=OParlSource.Status.RUNNING, started_at=now, error="", error_url="")
    )
    if not claimed:
        raise SyncRunning(_("Ein Abgleich läuft bereits."))
    source.refresh_from_db()


def _fail(source: OParlSource, url: str, reason: str) -> None:
    source.status = OParlSource.Status.FAILED
    source.error_url, source.error = url[:1000], reason
    source.finished_at = timezone.now()
    source.save(update_fields=["status", "error_url", "error", "finished_at"])


def _run(source: OParlSource, client: OParlClient, *, full: bool, report: Report) -> None:
    cursor = dict(source.cursor or {})
    if full or not cursor:
        since = None if full or source.synced_until is None else source.synced_until.isoformat()
        started = source.started_at or timezone.now()
        cursor = {"since": since, "started_at": started.isoformat(), "list": LISTS[0]}
    lists = _body_lists(source, client)
    pages = written = 0
    resume_at = LISTS.index(cursor["list"]) if cursor["list"] in LISTS else len(LISTS)
    for index, name in enumerate(LISTS):
        if index < resume_at or name not in lists:
            continue
        start, params = (
            lists[name],
            {"modified_since": cursor["since"]} if cursor["since"] else None,
        )
        if index == resume_at and cursor.get("url"):
            start, params = cursor["url"], None  # the server's next link keeps the filter
        for page in client.pages(start, params):
            following = LISTS[index + 1] if index + 1 < len(LISTS) else "done"
            cursor = {
                **cursor,
                "list": name if page.next_url else following,
                "url": page.next_url,
            }
            written += _store_page(source, page, cursor)
            pages += 1
            report(pages, None, _list_label(name, page))
    _fetch_missing(source, client)
    notes = links_apply(source=source)
    source.status = OParlSource.Status.OK
    source.synced_until = datetime.datetime.fromisoformat(cursor["started_at"])
    source.cursor = {}
    source.finished_at = timezone.now()
    source.pages, source.written, source.notes = pages, written, notes[:50]
    source.save()


def _list_label(name: str, page: Page) -> str:
    label = {
        "organization": _("Gremien"),
        "meeting": _("Sitzungen"),
        "paper": _("Vorlagen"),
        "consultation": _("Beratungen"),
        "agendaItem": _("Tagesordnungspunkte"),
    }[name]
    if page.total_pages:
        return _("{label}: Seite {page} von {total}").format(
            label=label, page=page.number, total=page.total_pages
        )
    return _("{label}: Seite {page}").format(label=label, page=page.number)


def _body_lists(source: OParlSource, client: OParlClient) -> dict[str, str]:
    system = client.get_object(source.system_url, "System")
    version = "1.0" if "/1.0/" in str(system.get("oparlVersion", "")) else "1.1"
    body_list = system.get("body")
    if not isinstance(body_list, str):
        raise OParlError(source.system_url, _("Das System nennt keine Liste der Körperschaften."))
    bodies = [obj for page in client.pages(body_list) for obj in page.items]
    bodies = [b for b in bodies if type_name(b) == "Body" and not b.get("deleted")]
    chosen = next((b for b in bodies if b["id"] == source.body_url), bodies[0] if bodies else None)
    if chosen is None:
        raise OParlError(body_list, _("Das System enthält keine Körperschaft."))
    source.system_name = str(system.get("name", ""))[:300]
    source.oparl_version = version
    source.body_url, source.body_name = chosen["id"], str(chosen.get("name", ""))[:300]
    source.save(update_fields=["system_name", "oparl_version", "body_url", "body_name"])
    return {name: chosen[name] for name in LISTS if isinstance(chosen.get(name), str)}


# --- storing objects ------------------------------------------------------------------------


def _ref(value) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    return value[:500] if isinstance(value, str) else ""


def _refs(values) -> list[str]:
    return [r for r in (_ref(v) for v in values or ()) if r] if isinstance(values, list) else []


def _date(value) -> datetime.date | None:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _text(value, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _rows(obj: dict, parent: dict | None = None) -> Iterable[dict]:
    """The rows of one object and of the objects embedded in it."""
    kind = type_name(obj)
    row = {
        "oparl_id": obj["id"][:500],
        "kind": kind,
        "deleted": obj.get("deleted") is True,
        "modified": _text(obj.get("modified"), 40),
        "name": _text(obj.get("name"), 500),
        "web": _text(obj.get("web"), 500),
        "reference": "",
        "date": None,
        "data": {},
    }
    if row["deleted"]:
        yield row
        return
    if kind == "Organization":
        row["name"] = row["name"] or _text(obj.get("shortName"), 500)
        row["data"] = {"classification": _text(obj.get("classification"), 200)}
    elif kind == "Meeting":
        row["date"] = _date(obj.get("start"))
        row["data"] = {"organization": _refs(obj.get("organization"))}
        for item in obj.get("agendaItem") or ():
            if isinstance(item, dict):
                yield from _rows(item, obj)
    elif kind == "AgendaItem":
        row["data"] = {
            "meeting": _ref(obj.get("meeting")) or (parent or {}).get("id", ""),
            "consultation": _ref(obj.get("consultation")),
            "number": _text(obj.get("number"), 50),
            "result": _text(obj.get("result"), 200),
            "resolution": _text(obj.get("resolutionText"), 10_000),
        }
    elif kind == "Paper":
        row["reference"] = _text(obj.get("reference"), 100)
        row["date"] = _date(obj.get("date"))
        row["data"] = {"consultation": _refs(obj.get("consultation"))}
        for item in obj.get("consultation") or ():
            if isinstance(item, dict):
                yield from _rows(item, obj)
    elif kind == "Consultation":
        row["data"] = {
            "paper": _ref(obj.get("paper")) or (parent or {}).get("id", ""),
            "meeting": _ref(obj.get("meeting")),
            "agendaItem": _ref(obj.get("agendaItem")),
            "organization": _refs(obj.get("organization")),
            "authoritative": obj.get("authoritative") is True,
            "role": _text(obj.get("role"), 200),
        }
    else:
        return
    yield row


FIELDS = ["kind", "name", "reference", "date", "web", "deleted", "modified", "data"]


def objects_store(source: OParlSource, objects: Iterable[dict]) -> int:
    rows: dict[str, OParlObject] = {}
    for obj in objects:
        for row in _rows(obj):
            rows[row["oparl_id"]] = OParlObject(source=source, **row)
    OParlObject.objects.bulk_create(
        list(rows.values()),
        update_conflicts=True,
        unique_fields=["source", "oparl_id"],
        update_fields=FIELDS,
    )
    return len(rows)


def _store_page(source: OParlSource, page: Page, cursor: dict) -> int:
    """One page in one transaction, together with where to resume after it."""
    with transaction.atomic():
        written = objects_store(source, page.items)
        OParlSource.objects.filter(pk=source.pk).update(cursor=cursor)
    return written


def _fetch_missing(source: OParlSource, client: OParlClient) -> None:
    """Consultations and agenda items of linked papers that came only as URLs (OParl 1.0
    servers without those lists) are fetched one by one, within a bound."""
    papers = _linked_papers(source)
    listed = [c for paper in papers for c in paper.data.get("consultation", [])]
    stored = OParlObject.objects.filter(source=source)
    known = set(stored.filter(oparl_id__in=listed).values_list("oparl_id", flat=True))
    wanted = [url for url in dict.fromkeys(listed) if url not in known][:MAX_FETCHED]
    with transaction.atomic():
        objects_store(source, [client.get_object(url, "Consultation") for url in wanted])
    consultations = stored.filter(kind="Consultation", deleted=False).filter(
        Q(data__paper__in=[p.oparl_id for p in papers]) | Q(oparl_id__in=listed)
    )
    items = [c.data.get("agendaItem") for c in consultations if c.data.get("agendaItem")]
    known = set(stored.filter(oparl_id__in=items).values_list("oparl_id", flat=True))
    wanted = [url for url in dict.fromkeys(items) if url not in known][:MAX_FETCHED]
    with transaction.atomic():
        objects_store(source, [client.get_object(url, "AgendaItem") for url in wanted])


def _linked_papers(source: OParlSource) -> list[OParlObject]:
    papers = []
    for link in PaperLink.objects.all():
        paper = paper_find(source=source, link=link)
        if paper is not None:
            papers.append(paper)
    return papers


def paper_find(*, source: OParlSource, link: PaperLink) -> OParlObject | None:
    papers = OParlObject.objects.filter(source=source, kind="Paper", deleted=False)
    if link.paper_oparl_id:
        return papers.filter(oparl_id=link.paper_oparl_id).first()
    return papers.filter(reference__iexact=link.reference.strip()).order_by("-date", "pk").first()


# --- the consultation sequence from OParl --------------------------------------------------------


def role_from_oparl(text: str) -> str:
    text = text.lower()
    if "entscheid" in text or "beschluss" in text:
        return StepRole.DECISION
    if "anhör" in text or "anhoer" in text:
        return StepRole.HEARING
    if "kenntnis" in text:
        return StepRole.NOTICE
    return StepRole.PRELIMINARY


def result_from_oparl(text: str) -> str:
    text = " ".join(text.lower().replace("ä", "ae").replace("ü", "ue").split())
    if not text:
        return StepResult.PENDING
    if "abgelehnt" in text or "nicht beschlossen" in text or "nicht empfohlen" in text:
        return StepResult.REJECTED
    amended = "geaendert" in text or "aenderung" in text
    if "beschlossen" in text or "angenommen" in text or "zugestimmt" in text:
        return StepResult.ADOPTED_AMENDED if amended else StepResult.ADOPTED
    if "empf" in text:
        return StepResult.RECOMMENDED_AMENDED if amended else StepResult.RECOMMENDED
    if "vertagt" in text:
        return StepResult.POSTPONED
    if "zurueckgestellt" in text or "zurueckgezogen" in text:
        return StepResult.DEFERRED
    return StepResult.PENDING


def _body_for(source: OParlSource, organisation_id: str, objects: dict) -> Body | None:
    body = Body.objects.filter(oparl_id=organisation_id).first()
    if body is not None:
        return body
    org = objects.get(organisation_id)
    if org is None or org.deleted or not org.name:
        return None
    name = org.name[:200]
    body = Body.objects.filter(name=name).first()
    if body is not None:
        if not body.oparl_id:
            body.oparl_id = organisation_id
            body.save(update_fields=["oparl_id"])
        return body
    label = f"{org.name} {org.data.get('classification', '')}".lower()
    kind = Body.Kind.COMMITTEE
    if "verwaltungsausschuss" in label or "hauptausschuss" in label:
        kind = Body.Kind.ADMINISTRATIVE
    elif (
        label.startswith("rat") or " rat" in label or "stadtrat" in label or "gemeinderat" in label
    ):
        kind = Body.Kind.COUNCIL
    return Body.objects.create(
        name=name,
        kind=kind,
        decides=kind == Body.Kind.COUNCIL,
        order=Body.objects.count() + 1,
        oparl_id=organisation_id,
    )


def links_apply(*, source: OParlSource) -> list[str]:
    """Fills the consultation sequence of every linked version from the stored objects;
    returns notes for the staff page (e.g. a paper not found yet)."""
    notes: list[str] = []
    for link in PaperLink.objects.select_related("version__strategy"):
        notes += _link_apply(source, link)
    return notes


def _link_apply(source: OParlSource, link: PaperLink) -> list[str]:
    from .. import services  # the one step_record, with its adoption through the strategy

    version = link.version
    paper = paper_find(source=source, link=link)
    if paper is None:
        return [
            _(
                "Die Vorlage {reference} ist im Ratsinformationssystem (noch) nicht zu finden."
            ).format(reference=link.reference)
        ]
    if not link.paper_oparl_id:
        link.paper_oparl_id = paper.oparl_id
        link.save(update_fields=["paper_oparl_id"])
    consultations = list(
        OParlObject.objects.filter(source=source, kind="Consultation").filter(
            Q(data__paper=paper.oparl_id) | Q(oparl_id__in=paper.data.get("consultation", []))
        )
    )
    wanted = set()
    for c in consultations:
        wanted |= {c.data.get("meeting", ""), c.data.get("agendaItem", "")}
        wanted |= set(c.data.get("organization", []))
    objects = {
        o.oparl_id: o for o in OParlObject.objects.filter(source=source, oparl_id__in=wanted - {""})
    }
    by_consultation = {
        a.data.get("consultation"): a
        for a in OParlObject.objects.filter(
            source=source,
            kind="AgendaItem",
            deleted=False,
            data__consultation__in=[c.oparl_id for c in consultations],
        )
    }
    consultations.sort(
        key=lambda c: (
            getattr(objects.get(c.data.get("meeting", "")), "date", None) or datetime.date.max
        )
    )
    existing = {s.oparl_id: s for s in version.consultation_steps.filter(source="oparl")}
    manual = set(
        version.consultation_steps.filter(source="manual").values_list("body_id", "meeting_date")
    )
    notes: list[str] = []
    kept = set()
    for c in consultations:
        meeting = objects.get(c.data.get("meeting", ""))
        orgs = c.data.get("organization") or (
            meeting.data.get("organization", []) if meeting else []
        )
        if c.deleted or meeting is None or meeting.deleted or meeting.date is None or not orgs:
            continue
        body = _body_for(source, orgs[0], objects)
        if body is None or (body.pk, meeting.date) in manual:
            continue
        agenda = objects.get(c.data.get("agendaItem", "")) or by_consultation.get(c.oparl_id)
        agenda = agenda if agenda is not None and not agenda.deleted else None
        result = result_from_oparl(agenda.data.get("result", "")) if agenda else ""
        try:
            step = services.step_record(
                actor=None,
                version=version,
                body=body,
                meeting_date=meeting.date,
                role=role_from_oparl(c.data.get("role", "")),
                result=result if meeting.date <= timezone.localdate() else "",
                resolution=agenda.data.get("resolution", "") if agenda else "",
                paper_reference=paper.reference,
                paper_url=paper.web if paper.web.startswith(("http://", "https://")) else "",
                step=existing.get(c.oparl_id),
                source=ConsultationStep.Source.OPARL,
                oparl_id=c.oparl_id,
                decisive=True if c.data.get("authoritative") else None,
            )
        except ValidationError as exc:
            notes.append(
                _("{version}, {body} am {date}: {problem}").format(
                    version=version, body=body, date=meeting.date, problem=" ".join(exc.messages)
                )
            )
            if c.oparl_id in existing:
                kept.add(c.oparl_id)
            continue
        kept.add(step.oparl_id)
    for oparl_id, step in existing.items():
        if oparl_id not in kept:
            services.step_delete(actor=None, step=step)
    return notes
