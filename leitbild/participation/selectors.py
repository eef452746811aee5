"""Every read of the idea call. List reads cost a constant number of queries whatever the
number of ideas: counters are denormalised, fields are prefetched, pages are sliced."""

import functools
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.db.models import Count, FloatField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext

from leitbild.core import geojson
from leitbild.core.fields import parse_key, query_text
from leitbild.core.inbox import InboxEntry, Section
from leitbild.core.models import AuditEntry, SiteSetting
from leitbild.core.pagecache import versioned_get_or_build
from leitbild.core.security import stored_hash
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
    Submitter,
    Workshop,
)
from .spam import visitor_hash_candidates

SORTS = {
    "neueste": ("-created_at", "-pk"),
    "unterstuetzung": ("-support_count", "-created_at", "-pk"),
    "diskussion": ("-comment_count", "-created_at", "-pk"),
}


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
            return query_text(params.get(name, ""))

        field = first("feld")
        status = first("status")
        source = first("herkunft")
        sort = first("sortierung")
        return cls(
            field=parse_key(field),
            status=status if status in models.PUBLIC_LIST_STATUSES else "",
            source=source if source in IdeaSource.values else "",
            q=first("suche"),
            sort=sort if sort in SORTS else "neueste",
        )


def process_list_public() -> QuerySet[Process]:
    return Process.objects.select_related("strategy").prefetch_related("phases")


def process_get(*, slug: str) -> Process | None:
    return (
        Process.objects.select_related("strategy")
        .prefetch_related("phases")
        .filter(slug=slug)
        .first()
    )


def process_fields(process: Process) -> list[ActionField]:
    return list(ActionField.objects.filter(strategy_id=process.strategy_id))


def ideas_public(*, process: Process | None = None) -> QuerySet[Idea]:
    qs = Idea.objects.public()
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
        Prefetch("fields", queryset=ActionField.objects.only("pk", "code", "name", "colour"))
    )


def idea_get_public(*, pk: int, process: Process | None = None) -> Idea | None:
    """A public idea, or a merged one (the view redirects it), or None.

    Pass the ``process`` the page has already read (with its phases, see ``process_get``):
    the idea then uses it instead of reading it and its phases a second time."""
    qs = Idea.objects.select_related("workshop").prefetch_related("fields")
    if process is None:
        qs = qs.select_related("process").prefetch_related(
            Prefetch("process__phases", queryset=Phase.objects.all())
        )
    else:
        qs = qs.filter(process=process)
    idea = qs.filter(pk=pk).first()
    if idea is None:
        return None
    if process is not None:
        idea.process = process
    if idea.merged_into_id is not None:
        return idea
    return idea if idea.is_public else None


def comment_get(*, idea: Idea, pk: int | None, visible_only: bool = True) -> Comment | None:
    """A comment of ``idea`` (visible ones only unless told otherwise), or None."""
    if pk is None:
        return None
    qs = Comment.objects.filter(pk=pk, idea=idea)
    return (qs.filter(state=Comment.State.VISIBLE) if visible_only else qs).first()


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
    return list(
        idea.comments.filter(parent__isnull=True, state=Comment.State.VISIBLE).prefetch_related(
            Prefetch("replies", queryset=replies)
        )
    )


_WORD = re.compile(r"\w{4,}")
_STOPWORDS = {
    "eine",
    "einen",
    "einer",
    "mehr",
    "für",
    "fuer",
    "über",
    "ueber",
    "sollte",
    "sollen",
    "bitte",
    "wäre",
    "waere",
    "durch",
    "oder",
    "nicht",
    "auch",
    "dass",
    "stadt",
    "neue",
    "neuen",
    "neues",
    "mit",
    "beim",
    "zum",
    "zur",
    "und",
}


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
    return list(
        ideas_public(process=process)
        .filter(query)
        .order_by("-support_count", "-pk")
        .only("pk", "title", "support_count", "process_id")[:limit]
    )


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
    # As floats from the database: hundreds of Decimal objects per request cost more.
    qs = qs.order_by().annotate(lat_f=Cast("lat", FloatField()), lon_f=Cast("lon", FloatField()))
    return list(
        qs.values_list("pk", "title", "status", "support_count", "lat_f", "lon_f", "process__slug")[
            :GEOJSON_LIMIT
        ]
    )


_URL_SENTINEL = 987654321


def idea_url_parts(slug: str) -> tuple[str, str]:
    """The detail URL of the ideas of process ``slug`` around the idea number, so that a page of
    links costs one ``reverse`` instead of one per idea: ``head + str(pk) + tail``."""
    url = reverse("participation:idea_detail", args=[slug, _URL_SENTINEL])
    head, _sentinel, tail = url.rpartition(str(_URL_SENTINEL))
    return head, tail


