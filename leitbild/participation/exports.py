"""One export mechanism for the ideas: the same rows as CSV, XLSX and GeoJSON, for staff and
as open data. Rows never contain personal data: no e-mail, no contact, no visitor key."""

from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from leitbild.core import exports as core_exports
from leitbild.core import geojson
from leitbild.strategy.models import ActionField

from .models import Idea
from .selectors import idea_feature_properties

COLUMNS = [
    ("id", _("Nummer")),
    ("titel", _("Titel")),
    ("beschreibung", _("Beschreibung")),
    ("handlungsfelder", _("Handlungsfelder")),
    ("status", _("Status")),
    ("begruendung", _("Begründung")),
    ("herkunft", _("Herkunft")),
    ("ort", _("Ort")),
    ("breite", _("Breite")),
    ("laenge", _("Länge")),
    ("unterstuetzungen", _("Unterstützungen")),
    ("kommentare", _("Kommentare")),
    ("eingereicht_am", _("eingereicht am")),
    ("veroeffentlicht_am", _("veröffentlicht am")),
    ("adresse_im_netz", _("Adresse im Netz")),
]


def export_queryset(qs: QuerySet[Idea]) -> QuerySet[Idea]:
    return (
        qs.select_related("workshop", "process")
        .prefetch_related(
            Prefetch("fields", queryset=ActionField.objects.only("pk", "code", "name"))
        )
        .order_by("pk")
    )


def idea_rows(qs: QuerySet[Idea]) -> Iterator[dict]:
    for idea in export_queryset(qs).iterator(chunk_size=2000):
        yield {
            "id": idea.pk,
            "titel": idea.title,
            "beschreibung": idea.description,
            "handlungsfelder": "; ".join(f.name for f in idea.fields.all()),
            "status": str(idea.get_status_display()),
            "_status": idea.status,  # not a column: the GeoJSON's status value
            "begruendung": idea.status_reason,
            "herkunft": idea.source_label,
            "ort": idea.address,
            "breite": float(idea.lat) if idea.lat is not None else None,
            "laenge": float(idea.lon) if idea.lon is not None else None,
            "unterstuetzungen": idea.support_count,
            "kommentare": idea.comment_count,
            "eingereicht_am": idea.created_at.date().isoformat(),
            "veroeffentlicht_am": idea.published_at.date().isoformat() if idea.published_at else "",
            "adresse_im_netz": settings.SITE_URL
            + reverse("participation:idea_detail", args=[idea.process.slug, idea.pk]),
        }


def _table(rows: Iterable[dict]) -> tuple[list[str], Iterator[list]]:
    return [str(label) for _key, label in COLUMNS], (
        [row[k] for k, _label in COLUMNS] for row in rows
    )


def to_csv(rows: Iterable[dict]) -> bytes:
    return core_exports.to_csv(*_table(rows))


def to_xlsx(rows: Iterable[dict]) -> bytes:
    return core_exports.to_xlsx(*_table(rows), title=str(_("Ideen")))


def to_geojson(rows: Iterable[dict]) -> str:
    """The rows with a place as point features, with the one property schema of ideas on a
    map (``selectors.idea_feature_properties``): the markers' properties and the export's
    further fields."""
    features = (
        geojson.point_feature(
            lon=row["laenge"],
            lat=row["breite"],
            id=row["id"],
            properties=idea_feature_properties(
                title=row["titel"],
                status=row["_status"],
                support_count=row["unterstuetzungen"],
                url=row["adresse_im_netz"],
                details={
                    "description": row["beschreibung"],
                    "fields": row["handlungsfelder"],
                    "reason": row["begruendung"],
                    "source": row["herkunft"],
                    "place": row["ort"],
                    "comment_count": row["kommentare"],
                    "submitted_on": row["eingereicht_am"],
                    "published_on": row["veroeffentlicht_am"] or None,
                },
            ),
        )
        for row in rows
        if row["breite"] is not None
    )
    return geojson.dumps(geojson.feature_collection(features))


WRITERS: dict[str, Callable[[Iterable[dict]], bytes | str]] = {
    "csv": to_csv,
    "xlsx": to_xlsx,
    "geojson": to_geojson,
}


def ideas_export_response(qs: QuerySet[Idea], *, process, fmt: str) -> HttpResponse:
    """The download of ``qs`` in ``fmt`` (media type and name by ``core.exports``)."""
    if fmt not in WRITERS:
        raise Http404
    content = WRITERS[fmt](idea_rows(qs))
    return core_exports.attachment(content, fmt=fmt, name=f"ideen-{process.slug}", dated=True)
