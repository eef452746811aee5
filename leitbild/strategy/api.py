"""Read-only JSON of the published framework, mounted at /api/v1/strategy.

Only versions the public may see are served: in consultation, adopted, superseded. There are
no write operations; a version's content cannot change anyway (``StrategyVersion.save``).
"""

import datetime
from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from leitbild.core.api_common import ERRORS, ApiError, Key, Text

from . import selectors
from .models import StrategyVersion
from .panels import version_steps

router = Router()

VersionStatus = Literal["consultation", "adopted", "superseded"]


class IndicatorOut(Schema):
    id: int
    name: str
    unit: str
    direction: Literal["higher", "lower"]
    baseline_value: float | None
    baseline_year: int | None
    target_value: float | None
    target_year: int | None
    source: str
    qualitative: bool


class GoalOut(Schema):
    id: int
    code: str
    title: str
    description: str
    charter_principles: list[Literal["ziele", "transparenz", "infrastruktur", "ressourcen"]]
    sdgs: list[int]
    indicators: list[IndicatorOut]


class FieldOut(Schema):
    """A field of action (Handlungsfeld). ``id`` is stable across versions."""

    id: int
    code: str
    name: str
    description: str
    colour: str
    icon: str
    goals: list[GoalOut]


class LeitlinieOut(Schema):
    id: int
    title: str
    text: str


class StrategyOut(Schema):
    title: str
    slug: str
    edition: str
    summary: str


class DocumentOut(Schema):
    kind: Literal["strategy", "council_paper"]
    format: Literal["pdf", "docx"]
    url: str
    sha256: str
    size: int
    pages: int | None
    generated_at: datetime.datetime


class StepOut(Schema):
    """One step of the consultation sequence (Beratungsfolge) in the council's bodies."""

    body: str
    meeting_date: datetime.date
    role: str
    role_label: str
    result: str
    result_label: str
    resolution: str
    paper_reference: str
    paper_url: str
    source: Literal["manual", "oparl"]


class VersionSummaryOut(Schema):
    strategy_slug: str
    number: int
    status: VersionStatus
    status_label: str
    frozen_at: datetime.datetime
    decided_on: datetime.date | None
    decision_reference: str
    note: str
    documents: list[DocumentOut]
    consultation: list[StepOut]


class VersionOut(VersionSummaryOut):
    strategy: StrategyOut
    leitlinien: list[LeitlinieOut]
    fields: list[FieldOut]


URL_KINDS = {"strategy": "strategie", "council_paper": "beschlussvorlage"}


def _documents(version: StrategyVersion, files: dict | None) -> list[dict]:
    if files is None:
        files = selectors.version_documents([version])[version.pk]
    return [
        {
            "kind": row.kind,
            "format": row.format,
            "url": settings.SITE_URL
            + reverse(
                "strategy:document_download",
                args=[version.strategy.slug, version.number, URL_KINDS[row.kind], row.format],
            ),
            "sha256": row.sha256,
            "size": row.size,
            "pages": row.pages,
            "generated_at": row.generated_at,
        }
        for row in files.values()
    ]


def _summary(
    version: StrategyVersion, files: dict | None = None, steps: list | None = None
) -> dict:
    return {
        "strategy_slug": version.strategy.slug,
        "number": version.number,
        "status": version.status,
        "status_label": str(version.get_status_display()),
        "frozen_at": version.created_at,
        "decided_on": version.decided_on,
        "decision_reference": version.decision_reference,
        "note": version.note,
        "documents": _documents(version, files),
        "consultation": steps if steps is not None else version_steps([version])[version.pk],
    }


def _full(version: StrategyVersion) -> dict:
    snapshot = version.snapshot
    return {
        **_summary(version),
        "strategy": snapshot["strategy"],
        "leitlinien": snapshot["leitlinien"],
        "fields": [
            {
                **field,
                "goals": [
                    {
                        **goal,
                        "indicators": [
                            {
                                **indicator,
                                "baseline_value": _float(indicator["baseline_value"]),
                                "target_value": _float(indicator["target_value"]),
                            }
                            for indicator in goal["indicators"]
                        ],
                    }
                    for goal in field["goals"]
                ],
            }
            for field in snapshot["fields"]
        ],
    }


def _float(text: str | None) -> float | None:
    return None if text is None else float(text)


def _strategy_slug(slug: str | None) -> str | None:
    if slug:
        return slug
    main = selectors.public_state().main
    return main.strategy.slug if main else None


def _nothing_published() -> str:
    return _("Es ist noch keine Version des strategischen Rahmens veröffentlicht.")


@router.get(
    "",
    response={200: VersionOut, **ERRORS},
    summary="Der geltende Rahmen",
    url_name="strategy_current",
)
def current(request: HttpRequest):
    """The adopted framework, nested: Leitlinien, fields of action, goals, indicators. While
    none is adopted, the draft under consultation (``status`` says which)."""
    version = selectors.public_state().main
    if version is None:
        raise HttpError(404, _nothing_published())
    return _full(version)


@router.get(
    "/versions",
    response={200: list[VersionSummaryOut], **ERRORS},
    summary="Alle Versionen",
    url_name="strategy_versions",
)
def versions(request: HttpRequest, strategy: Text | None = None):
    """The published versions of a strategy (by default the current one), newest first."""
    slug = _strategy_slug(strategy)
    if slug is None:
        return []
    strategy_obj = selectors.strategy_get(slug=slug)
    if strategy_obj is None:
        return []
    found = list(selectors.version_list(strategy=strategy_obj, public=True))
    files = selectors.version_documents(found)  # one query for all versions
    steps = version_steps(found)  # and one for their consultation sequences
    return [_summary(v, files[v.pk], steps[v.pk]) for v in found]


@router.get(
    "/versions/{number}",
    response={200: VersionOut, **ERRORS},
    summary="Eine Version",
    url_name="strategy_version",
)
def version(request: HttpRequest, number: Key, strategy: Text | None = None):
    """One published version of a strategy (by default the current one), nested."""
    slug = _strategy_slug(strategy)
    found = selectors.version_get(slug=slug, number=number, public=True) if slug else None
    if slug is None:
        raise HttpError(404, _nothing_published())
    if found is None:
        raise ApiError(
            404,
            _("Version %(number)s gibt es nicht oder sie ist nicht veröffentlicht.")
            % {"number": number},
            parameter="number",
        )
    return _full(found)