def idea_marker_properties(*, title: str, status: str, support_count: int, url: str) -> dict:
    """The properties of an idea on a map: the one schema of the idea markers."""
    return {
        "title": title,
        "status": status,
        "status_label": str(IdeaStatus(status).label),
        "support_count": support_count,
        "url": url,
    }


IDEA_FEATURE_DETAILS = (
    "description",
    "fields",
    "reason",
    "source",
    "place",
    "comment_count",
    "submitted_on",
    "published_on",
)


def idea_feature_properties(
    *, title: str, status: str, support_count: int, url: str, details: dict | None = None
) -> dict:
    """The one property schema of an idea as a GeoJSON feature: the markers' properties
    (``idea_marker_properties``), and in the open-data export also ``IDEA_FEATURE_DETAILS``."""
    properties = idea_marker_properties(
        title=title, status=status, support_count=support_count, url=url
    )
    if details is not None:
        if set(details) != set(IDEA_FEATURE_DETAILS):
            raise ValueError(f"idea feature details must be {IDEA_FEATURE_DETAILS}")
        properties |= details
    return properties


def ideas_geojson(*, process: Process | None, flt: IdeaFilter, bbox=None) -> str:
    """The markers as a GeoJSON FeatureCollection, serialised.

    Written out feature by feature from the plain rows of ``idea_points``: a few hundred
    markers cost no model instances, no ``reverse`` and no lazy translation per marker, and
    only the title is encoded per marker. The text is exactly ``geojson.dumps`` of features
    with ``idea_marker_properties`` (``tests/test_geojson.py``).
    """
    encode = geojson.encode
    statuses = {
        value: f'"status":{encode(value)},"status_label":{encode(str(label))}'
        for value, label in IdeaStatus.choices
    }
    urls: dict[str, tuple[str, str]] = {}
    features = []
    for pk, title, status, support_count, lat, lon, slug in idea_points(
        process=process, flt=flt, bbox=bbox
    ):
        if slug not in urls:
            head, tail = idea_url_parts(slug)
            urls[slug] = (encode(head)[:-1], encode(tail)[1:])
        head, tail = urls[slug]
        properties = (
            f'{{"title":{encode(title)},{statuses[status]},'
            f'"support_count":{support_count:d},"url":{head}{pk:d}{tail}}}'
        )
        features.append(
            geojson.point_feature_text(lon=lon, lat=lat, properties_text=properties, id=pk)
        )
    return geojson.feature_collection_text(features)


# --- Versions for the page cache -----------------------------------------------------------
CACHE_SECONDS = 60


@functools.cache
def _version_sql(*, one_process: bool) -> str:
    quote = connection.ops.quote_name
    audit = quote(AuditEntry._meta.db_table)
    columns = ", ".join(
        [
            # The names, codes and colours of the strategy's fields of action, on every row
            # and in the filter: the newest change of any field (by the index on object_type).
            f"(SELECT {quote('id')} FROM {audit} WHERE {quote('object_type')} = "
            f"'{ActionField._meta.label}' ORDER BY {quote('id')} DESC LIMIT 1)",
            # The demo banner, on every page (core.selectors.site_is_demo).
            f"(SELECT {quote('value')} FROM {quote(SiteSetting._meta.db_table)} "
            f"WHERE {quote('key')} = 'demo')",
        ]
    )
    table, version = quote(Process._meta.db_table), quote("ideas_version")
    if not one_process:  # all processes: any of them
        return f"SELECT COUNT(*), COALESCE(SUM(p.{version}), 0), {columns} FROM {table} p"
    return f"SELECT p.id, p.{version}, {columns} FROM {table} p WHERE p.slug = %s"


def ideas_version(*, slug: str = "") -> str | None:
    """A value that changes whenever anything the public idea pages of process ``slug`` (all
    processes if empty) show may have changed; None if there is no such process.

    One query: the process's own ``ideas_version``, which every write of ``services`` that
    changes what the pages show raises in its transaction (``services.ideas_changed``), and
    two things the pages show that are not the process's: its strategy's fields of action
    and the demo banner. Other writes (a password change, a strategy freeze, another
    process's ideas) leave the cache alone. What changes with the time alone, which phase is
    open, is not in here: a cached page lives only until the next phase starts or ends
    (``next_phase_change``), and at most ``CACHE_SECONDS``.

    Why SQL: through the ORM the same query takes several ms of Python to compile.
    """
    with connection.cursor() as cursor:
        if slug:
            cursor.execute(_version_sql(one_process=True), [slug])
        else:
            cursor.execute(_version_sql(one_process=False))
        row = cursor.fetchone()
    return None if row is None else "|".join(str(value) for value in row)


