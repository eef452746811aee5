"""Open data of the idea call: published ideas only, never personal data.

Mounted at the API root: ``/api/v1/ideas``, ``/api/v1/ideas/{id}``, ``/api/v1/ideas.geojson``.
"""

from datetime import datetime

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from leitbild.core import geojson
from leitbild.core.api_common import ERRORS, ApiError, Key, Pages, Text

from . import selectors
from .models import Idea, IdeaStatus

router = Router()


class IdeaFieldOut(Schema):
    id: int
    code: str
    name: str


class IdeaOut(Schema):
    id: int
    process: str
    title: str
    description: str
    fields: list[IdeaFieldOut]
    status: str
    status_label: str
    status_reason: str
    source: str
    source_label: str
    lat: float | None
    lon: float | None
    address: str
    support_count: int
    comment_count: int
    created_at: datetime
    published_at: datetime | None
    edited_by_moderation: bool
    url: str

    @staticmethod
    def resolve_process(obj: Idea) -> str:
        return obj.process.slug

    @staticmethod
    def resolve_fields(obj: Idea) -> list:
        return [{"id": f.pk, "code": f.code, "name": f.name} for f in obj.fields.all()]

    @staticmethod
    def resolve_status_label(obj: Idea) -> str:
        return str(IdeaStatus(obj.status).label)

    @staticmethod
    def resolve_source_label(obj: Idea) -> str:
        return obj.source_label

    @staticmethod
    def resolve_lat(obj: Idea) -> float | None:
        return float(obj.lat) if obj.lat is not None else None

    @staticmethod
    def resolve_lon(obj: Idea) -> float | None:
        return float(obj.lon) if obj.lon is not None else None

    @staticmethod
    def resolve_edited_by_moderation(obj: Idea) -> bool:
        return obj.edited_by_moderation_at is not None

    @staticmethod
    def resolve_url(obj: Idea) -> str:
        return settings.SITE_URL + reverse(
            "participation:idea_detail", args=[obj.process.slug, obj.pk]
        )


class IdeaFilters(Schema):
    process: Text = ""
    field: Key | None = None
    status: Text = ""
    source: Text = ""
    q: Text = ""
    sort: Text = "neueste"

    def to_filter(self) -> selectors.IdeaFilter:
        return selectors.IdeaFilter.from_params(
            {
                "feld": str(self.field or ""),
                "status": self.status,
                "herkunft": self.source,
                "suche": self.q,
                "sortierung": self.sort,
            }
        )

    def process_or_404(self):
        if not self.process:
            return None
        process = selectors.process_get(slug=self.process)
        if process is None:
            raise ApiError(404, _("Dieses Verfahren gibt es nicht."), parameter="process")
        return process


@router.get("/ideas", response={200: list[IdeaOut], **ERRORS}, summary="Veröffentlichte Ideen")
@paginate(Pages, page_size=50)
def ideas(request, filters: IdeaFilters = Query(...)):  # noqa: B008
    """Filter wie auf der Ideenliste: Verfahren (`process`), Handlungsfeld (`field`, Nummer),
    `status`, Herkunft (`source`), Volltext (`q`), Sortierung (`sort`: neueste,
    unterstuetzung, diskussion)."""
    return selectors.idea_list(process=filters.process_or_404(), flt=filters.to_filter())


@router.get(
    "/ideas.geojson",
    response=ERRORS,
    openapi_extra={"responses": {200: geojson.OPENAPI_RESPONSE}},
    summary="Ideen als GeoJSON (nur der sichtbare Ausschnitt)",
)
def ideas_geojson(request, bbox: Text = "", filters: IdeaFilters = Query(...)):  # noqa: B008
    """Punkte der Ideen im Ausschnitt `bbox=minlon,minlat,maxlon,maxlat` (höchstens 5000)."""
    box = selectors.parse_bbox(bbox) if bbox else None
    if bbox and box is None:
        raise ApiError(400, "bbox: minlon,minlat,maxlon,maxlat", parameter="bbox")
    found = selectors.ideas_geojson_cached(slug=filters.process, flt=filters.to_filter(), bbox=box)
    if found is None:
        raise ApiError(404, _("Dieses Verfahren gibt es nicht."), parameter="process")
    body, hit = found
    response = HttpResponse(body, content_type=geojson.MEDIA_TYPE)
    response["X-Leitbild-Cache"] = "hit" if hit else "miss"
    return response


@router.get(
    "/ideas/{idea_id}", response={200: IdeaOut, **ERRORS}, summary="Eine veröffentlichte Idee"
)
def idea(request, idea_id: Key):
    found = selectors.idea_get_public(pk=idea_id)
    if found is None or found.merged_into_id is not None:
        raise Http404
    return found
