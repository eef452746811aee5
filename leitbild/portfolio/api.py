"""Open data of the implementation concept: published projects, public fields only.

Mounted at the API root: ``/api/v1/projects``, ``/api/v1/projects/{id}``,
``/api/v1/projects.geojson``. Costs and funding appear only for projects whose costs staff
made public; no personal data (no names of staff, no e-mail addresses). A project's detail
carries its implementation progress (milestones, reports, money spent) from the monitoring.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from leitbild.core import geojson
from leitbild.core.api_common import ERRORS, ApiError, Key, Pages, Text

from . import selectors
from .models import Project, Stage

router = Router()


class ProjectGoalOut(Schema):
    id: int
    code: str
    title: str
    field_id: int
    field_code: str
    strength: str


class YearOut(Schema):
    year: int
    costs: Decimal
    programme_share: Decimal
    third_party: Decimal
    own_share: Decimal


class FinanceOut(Schema):
    programme: str | None
    total: Decimal
    years: list[YearOut]


class ProjectOut(Schema):
    id: int
    title: str
    summary: str
    stage: str
    stage_label: str
    priority: int | None
    lead_unit: str | None
    goals: list[ProjectGoalOut]
    idea_count: int
    starts_on: date | None
    duration_months: int | None
    lat: float | None
    lon: float | None
    url: str

    @staticmethod
    def resolve_stage_label(obj: Project) -> str:
        return str(Stage(obj.stage).label)

    @staticmethod
    def resolve_lead_unit(obj: Project) -> str | None:
        return obj.lead_unit.name if obj.lead_unit else None

    @staticmethod
    def resolve_goals(obj: Project) -> list:
        return [
            {
                "id": g.goal.pk,
                "code": g.goal.code,
                "title": g.goal.title,
                "field_id": g.goal.field_id,
                "field_code": g.goal.field.code,
                "strength": g.strength,
            }
            for g in obj.goal_links.all()
        ]

    @staticmethod
    def resolve_idea_count(obj: Project) -> int:
        # Annotated by the list selector; a project with no ideas has 0, not a second query.
        count = getattr(obj, "idea_count", None)
        return count if count is not None else obj.idea_links.count()

    @staticmethod
    def resolve_lat(obj: Project) -> float | None:
        return float(obj.lat) if obj.lat is not None else None

    @staticmethod
    def resolve_lon(obj: Project) -> float | None:
        return float(obj.lon) if obj.lon is not None else None

    @staticmethod
    def resolve_url(obj: Project) -> str:
        return settings.SITE_URL + reverse("portfolio:project_detail", args=[obj.pk])


class MilestoneOut(Schema):
    title: str
    planned_on: date
    actual_on: date | None
    late: bool


class ProgressReportOut(Schema):
    date: date
    percent: int
    status: str
    status_label: str
    text: str


class MoneyYearOut(Schema):
    year: int
    planned: Decimal
    spent: Decimal | None


class ProgressOut(Schema):
    percent: int | None
    status: str | None
    last_report: date | None
    milestones: list[MilestoneOut]
    reports: list[ProgressReportOut]
    money: list[MoneyYearOut] | None


# The implementation's progress comes from the monitoring app, which registers a provider
# (portfolio does not import it): ``provider(project) -> dict`` in the shape of ProgressOut.
_PROGRESS: list[Callable[[Project], dict | None]] = []


def register_progress_provider(provider: Callable[[Project], dict | None]) -> None:
    _PROGRESS[:] = [provider]


class ProjectDetailOut(ProjectOut):
    description: str
    external_partners: str
    partner_units: list[str]
    problem: str
    aim: str
    steps: str
    data_needed: str
    data_produced: str
    continuation: str
    transferability: str
    open_source: str
    idea_ids: list[int]
    finance: FinanceOut | None
    progress: ProgressOut | None

    @staticmethod
    def resolve_progress(obj: Project) -> dict | None:
        return _PROGRESS[0](obj) if _PROGRESS else None

    @staticmethod
    def resolve_partner_units(obj: Project) -> list[str]:
        return [u.name for u in obj.partner_units.all()]

    @staticmethod
    def resolve_idea_ids(obj: Project) -> list[int]:
        return [i.pk for i in selectors.project_ideas(project=obj, public=True)]

    @staticmethod
    def resolve_finance(obj: Project) -> dict | None:
        if not obj.costs_public:
            return None
        finance = selectors.project_finance(obj)
        return {
            "programme": str(finance.programme) if finance.programme else None,
            "total": finance.total,
            "years": [
                {"year": y, "costs": c, "programme_share": s, "third_party": t, "own_share": o}
                for y, c, _e, s, t, o in finance.rows()
            ],
        }


class ProjectFilters(Schema):
    field: Key | None = None
    goal: Key | None = None
    stage: Text = ""


@router.get(
    "/projects", response={200: list[ProjectOut], **ERRORS}, summary="Veröffentlichte Projekte"
)
@paginate(Pages, page_size=50)
def projects(request, filters: ProjectFilters = Query(...)):  # noqa: B008
    """Filter: Handlungsfeld (`field`, Nummer), Ziel (`goal`, Nummer), Stand (`stage`:
    pool, qualifizierung, priorisiert, umsetzung, abgeschlossen, verworfen)."""
    stage = filters.stage if filters.stage in Stage.values else ""
    if filters.stage and not stage:
        return Project.objects.none()
    return selectors.project_list(
        public=True, stage=stage, field_id=filters.field, goal_id=filters.goal
    )


@router.get(
    "/projects.geojson",
    response=ERRORS,
    openapi_extra={"responses": {200: geojson.OPENAPI_RESPONSE}},
    summary="Projekte mit Ort als GeoJSON",
)
def projects_geojson(request):
    features = (
        geojson.point_feature(
            lon=p.lon,
            lat=p.lat,
            id=p.pk,
            properties={
                "id": p.pk,
                "title": p.title,
                "stage_label": str(Stage(p.stage).label),
                "url": reverse("portfolio:project_detail", args=[p.pk]),
            },
        )
        for p in selectors.map_points()
    )
    return HttpResponse(
        geojson.dumps(geojson.feature_collection(features)), content_type=geojson.MEDIA_TYPE
    )


@router.get(
    "/projects/{project_id}",
    response={200: ProjectDetailOut, **ERRORS},
    summary="Ein veröffentlichtes Projekt",
)
def project(request, project_id: Key):
    found = selectors.project_get(pk=project_id, public=True)
    if found is None:
        raise ApiError(
            404,
            _("Dieses Projekt gibt es nicht oder es ist nicht veröffentlicht."),
            parameter="project_id",
        )
    return found


# --- Prioritisation (issue #11) ----------------------------------------------------------------


class PrioritisationCriterionOut(Schema):
    key: str
    title: str
    description: str
    kind: str
    benefit: bool
    scale_min: int
    scale_max: int
    weight: float


class PrioritisationProjectOut(Schema):
    id: int
    title: str
    value: float
    rank: int
    rank_interval: list[int]
    top_k_probability: float
    robust: bool
    rank_acceptability: list[float]
    criterion_means: dict[str, float | None]
    in_portfolio: bool
    robust_portfolio_share: float | None
    prioritised: bool | None
    justification: str
    url: str


class PrioritisationOut(Schema):
    round: int
    title: str
    published_at: str
    weight_method: str
    draws: int
    top_k: int
    assessors: int
    criteria: list[PrioritisationCriterionOut]
    projects: list[PrioritisationProjectOut]


@router.get(
    "/prioritisation",
    response={200: PrioritisationOut, **ERRORS},
    summary="Die veröffentlichte Priorisierung",
)
def prioritisation(request):
    """Die zuletzt veröffentlichte Priorisierungsrunde: Kriterien mit Gewicht, je Projekt Wert,
    Rang, 90-Prozent-Rangintervall, Wahrscheinlichkeit für die Spitzengruppe (`top_k`),
    Rangwahrscheinlichkeiten, die Mittelwerte der Bewertungen je Kriterium und ob das Projekt
    zum optimalen Portfolio gehört. Einzelne Bewertungen sind nicht öffentlich."""
    from . import ranking_selectors

    published = ranking_selectors.public_prioritisation()
    if published is None:
        raise ApiError(404, _("Es ist noch keine Priorisierung veröffentlicht."))
    found, snapshot = published
    keys = [c["key"] for c in snapshot["criteria"]]
    return {
        "round": found.number,
        "title": found.title,
        "published_at": found.published_at.isoformat() if found.published_at else "",
        "weight_method": snapshot.get("weight_method") or "",
        "draws": snapshot.get("draws") or 0,
        "top_k": snapshot.get("top_k") or 0,
        "assessors": snapshot.get("assessors") or 0,
        "criteria": [
            {
                "key": c["key"],
                "title": c["title"],
                "description": c.get("description", ""),
                "kind": c["kind"],
                "benefit": c["benefit"],
                "scale_min": c["scale"][0],
                "scale_max": c["scale"][1],
                "weight": c["weight"],
            }
            for c in snapshot["criteria"]
        ],
        "projects": [
            {
                "id": p["id"],
                "title": p["title"],
                "value": p["value"],
                "rank": p["rank"],
                "rank_interval": p["interval"],
                "top_k_probability": p["top_k"],
                "robust": p["robust"],
                "rank_acceptability": p["acceptability"],
                "criterion_means": dict(zip(keys, p["mean"], strict=False)),
                "in_portfolio": p["in_portfolio"],
                "robust_portfolio_share": p["robust_share"],
                "prioritised": p["prioritised"],
                "justification": p["justification"],
                "url": settings.SITE_URL + reverse("portfolio:project_detail", args=[p["id"]]),
            }
            for p in snapshot["projects"]
        ],
    }