def next_phase_change(process: Process, *, now: datetime | None = None) -> datetime | None:
    """When a phase of ``process`` starts or ends next, if ever; uses prefetched phases."""
    now = now or timezone.now()
    moments = [
        moment
        for phase in process.phases.all()
        for moment in (phase.starts_at, phase.ends_at)
        if moment > now
    ]
    return min(moments, default=None)


def ideas_geojson_cached(*, slug: str, flt: IdeaFilter, bbox=None) -> tuple[str, bool] | None:
    """``ideas_geojson`` and whether it came from the cache, where it is kept per filter, box
    and language under ``ideas_version``; None if there is no process ``slug``. The markers
    are the same for every visitor, signed in or not."""
    version = ideas_version(slug=slug)
    if version is None:
        return None

    def build() -> str:
        process = Process.objects.filter(slug=slug).only("pk").first() if slug else None
        if slug and process is None:  # deleted since the version was read
            return geojson.feature_collection_text([])
        return ideas_geojson(process=process, flt=flt, bbox=bbox)

    return versioned_get_or_build(
        "ideas-geojson",
        slug,
        flt,
        bbox,
        get_language(),
        version=version,
        build=build,
        timeout=CACHE_SECONDS,
    )


# --- Staff ----------------------------------------------------------------------------------
def staff_process_overview() -> QuerySet[Process]:
    return (
        Process.objects.select_related("strategy")
        .annotate(
            idea_total=Count("ideas", distinct=True),
            unmoderated=Count(
                "ideas",
                filter=Q(ideas__moderated_at__isnull=True, ideas__merged_into__isnull=True),
                distinct=True,
            ),
        )
        .prefetch_related("phases")
    )


def _queue_ideas() -> QuerySet[Idea]:
    return Idea.objects.filter(moderated_at__isnull=True, merged_into__isnull=True).exclude(
        status=IdeaStatus.REMOVED
    )


def _queue_comments() -> QuerySet[Comment]:
    return Comment.objects.filter(state=Comment.State.PENDING)


def _queue_reports() -> QuerySet[Report]:
    return Report.objects.filter(resolved_at__isnull=True)


def staff_queue(*, process: Process) -> dict:
    """What moderation has to look at: new ideas, waiting comments, open reports."""
    ideas = (
        _queue_ideas()
        .filter(process=process)
        .select_related("workshop")
        .prefetch_related("fields")
        .order_by("created_at", "pk")
    )
    comments = (
        _queue_comments()
        .filter(idea__process=process)
        .select_related("idea")
        .order_by("created_at", "pk")
    )
    reports = (
        _queue_reports()
        .filter(idea__process=process)
        .select_related("idea", "comment")
        .order_by("created_at", "pk")
    )
    return {"ideas": ideas[:200], "comments": comments[:200], "reports": reports[:200]}


