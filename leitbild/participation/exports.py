"""One export mechanism for the ideas: the same rows as CSV, XLSX and GeoJSON, for staff and
as open data. Rows never contain personal data: no e-mail, no contact, no visitor key."""

import json
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from leitbild.core import exports as core_exports
from leitbild.strategy.models import ActionField

from .models import Idea

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
    features = []
    for row in rows:
        if row["breite"] is None:
            continue
        properties = {k: row[k] for k, _label in COLUMNS if k not in ("breite", "laenge")}
        features.append(
            {
                "type": "Feature",
                "id": row["id"],
                "geometry": {"type": "Point", "coordinates": [row["laenge"], row["breite"]]},
                "properties": properties,
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


FORMATS = {
    "csv": (core_exports.CSV_CONTENT_TYPE, to_csv),
    "xlsx": (core_exports.XLSX_CONTENT_TYPE, to_xlsx),
    "geojson": ("application/geo+json", to_geojson),
}
