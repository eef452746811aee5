"""The implementation-concept chapter of the strategy document: the prioritised projects, the
idea pool, how the priorities came about and the financing plan (``documents.contents``).

Only what the public may see goes in: public projects, and their money only where staff made
the costs public (``Project.costs_public``); the prioritisation as published."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leitbild.core.charts import format_number, format_percent
from leitbild.documents.contents import register_section
from leitbild.documents.model import Note, Paragraph, Section, Table

from . import ranking_selectors
from .models import Project, Stage
from .selectors import budget_emergency, money, project_finance

ZERO = Decimal(0)
SHOWN_STAGES = (Stage.PRIORITISED, Stage.IMPLEMENTING, Stage.COMPLETED)


def _project_section(project: Project, finance) -> Section:
    facts = [
        (_("Stand"), str(project.get_stage_display())),
        (_("Federführung"), project.lead_unit.name if project.lead_unit else "–"),
        (
            _("Ziele"),
            ", ".join(f"{link.goal.code} {link.goal.title}" for link in project.goal_links.all())
            or "–",
        ),
    ]
    if finance is not None:
        facts.append((_("Kosten gesamt"), money(finance.total) + " €"))
        if finance.programme is not None:
            facts.append(
                (
                    _("Förderung"),
                    _("%(programme)s, Fördersatz %(rate)s: %(amount)s €")
                    % {
                        "programme": finance.programme.short_name,
                        "rate": format_number(float(finance.rate), 0) + " %",
                        "amount": money(finance.total_programme),
                    },
                )
            )
        facts.append((_("Eigenanteil der Stadt"), money(finance.total_own) + " €"))
    blocks: list = [Paragraph(project.summary)] if project.summary else []
    blocks.append(Table(_("Steckbrief"), (_("Angabe"), _("Inhalt")), tuple(facts)))
    if project.aim:
        blocks.append(Paragraph(project.aim))
    return Section(f"projekt-{project.pk}", project.title, blocks)


def _prioritisation(published) -> Section | None:
    if published is None:
        return None
    round, snapshot = published
    criteria = snapshot.get("criteria", [])
    blocks: list = [
        Paragraph(
            _(
                "Die Projekte wurden in der Priorisierungsrunde „%(round)s“ nach transparenten "
                "Kriterien bewertet: %(assessors)s Bewertende vergaben Punkte je Kriterium, "
                "die Gewichte der Kriterien hat die Strategie-Redaktion festgelegt. Eine "
                "Robustheitsanalyse mit %(draws)s zufälligen Gewichtungen zeigt, wie sicher "
                "jeder Rang ist."
            )
            % {
                "round": round.title,
                "assessors": snapshot.get("assessors") or "–",
                "draws": format_number(snapshot.get("draws") or 0, 0),
            }
        )
    ]
    if criteria:
        blocks.append(
            Table(
                _("Kriterien und Gewichte"),
                (_("Kriterium"), _("Gewicht")),
                tuple((c["title"], format_percent(c["weight"], 1)) for c in criteria),
                numeric=(1,),
            )
        )
    ranked = sorted(snapshot.get("projects", []), key=lambda p: p["rank"])
    if ranked:
        blocks.append(
            Table(
                _("Rangfolge"),
                (_("Rang"), _("Projekt"), _("priorisiert"), _("Begründung")),
                tuple(
                    (
                        str(p["rank"]),
                        p["title"],
                        _("ja") if p.get("prioritised") else _("nein"),
                        p.get("justification") or "–",
                    )
                    for p in ranked
                ),
                numeric=(0,),
            )
        )
    return Section("priorisierung", _("Wie die Prioritäten entstanden sind"), blocks)


def implementation_section(ctx) -> Section | None:
    projects = list(
        Project.objects.filter(strategy=ctx.strategy, is_public=True)
        .exclude(stage=Stage.DISCARDED)
        .select_related("lead_unit")
        .prefetch_related(
            "goal_links__goal",
            "costs",
            "third_party",
            "assessments__programme",
            "assessments__phase",
        )
        .annotate(idea_total=Count("ideas", filter=Q(ideas__merged_into__isnull=True)))
        .order_by("priority", "title", "pk")
    )
    if not projects:
        return None
    emergency = budget_emergency()
    finances = {
        p.pk: project_finance(p, emergency=emergency) if p.costs_public else None for p in projects
    }
    chosen = [p for p in projects if p.stage in SHOWN_STAGES]
    children: list[Section] = []
    if chosen:
        children.append(
            Section(
                "projekte",
                _("Priorisierte Projekte"),
                children=[_project_section(p, finances[p.pk]) for p in chosen],
            )
        )
    pool = [p for p in projects if p.stage not in SHOWN_STAGES]
    children.append(
        Section(
            "ideenpool",
            _("Der Projektpool und seine Herkunft"),
            [
                Paragraph(
                    _(
                        "Alle Projekte gehen auf Ideen aus der Beteiligung oder auf Vorschläge "
                        "der Verwaltung zurück. Die Tabelle zeigt, wie viele Ideen in jedes "
                        "Projekt eingeflossen sind."
                    )
                ),
                Table(
                    _("Projekte und ihre Ideen"),
                    (_("Projekt"), _("Stand"), _("Ideen")),
                    tuple(
                        (p.title, str(p.get_stage_display()), format_number(p.idea_total, 0))
                        for p in chosen + pool
                    ),
                    numeric=(2,),
                ),
            ],
        )
    )
    prioritisation = _prioritisation(ranking_selectors.public_prioritisation(strategy=ctx.strategy))
    if prioritisation is not None:
        children.append(prioritisation)
    plan = _financing(chosen, finances)
    if plan is not None:
        children.append(plan)
    return Section("umsetzung", "", children=children)


def _financing(projects, finances) -> Section | None:
    with_costs = [finances[p.pk] for p in projects if finances[p.pk] is not None]
    if not with_costs:
        return None
    years = sorted({y for f in with_costs for y in f.years})
    rows = []
    for label, part in (
        (_("Kosten"), "costs"),
        (_("Fördermittel"), "programme_share"),
        (_("Mittel Dritter"), "third_party"),
        (_("Eigenanteil"), "own_share"),
    ):
        per_year = [sum((getattr(f, part).get(y, ZERO) for f in with_costs), ZERO) for y in years]
        rows.append((label, *[money(v) for v in per_year], money(sum(per_year, ZERO))))
    return Section(
        "finanzierung",
        _("Finanzierungsplan"),
        [
            Table(
                _("Finanzierung der priorisierten Projekte in Euro"),
                (_("Posten"), *[str(y) for y in years], _("gesamt")),
                tuple(rows),
                numeric=tuple(range(1, len(years) + 2)),
            ),
            Note(
                _(
                    "Enthält die Projekte, deren Kosten veröffentlicht sind. Fördersätze nach "
                    "dem jeweiligen Programm (Modellprojekte Smart Cities: 65 %%, bei "
                    "Haushaltsnotlage 90 %%)."
                )
            ),
        ],
    )


def financing_totals(strategy) -> dict[str, Decimal] | None:
    """Costs, funding, third-party money and own share of the public prioritised projects with
    public costs, for the council paper's "finanzielle Auswirkungen" (None if there are none)."""
    projects = list(
        Project.objects.filter(
            strategy=strategy, is_public=True, costs_public=True, stage__in=SHOWN_STAGES
        ).prefetch_related("costs", "third_party", "assessments__programme", "assessments__phase")
    )
    if not projects:
        return None
    emergency = budget_emergency()
    finances = [project_finance(p, emergency=emergency) for p in projects]
    years = sorted({y for f in finances for y in f.years})
    return {
        "projects": Decimal(len(projects)),
        "first_year": Decimal(years[0]) if years else ZERO,
        "last_year": Decimal(years[-1]) if years else ZERO,
        "costs": sum((f.total for f in finances), ZERO),
        "programme": sum((f.total_programme for f in finances), ZERO),
        "third_party": sum((f.total_third_party for f in finances), ZERO),
        "own": sum((f.total_own for f in finances), ZERO),
    }


def register() -> None:
    register_section(
        "strategy",
        key="umsetzung",
        order=60,
        title=gettext_lazy("Das Umsetzungskonzept"),
        build=implementation_section,
    )