def _count_per_process(qs: QuerySet, process_path: str):
    counted = (
        qs.filter(**{process_path: OuterRef("pk")})
        .order_by()
        .values(process_path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def inbox_moderation(user) -> list[InboxEntry]:
    """Per process, the ideas, comments and reports waiting in its moderation queue, each
    count linked to its part of the queue. One query."""
    processes = (
        Process.objects.annotate(
            ideas_waiting=_count_per_process(_queue_ideas(), "process"),
            comments_waiting=_count_per_process(_queue_comments(), "idea__process"),
            reports_open=_count_per_process(_queue_reports(), "idea__process"),
        )
        .filter(Q(ideas_waiting__gt=0) | Q(comments_waiting__gt=0) | Q(reports_open__gt=0))
        .order_by("-created_at", "pk")
    )
    entries = []
    for process in processes:
        queue = reverse("participation:staff_queue", kwargs={"slug": process.slug})
        for count, label, anchor in (
            (process.ideas_waiting, gettext("Ungeprüfte Ideen in „%(process)s“"), "ideen"),
            (
                process.comments_waiting,
                gettext("Wartende Kommentare in „%(process)s“"),
                "kommentare",
            ),
            (process.reports_open, gettext("Offene Meldungen in „%(process)s“"), "meldungen"),
        ):
            if count:
                entries.append(
                    InboxEntry(
                        Section.WAITS,
                        label % {"process": process.title},
                        f"{queue}#{anchor}",
                        count=count,
                    )
                )
    return entries


def inbox_running_phases(user) -> list[InboxEntry]:
    """The idea call's phases open now (weighting and surveys are consultation's). One query."""
    now = timezone.now()
    phases = (
        Phase.objects.filter(
            kind__in=[Phase.Kind.IDEAS, Phase.Kind.INFORMATION], starts_at__lte=now, ends_at__gt=now
        )
        .select_related("process")
        .order_by("ends_at", "pk")
    )
    return [
        InboxEntry(
            Section.RUNS,
            f"{phase.title} ({phase.process.title})",
            reverse("participation:staff_phase_edit", kwargs={"pk": phase.pk}),
            detail=gettext("bis %(end)s")
            % {"end": date_format(timezone.localtime(phase.ends_at), "SHORT_DATETIME_FORMAT")},
        )
        for phase in phases
    ]


def staff_ideas(*, process: Process, flt: IdeaFilter, status: str = "") -> QuerySet[Idea]:
    qs = Idea.objects.filter(process=process, merged_into__isnull=True)
    if status in IdeaStatus.values:
        qs = qs.filter(status=status)
    flt = IdeaFilter(field=flt.field, source=flt.source, q=flt.q, sort=flt.sort)
    return ideas_filtered(qs, flt).select_related("workshop").prefetch_related("fields")


def staff_idea_get(*, pk: int) -> Idea | None:
    return (
        Idea.objects.select_related("process", "workshop", "merged_into", "submitter")
        .prefetch_related("fields", "status_changes", "process__phases")
        .filter(pk=pk)
        .first()
    )


def staff_idea_comments(idea: Idea) -> list[Comment]:
    return list(idea.comments.select_related("parent").order_by("created_at", "pk"))


def staff_idea_reports(idea: Idea) -> list[Report]:
    return list(idea.reports.filter(resolved_at__isnull=True).select_related("comment"))


def merge_candidates(*, idea: Idea, q: str = "") -> QuerySet[Idea]:
    qs = (
        Idea.objects.filter(process_id=idea.process_id, merged_into__isnull=True)
        .exclude(pk=idea.pk)
        .exclude(status=IdeaStatus.REMOVED)
    )
    if q:
        if (pk := parse_key(q)) is not None:
            qs = qs.filter(Q(pk=pk) | Q(title__icontains=q))
        else:
            qs = qs.filter(title__icontains=q)
    return qs.order_by("-support_count", "-pk")[:20]


def support_visitor(*, idea: Idea, token: str) -> str:
    """The visitor key a support of ``idea`` from the browser with ``token`` is stored under:
    the one of an earlier support (perhaps under a fallback key), else the current key's."""
    return stored_hash(visitor_hash_candidates(token), idea.supports.all(), "visitor")


def idea_supported_by(*, idea: Idea, token: str) -> bool:
    return idea.supports.filter(visitor__in=visitor_hash_candidates(token)).exists()


def email_is_blocked(idea: Idea) -> bool:
    from .models import BlockedEmail

    return (
        bool(idea.submitter_email_hash)
        and BlockedEmail.objects.filter(email_hash=idea.submitter_email_hash).exists()
    )


def reason_templates() -> QuerySet[ReasonTemplate]:
    return ReasonTemplate.objects.all()


def workshops(*, process: Process) -> QuerySet[Workshop]:
    return Workshop.objects.filter(process=process).annotate(idea_total=Count("ideas"))


# --- Home page ------------------------------------------------------------------------------------
def home_actions(now: datetime) -> list:
    """Idea calls open now (the action: submit an idea) or starting later (the process page),
    in one query. Weighting and surveys are consultation's (it registers its own)."""
    from leitbild.core.home import HomeAction

    phases = Phase.objects.filter(kind=Phase.Kind.IDEAS, ends_at__gt=now).select_related("process")
    actions = []
    for phase in phases:
        is_open = phase.starts_at <= now
        slug = phase.process.slug
        actions.append(
            HomeAction(
                kind=str(Phase.Kind.IDEAS.label),
                title=phase.title,
                context=phase.process.title,
                starts_at=phase.starts_at,
                ends_at=phase.ends_at,
                url=reverse("participation:idea_submit", args=[slug])
                if is_open
                else reverse("participation:process_detail", args=[slug]),
                action=gettext("Idee einreichen") if is_open else gettext("Mehr erfahren"),
            )
        )
    return actions


def submitter_by_token(token: str) -> Submitter | None:
    """The submitter whose double opt-in link carries ``token``, if any."""
    if not token or len(token) > 100:
        return None
    return Submitter.objects.filter(token=token).first()
