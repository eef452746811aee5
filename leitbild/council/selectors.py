"""Reads of the council office: bodies, the consultation sequence of versions."""

from __future__ import annotations

from django.db.models import QuerySet

from leitbild.strategy.models import StrategyVersion

from .models import Body, ConsultationStep


def bodies() -> QuerySet[Body]:
    return Body.objects.all()


def steps(version: StrategyVersion) -> list[ConsultationStep]:
    return list(ConsultationStep.objects.filter(version=version).select_related("body"))


def steps_of(versions) -> dict[int, list[ConsultationStep]]:
    """version pk → its steps in date order, one query for all versions."""
    found: dict[int, list[ConsultationStep]] = {v.pk: [] for v in versions}
    for step in ConsultationStep.objects.filter(version__in=list(versions)).select_related("body"):
        found[step.version_id].append(step)
    return found


def versions_overview() -> list[tuple[StrategyVersion, list[ConsultationStep]]]:
    versions = list(
        StrategyVersion.objects.defer("snapshot")
        .select_related("strategy")
        .order_by("strategy__title", "-number")
    )
    by_version = steps_of(versions)
    return [(v, by_version[v.pk]) for v in versions]


def step_initial(step: ConsultationStep) -> dict:
    return {
        "body": step.body_id,
        "meeting_date": step.meeting_date,
        "role": step.role,
        "result": step.result,
        "resolution": step.resolution,
        "paper_reference": step.paper_reference,
        "paper_url": step.paper_url,
    }


def steps_for_api(versions) -> dict[int, list[dict]]:
    """The consultation sequence of each version as the API gives it (one query)."""
    return {
        pk: [
            {
                "body": s.body.name,
                "meeting_date": s.meeting_date,
                "role": s.role,
                "role_label": str(s.get_role_display()),
                "result": s.result,
                "result_label": str(s.get_result_display()),
                "resolution": s.resolution,
                "paper_reference": s.paper_reference,
                "paper_url": s.paper_url,
                "source": s.source,
            }
            for s in found
        ]
        for pk, found in steps_of(versions).items()
    }
