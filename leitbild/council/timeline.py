"""The strategy's whole way on one page: from the idea call and the weighting through the
drafts and the council's steps to the adoption, with links to the papers and documents."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from leitbild.participation.models import Phase
from leitbild.strategy.models import StrategyVersion

from .models import ConsultationStep


@dataclass(frozen=True)
class Event:
    on: datetime.date
    title: str
    text: str = ""
    url: str = ""
    link: str = ""
    upcoming: bool = False


def timeline(strategy) -> list[Event]:
    """Every event in date order, in three queries."""
    today = timezone.localdate()
    events: list[Event] = []
    for phase in Phase.objects.filter(process__strategy=strategy).select_related("process"):
        start = timezone.localtime(phase.starts_at).date()
        end = timezone.localtime(phase.ends_at).date()
        events.append(
            Event(
                start,
                f"{phase.get_kind_display()}: {phase.title}",
                _("%(process)s, bis %(end)s")
                % {"process": phase.process.title, "end": date_format(end, "DATE_FORMAT")},
                upcoming=start > today,
            )
        )
    versions = list(
        StrategyVersion.objects.filter(strategy=strategy)
        .exclude(status=StrategyVersion.Status.DRAFT)
        .defer("snapshot")
    )
    for version in versions:
        url = reverse("strategy:version_detail", args=[strategy.slug, version.number])
        events.append(
            Event(
                timezone.localtime(version.created_at).date(),
                _("Entwurf Version %(number)d") % {"number": version.number},
                version.note,
                url,
                _("Version %(number)d ansehen") % {"number": version.number},
            )
        )
        if version.decided_on:
            events.append(
                Event(
                    version.decided_on,
                    _("Beschluss der Version %(number)d") % {"number": version.number},
                    version.decision_reference,
                    reverse("strategy:document_web", args=[strategy.slug, version.number]),
                    _("Strategiedokument lesen"),
                )
            )
    steps = ConsultationStep.objects.filter(version__in=versions).select_related("body", "version")
    for step in steps:
        result = step.get_result_display() if step.result else _("geplant")
        events.append(
            Event(
                step.meeting_date,
                f"{step.body.name}: {step.get_role_display()}",
                _("Version %(number)d – %(result)s")
                % {"number": step.version.number, "result": result},
                step.paper_url,
                step.paper_reference or (_("Vorlage") if step.paper_url else ""),
                upcoming=step.meeting_date > today,
            )
        )
    return sorted(events, key=lambda e: (e.on, e.title))
