"""Reads of the council office: bodies, the consultation sequence of versions, what was read
from the council information system (OParl)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from leitbild.strategy.models import StrategyVersion

from .models import Body, ConsultationStep, OParlObject, OParlSource, PaperLink


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


def amendments(version: StrategyVersion) -> list:
    from .models import Amendment

    return list(Amendment.objects.filter(version=version))


def open_amendments(strategy) -> list:
    """Amendments of the strategy's adopted versions that the Redaktion has not yet worked
    into the draft: its checklist."""
    from .models import Amendment

    return list(
        Amendment.objects.filter(
            version__strategy=strategy,
            version__status=StrategyVersion.Status.ADOPTED,
            done_at__isnull=True,
        ).select_related("version")
    )


def amendment_targets(version: StrategyVersion) -> list:
    """The choices for what an amendment is about: the version's fields and goals."""
    fields = [
        (f"feld:{f['code']} {f['name']}", f"{f['code']} {f['name']}")
        for f in version.snapshot["fields"]
    ]
    goals = [
        (f"ziel:{g['code']} {g['title']}", f"{g['code']} {g['title']}")
        for f in version.snapshot["fields"]
        for g in f["goals"]
    ]
    return [
        (_("Handlungsfelder"), fields),
        (_("Ziele"), goals),
        (_("Sonstiges"), [("sonstiges:" + str(_("Sonstiges")), _("Sonstiges"))]),
    ]


# --- OParl ---------------------------------------------------------------------------------------


def oparl_source() -> OParlSource | None:
    return OParlSource.objects.first()


def oparl_counts(source: OParlSource | None) -> dict[str, int]:
    """How many current objects of each kind were read (deleted ones not counted)."""
    if source is None:
        return {}
    rows = (
        OParlObject.objects.filter(source=source, deleted=False)
        .values("kind")
        .annotate(n=Count("pk"))
    )
    return {row["kind"]: row["n"] for row in rows}


def paper_links(source: OParlSource | None) -> list[dict]:
    """Every version linked to a paper, with the paper if it has been read and the number of
    steps taken from the council system; three queries whatever the number of links."""
    links = list(PaperLink.objects.select_related("version__strategy").order_by("pk"))
    papers: dict[str, OParlObject] = {}
    if source is not None and links:
        found = OParlObject.objects.filter(source=source, kind="Paper", deleted=False).filter(
            Q(oparl_id__in=[link.paper_oparl_id for link in links if link.paper_oparl_id])
            | Q(reference__in=[link.reference for link in links])
        )
        for paper in found:
            papers[paper.oparl_id] = papers[paper.reference] = paper
    counts = dict(
        ConsultationStep.objects.filter(
            version__in=[link.version_id for link in links], source=ConsultationStep.Source.OPARL
        )
        .values_list("version")
        .annotate(n=Count("pk"))
    )
    return [
        {
            "link": link,
            "paper": papers.get(link.paper_oparl_id) or papers.get(link.reference),
            "steps": counts.get(link.version_id, 0),
        }
        for link in links
    ]


def papers_search(source: OParlSource | None, query: str, limit: int = 20) -> list[OParlObject]:
    query = query.strip()
    if source is None or not query:
        return []
    return list(
        OParlObject.objects.filter(source=source, kind="Paper", deleted=False)
        .filter(Q(reference__icontains=query) | Q(name__icontains=query))
        .order_by("-date", "reference")[:limit]
    )


def paper_get(source: OParlSource | None, pk: int) -> OParlObject | None:
    if source is None:
        return None
    return OParlObject.objects.filter(source=source, kind="Paper", deleted=False, pk=pk).first()


def inbox_oparl(user) -> list:
    """The Ratsbüro's inbox: a failed sync with the council information system (one query)."""
    from django.urls import reverse

    from leitbild.core.inbox import InboxEntry, Section

    source = OParlSource.objects.filter(status=OParlSource.Status.FAILED).first()
    if source is None:
        return []
    return [
        InboxEntry(
            section=Section.FAILED,
            label=_("Abgleich mit dem Ratsinformationssystem fehlgeschlagen"),
            url=reverse("council:oparl"),
            detail=source.error[:120],
        )
    ]
