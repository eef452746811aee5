"""Every read of the idea call. List reads cost a constant number of queries whatever the
number of ideas: counters are denormalised, fields are prefetched, pages are sliced."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Prefetch, Q, QuerySet

from leitbild.strategy.models import ActionField

from . import models
from .models import (
    Comment,
    Idea,
    IdeaSource,
    IdeaStatus,
    IdeaStatusChange,
    Phase,
    Process,
    ReasonTemplate,
    Report,
    Workshop,
)

SORTS = {
    "neueste": ("-created_at", "-pk"),
    "unterstuetzung": ("-support_count", "-created_at", "-pk"),
    "diskussion": ("-comment_count", "-created_at", "-pk"),
}
PUBLIC_LIST_STATUSES = [IdeaStatus.PUBLISHED, IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED,
                        IdeaStatus.REJECTED]
assert [str(s) for s in PUBLIC_LIST_STATUSES] == models.PUBLIC_LIST_STATUSES


@dataclass(frozen=True)
class IdeaFilter:
    """The filters of the list page, the API and the exports, read from a query string."""

    field: int | None = None
    status: str = ""
    source: str = ""
    q: str = ""
    sort: str = "neueste"

    @classmethod
    def from_params(cls, params) -> "IdeaFilter":
        def first(name: str) -> str:
            value = params.get(name, "")
            # NUL cannot be stored or compared in PostgreSQL text; nobody types it.
            return value.replace("\x00", "").strip()[:200] if isinstance(value, str) else ""

        field = first("feld")
        status = first("status")
        source = first("herkunft")
        sort = first("sortierung")
        return cls(
            field=int(field) if field.isdigit() and len(field) < 10 else None,
            status=status if status in PUBLIC_LIST_STATUSES else "",
            source=source if source in IdeaSource.values else "",
            q=first("suche"),
            sort=sort if sort in SORTS else "neueste",
        )


def process_list_public() -> QuerySet[Process]:
    return Process.objects.select_related("strategy").prefetch_related("phases")


def process_get(*, slug: str) -> Process | None:
    return (Process.objects.select_related("strategy").prefetch_related("phases")
            .filter(slug=slug).first())


def process_fields(process: Process) -> list[ActionField]:
    return list(ActionField.objects.filter(strategy_id=process.strategy_id))


def ideas_public(*, process: Process | None = None) -> QuerySet[Idea]:
    qs = Idea.objects.filter(models.PUBLIC_IDEA)
    if process is not None:
        qs = qs.filter(process=process)
    return qs


def ideas_filtered(qs: QuerySet[Idea], flt: IdeaFilter) -> QuerySet[Idea]:
    if flt.field:
        qs = qs.filter(fields=flt.field)
    if flt.status:
        qs = qs.filter(status=flt.status)
    if flt.source:
        qs = qs.filter(source=flt.source)
    if flt.q:
        for word in flt.q.split()[:5]:
            qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return qs.order_by(*SORTS[flt.sort])


def idea_list(*, process: Process | None, flt: IdeaFilter) -> QuerySet[Idea]:
    """Public ideas for the list page and the API, with what a row shows, in two queries."""
    qs = ideas_filtered(ideas_public(process=process), flt)
    return qs.select_related("workshop", "process").prefetch_related(
        Prefetch("fields", queryset=ActionField.objects.only("pk", "code", "name", "colour")))


def idea_get_public(*, pk: int, process: Process | None = None) -> Idea | None:
    """A public idea, or a merged one (the view redirects it), or None."""
    qs = Idea.objects.select_related("workshop", "process", "merged_into").prefetch_related(
        "fields", Prefetch("process__phases", queryset=Phase.objects.all()))
    if process is not None:
        qs = qs.filter(process=process)
    idea = qs.filter(pk=pk).first()
    if idea is None:
        return None
    if idea.merged_into_id is not None:
        return idea
    return idea if idea.is_public else None


def idea_merge_target(idea: Idea) -> Idea:
    """Follow merges to the idea that was kept."""
    seen = set()
    while idea.merged_into_id is not None and idea.pk not in seen:
        seen.add(idea.pk)
        idea = Idea.objects.select_related("process").get(pk=idea.merged_into_id)
    return idea


def idea_status_history(idea: Idea) -> list[IdeaStatusChange]:
    return list(idea.status_changes.all())


def idea_comments(idea: Idea) -> list[Comment]:
    """Visible top-level comments, each with its visible replies prefetched."""
    replies = Comment.objects.filter(state=Comment.State.VISIBLE)
    return list(idea.comments.filter(parent__isnull=True, state=Comment.State.VISIBLE)
                .prefetch_related(Prefetch("replies", queryset=replies)))


_WORD = re.compile(r"\w{4,}")
_STOPWORDS = {"eine", "einen", "einer", "mehr", "für", "fuer", "über", "ueber", "sollte",
              "sollen", "bitte", "wäre", "waere", "durch", "oder", "nicht", "auch", "dass",
              "stadt", "neue", "neuen", "neues", "mit", "beim", "zum", "zur", "und"}


def ideas_similar(*, process: Process, title: str, limit: int = 5) -> list[Idea]:
    """Public ideas that share a significant word with ``title``, most supported first."""
    title = title.replace("\x00", "")
    words = [w for w in _WORD.findall(title.lower()) if w not in _STOPWORDS]
    words = sorted(set(words), key=len, reverse=True)[:4]
    if not words:
        return []
    query = Q()
    for word in words:
        query |= Q(title__icontains=word)
    return list(ideas_public(process=process).filter(query)
                .order_by("-support_count", "-pk").only("pk", "title", "support_count",
                                                        "process_id")[:limit])


def parse_bbox(value: str) -> tuple[Decimal, Decimal, Decimal, Decimal] | None:
    """``minlon,minlat,maxlon,maxlat`` → four decimals, or None if it is not a valid box."""
    parts = (value or "").split(",")
    if len(parts) != 4:
        return None
    try:
        minlon, minlat, maxlon, maxlat = (Decimal(p.strip()) for p in parts)
    except (InvalidOperation, ValueError):
        return None
    if not all(d.is_finite() for d in (minlon, minlat, maxlon, maxlat)):
        return None
    if not (-180 <= minlon <= maxlon <= 180 and -90 <= minlat <= maxlat <= 90):
        return None
    return minlon, minlat, maxlon, maxlat


GEOJSON_LIMIT = 5000


def idea_points(*, process: Process | None, flt: IdeaFilter, bbox=None) -> list[tuple]:
    """Markers: (pk, title, status, support_count, lat, lon, process slug), visible area only."""
    qs = ideas_filtered(ideas_public(process=process), flt).filter(lat__isnull=False)
    if bbox is not None:
        minlon, minlat, maxlon, maxlat = bbox
        qs = qs.filter(lon__gte=minlon, lon__lte=maxlon, lat__gte=minlat, lat__lte=maxlat)
    return list(qs.order_by().values_list("pk", "title", "status", "support_count", "lat",
                                          "lon", "process__slug")[:GEOJSON_LIMIT])


# --- Staff ----------------------------------------------------------------------------------
def staff_process_overview() -> QuerySet[Process]:
    return Process.objects.select_related("strategy").annotate(
        idea_total=Count("ideas", distinct=True),
        unmoderated=Count("ideas", filter=Q(ideas__moderated_at__isnull=True,
                                            ideas__merged_into__isnull=True), distinct=True),
    ).prefetch_related("phases")


def staff_queue(*, process: Process) -> dict:
    """What moderation has to look at: new ideas, waiting comments, open reports."""
    ideas = (Idea.objects.filter(process=process, moderated_at__isnull=True,
                                 merged_into__isnull=True)
             .exclude(status=IdeaStatus.REMOVED).select_related("workshop")
             .prefetch_related("fields").order_by("created_at", "pk"))
    comments = (Comment.objects.filter(idea__process=process, state=Comment.State.PENDING)
                .select_related("idea").order_by("created_at", "pk"))
    reports = (Report.objects.filter(idea__process=process, resolved_at__isnull=True)
               .select_related("idea", "comment").order_by("created_at", "pk"))
    return {"ideas": ideas[:200], "comments": comments[:200], "reports": reports[:200]}


def staff_ideas(*, process: Process, flt: IdeaFilter, status: str = "") -> QuerySet[Idea]:
    qs = Idea.objects.filter(process=process, merged_into__isnull=True)
    if status in IdeaStatus.values:
        qs = qs.filter(status=status)
    flt = IdeaFilter(field=flt.field, source=flt.source, q=flt.q, sort=flt.sort)
    return ideas_filtered(qs, flt).select_related("workshop").prefetch_related("fields")


def staff_idea_get(*, pk: int) -> Idea | None:
    return (Idea.objects.select_related("process", "workshop", "merged_into", "submitter")
            .prefetch_related("fields", "status_changes", "process__phases").filter(pk=pk)
            .first())


def staff_idea_comments(idea: Idea) -> list[Comment]:
    return list(idea.comments.select_related("parent").order_by("created_at", "pk"))


def staff_idea_reports(idea: Idea) -> list[Report]:
    return list(idea.reports.filter(resolved_at__isnull=True).select_related("comment"))


def merge_candidates(*, idea: Idea, q: str = "") -> QuerySet[Idea]:
    qs = (Idea.objects.filter(process_id=idea.process_id, merged_into__isnull=True)
          .exclude(pk=idea.pk).exclude(status=IdeaStatus.REMOVED))
    if q:
        if q.isdigit() and len(q) < 10:
            qs = qs.filter(Q(pk=int(q)) | Q(title__icontains=q))
        else:
            qs = qs.filter(title__icontains=q)
    return qs.order_by("-support_count", "-pk")[:20]


def email_is_blocked(idea: Idea) -> bool:
    from .models import BlockedEmail

    return bool(idea.submitter_email_hash) and BlockedEmail.objects.filter(
        email_hash=idea.submitter_email_hash).exists()


def reason_templates() -> QuerySet[ReasonTemplate]:
    return ReasonTemplate.objects.all()


def workshops(*, process: Process) -> QuerySet[Workshop]:
    return Workshop.objects.filter(process=process).annotate(idea_total=Count("ideas"))
