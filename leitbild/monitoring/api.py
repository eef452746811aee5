"""Open data of the indicator monitoring: ``GET /api/v1/indicators``.

The indicators of the published strategy version with their baselines, targets, every
measurement and the state by the rule in ``monitoring.selectors``. No personal data: who
entered a value is not part of it.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema

from leitbild.core.api_common import ERRORS
from leitbild.strategy.selectors import decimal_text

from . import selectors

router = Router()


def _plain(value: Decimal | None) -> Decimal | None:
    """Without trailing zeros and never in exponent notation (as the strategy API: "12.5")."""
    text = decimal_text(value)
    return None if text is None else Decimal(text)


class MeasurementOut(Schema):
    value: Decimal
    measured_on: date
    provisional: bool
    source: str


class MonitoredIndicatorOut(Schema):
    id: int
    name: str
    unit: str
    direction: str
    field_code: str
    goal_code: str
    baseline_value: Decimal | None
    baseline_year: int | None
    target_value: Decimal | None
    target_year: int | None
    qualitative: bool
    state: str
    state_label: str
    progress_percent: float | None
    expected_value: Decimal | None
    measurements: list[MeasurementOut]
    url: str


@router.get(
    "/indicators",
    response={200: list[MonitoredIndicatorOut], **ERRORS},
    summary="Indikatoren mit Messwerten",
    url_name="indicators",
)
def indicators(request: HttpRequest):
    """The indicators of the published strategy version, each with its baseline, target,
    direction (``higher`` or ``lower`` is better), every measurement (oldest first) and its
    state: ``on_track``, ``at_risk``, ``off_track`` or ``not_assessed``. The rule: a straight
    path from the baseline (1 January of its year) to the target (31 December of its year);
    on track if the latest value is at least as good as the path's value on its day, at risk
    if it falls short by at most 10 Prozent of the whole way, off track otherwise."""
    found = selectors.public_indicators()
    out = []
    for group in found.fields:
        for status in group.indicators:
            facts, assessment = status.facts, status.assessment
            out.append(
                {
                    "id": facts.id,
                    "name": facts.name,
                    "unit": facts.unit,
                    "direction": facts.direction,
                    "field_code": group.code,
                    "goal_code": status.goal_code,
                    "baseline_value": facts.baseline_value,
                    "baseline_year": facts.baseline_year,
                    "target_value": facts.target_value,
                    "target_year": facts.target_year,
                    "qualitative": facts.qualitative,
                    "state": assessment.state.value,
                    "state_label": assessment.state_label,
                    "progress_percent": assessment.progress,
                    "expected_value": _plain(assessment.expected),
                    "measurements": [
                        {
                            "value": _plain(p.value),
                            "measured_on": p.measured_on,
                            "provisional": p.provisional,
                            "source": p.source,
                        }
                        for p in status.points
                    ],
                    "url": settings.SITE_URL
                    + reverse("monitoring:indicator_detail", args=[facts.id]),
                }
            )
    return out
