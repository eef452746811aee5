"""The demo city's implementation concept: 40 projects over all ten fields of action.

36 projects grow out of the idea call (each from the ideas made from one idea template, see
``participation.demo.TEMPLATES``; the ideas are linked and so "in die Strategie aufgenommen"),
four come from the administration. Cost plans cover 2025–2029, lead units are departments and
municipal companies, the prioritised projects are assessed for MPSC, and the city's own share
in 2027 exceeds that year's budget, so the financing plan shows its warning. Everything goes
through ``portfolio.services``, deterministically (``random.Random(SEED)``).
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from leitbild.participation.models import Idea, IdeaStatus, Process
from leitbild.strategy.models import Goal, Strategy

from . import demo_prioritisation, selectors, services
from .models import CostType, OrgUnit, Programme, Project, Stage, Strength

SEED = 2025
STRATEGY_SLUG = "musterstadt"
PROCESS_SLUG = "ideenaufruf-smart-city"
MPSC_NAME = "Modellprojekte Smart Cities"
OVER_BUDGET_YEAR = 2027

UNITS = [
    ("Amt für Digitalisierung und Smart City", "ADS", OrgUnit.Kind.DEPARTMENT),
    ("Tiefbau- und Verkehrsamt", "TVA", OrgUnit.Kind.DEPARTMENT),
    ("Schulamt", "SCH", OrgUnit.Kind.DEPARTMENT),
    ("Gesundheitsamt", "GA", OrgUnit.Kind.DEPARTMENT),
    ("Umwelt- und Klimaschutzamt", "UKA", OrgUnit.Kind.DEPARTMENT),
    ("Wirtschaftsförderung Musterstadt", "WFM", OrgUnit.Kind.DEPARTMENT),
    ("Bürgeramt", "BA", OrgUnit.Kind.DEPARTMENT),
    ("Stadtplanungsamt", "SPA", OrgUnit.Kind.DEPARTMENT),
    ("Kulturamt und Stadtbibliothek", "KUL", OrgUnit.Kind.DEPARTMENT),
    ("Ordnungsamt und Feuerwehr", "OA", OrgUnit.Kind.DEPARTMENT),
    ("Stadtwerke Musterstadt GmbH", "SWM", OrgUnit.Kind.COMPANY),
    ("Musterstädter Verkehrsbetriebe GmbH", "MVB", OrgUnit.Kind.COMPANY),
    ("Wohnungsbaugesellschaft Musterstadt mbH", "WBG", OrgUnit.Kind.COMPANY),
]
LEAD = {
    "MOB": "MVB",
    "BIL": "SCH",
    "GES": "GA",
    "ENU": "UKA",
    "WIA": "WFM",
    "VBS": "BA",
    "WQ": "WBG",
    "KUF": "KUL",
    "SIC": "OA",
    "DIN": "SWM",
}

# One project per idea template (same order as participation.demo.TEMPLATES).
FROM_IDEAS = [
    "Sichere Fahrradabstellanlagen an Haltestellen",
    "Echtzeit-Fahrgastinformation an allen Haltestellen",
    "Quartiers-Carsharing mit Elektroautos",
    "Bedarfsgesteuerte Beleuchtung der Radwege",
    "Digitales Parkraummanagement",
    "Rufbus für die Abendstunden",
    "Digitale Ausstattung der Schulen",
    "Offene Digitalwerkstätten für Jugendliche",
    "Digitallotsen für Seniorinnen und Senioren",
    "Lernplattform der Stadtbibliothek",
    "Defibrillator-Kataster und Ersthelfer-App",
    "Telemedizin in Pflegeeinrichtungen",
    "Hitzeaktionsplan mit digitaler Hitzekarte",
    "Sensorgestützte Bewässerung von Stadtbäumen",
    "Füllstandsmessung an Wertstoffcontainern",
    "Solarkataster und Photovoltaik auf städtischen Dächern",
    "Frühwarnsystem Starkregen und Hochwasser",
    "Messnetz für Luftqualität",
    "Lokaler Online-Marktplatz für den Einzelhandel",
    "Coworking in den Stadtteilen",
    "Gründerzentrum Digitale Wirtschaft",
    "Online-Dienste für alle Verwaltungsleistungen",
    "Terminmanagement im Bürgerbüro",
    "Digitaler Mängelmelder",
    "Stadt-App Musterstadt",
    "Nachbarschaftsplattform für die Quartiere",
    "Gemeinschaftsgärten mit smarter Bewässerung",
    "Temporäre Spielstraßen mit digitaler Anmeldung",
    "Digitale Stadtführungen",
    "Freies WLAN an öffentlichen Plätzen",
    "Auslastungsanzeige für Bäder und Sporthallen",
    "Intelligente Straßenbeleuchtung",
    "Warn- und Informations-App für Bevölkerungsschutz",
    "Open-Data-Portal Musterstadt",
    "Glasfaserausbau in unterversorgten Stadtteilen",
    "Digitaler Zwilling der Stadt",
]
FROM_ADMINISTRATION = [
    ("Urbane Datenplattform", ["DIN", "VBS"]),
    ("LoRaWAN-Funknetz der Stadtwerke", ["DIN", "ENU"]),
    ("Smart-City-Lab im Alten Zollhof", ["WIA", "BIL"]),
    ("Digitale Beteiligungsplattform", ["VBS", "WQ"]),
]
# Stages of the 40 projects, by position.
STAGES = (
    [Stage.PRIORITISED] * 14
    + [Stage.IMPLEMENTING] * 8
    + [Stage.COMPLETED] * 1
    + [Stage.QUALIFYING] * 8
    + [Stage.POOL] * 7
    + [Stage.DISCARDED] * 2
)
STAGE_REASONS = {
    Stage.QUALIFYING: "Vom Lenkungskreis Smart City zur Qualifizierung ausgewählt.",
    Stage.PRIORITISED: "In der Sitzung des Lenkungskreises am 12. März 2025 priorisiert.",
    Stage.IMPLEMENTING: "Förderbescheid liegt vor; Umsetzung begonnen.",
    Stage.COMPLETED: "Pilotbetrieb erfolgreich abgeschlossen, in den Regelbetrieb übergeben.",
    Stage.DISCARDED: "Wird im Rahmen des Landesprogramms von einem Zweckverband umgesetzt.",
}
PATH = {
    Stage.QUALIFYING: [Stage.QUALIFYING],
    Stage.PRIORITISED: [Stage.QUALIFYING, Stage.PRIORITISED],
    Stage.IMPLEMENTING: [Stage.QUALIFYING, Stage.PRIORITISED, Stage.IMPLEMENTING],
    Stage.COMPLETED: [Stage.QUALIFYING, Stage.PRIORITISED, Stage.IMPLEMENTING, Stage.COMPLETED],
    Stage.DISCARDED: [Stage.QUALIFYING, Stage.DISCARDED],
    Stage.POOL: [],
}
MPSC_CRITERIA = [
    "Gemeinwohlorientierung",
    "Integrierte Stadtentwicklung",
    "Beteiligung der Stadtgesellschaft",
    "Übertragbarkeit und Skalierbarkeit",
    "Open Source und offene Schnittstellen",
    "Datensouveränität und Datenschutz",
    "Ressourcenplanung",
    "Risiken und ihr Management",
]


def ensure_programmes() -> Programme:
    """MPSC as shipped (also for instances without the demo), and a Land programme."""
    mpsc = Programme.objects.filter(name=MPSC_NAME).first()
    if mpsc is None:
        mpsc = services.programme_save(
            actor=None,
            name=MPSC_NAME,
            short_name="MPSC",
            level=Programme.Level.FEDERAL,
            description="Förderprogramm des Bundes für Modellprojekte Smart Cities: 65 % der "
            "förderfähigen Kosten, 90 % für Kommunen in Haushaltsnotlage nach "
            "Landesrecht.",
            rate=Decimal("65"),
            emergency_rate=Decimal("90"),
            eligible_cost_types=[CostType.INVESTMENT, CostType.STAFF, CostType.CONSULTING],
            runs_from=2025,
            runs_until=2029,
            phases=[
                services.PhaseRow(
                    "Phase A (Strategie)", Decimal("2500000"), "davon 1 Mio. € für erste Maßnahmen"
                ),
                services.PhaseRow("Phase B (Umsetzung)", Decimal("15000000")),
            ],
            criteria=MPSC_CRITERIA,
        )
    if not Programme.objects.filter(short_name="DigiLand").exists():
        services.programme_save(
            actor=None,
            name="Landesprogramm Digitale Kommune",
            short_name="DigiLand",
            level=Programme.Level.LAND,
            rate=Decimal("50"),
            eligible_cost_types=[CostType.INVESTMENT],
            runs_from=2025,
            runs_until=2027,
            phases=[services.PhaseRow("Förderaufruf 2025", Decimal("1000000"))],
            criteria=["Beitrag zur Digitalisierung der Verwaltung", "Interkommunale Nutzung"],
        )
    return mpsc


def _goals_for(strategy: Strategy, codes: list[str], rng: random.Random) -> list:
    links = []
    for number, code in enumerate(codes):
        goals = list(Goal.objects.filter(strategy=strategy, field__code=code).order_by("order"))
        if goals:
            links.append(
                services.GoalLink(
                    rng.choice(goals), Strength.STRONG if number == 0 else Strength.MEDIUM
                )
            )
    return links


def _cost_plan(rng: random.Random, start: int, years: int) -> list:
    scale = rng.choice([60, 90, 120, 160, 220])
    rows = []
    for offset in range(years):
        year = start + offset
        if offset == 0:
            rows.append(
                services.CostRow(year, CostType.CONSULTING, Decimal(rng.randrange(10, 40) * 1000))
            )
        if offset < 2:
            rows.append(
                services.CostRow(
                    year, CostType.INVESTMENT, Decimal(scale * rng.randrange(5, 12) * 100)
                )
            )
        rows.append(services.CostRow(year, CostType.STAFF, Decimal(rng.randrange(40, 95) * 1000)))
        if offset >= 1:
            rows.append(
                services.CostRow(year, CostType.OPERATION, Decimal(rng.randrange(5, 30) * 1000))
            )
    return rows


def load() -> None:
    """Idempotent: runs after the idea call's demo on every `leitbild demo`. The ranking of
    the demo round runs after the projects' transaction (its robust portfolio is a task)."""
    from . import demo_ranking  # it reads this module's constants

    _load_projects()
    demo_ranking.load()


@transaction.atomic
def _load_projects() -> None:
    strategy = Strategy.objects.filter(slug=STRATEGY_SLUG).first()
    if strategy is None:
        return
    mpsc = ensure_programmes()
    if Project.objects.filter(strategy=strategy).exists():
        demo_prioritisation.load()
        return
    rng = random.Random(SEED)
    units = {}
    for name, short, kind in UNITS:
        units[short] = OrgUnit.objects.filter(name=name).first() or services.orgunit_save(
            actor=None, name=name, short_name=short, kind=kind
        )
    from leitbild.participation.demo import TEMPLATES

    process = Process.objects.filter(slug=PROCESS_SLUG).first()
    ideas = list(Idea.objects.filter(process=process).order_by("pk")) if process else []
    linkable = {IdeaStatus.PUBLISHED, IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED}
    specs = []
    for index, title in enumerate(FROM_IDEAS):
        codes = TEMPLATES[index][0]
        mine = [
            i
            for n, i in enumerate(ideas)
            if n % len(TEMPLATES) == index and i.merged_into_id is None and i.status in linkable
        ][:3]
        specs.append((title, codes, mine, TEMPLATES[index][2].split(". ")[0]))
    for title, codes in FROM_ADMINISTRATION:
        specs.append((title, codes, [], ""))
    order = list(range(len(specs)))
    rng.shuffle(order)
    projects = []
    for position, spec_index in enumerate(order):
        title, codes, mine, problem = specs[spec_index]
        stage = STAGES[position]
        start = rng.choice([2025, 2025, 2026, 2026, 2027])
        years = rng.randrange(3, 2029 - start + 2) if start < 2029 else 1
        years = min(years, 2029 - start + 1)
        point = next((i for i in mine if i.lat is not None), None)
        partners = [units["ADS"]] + ([units["SWM"]] if "DIN" in codes or "ENU" in codes else [])
        lead = units[LEAD[codes[0]]]
        project = services.project_create(
            actor=None,
            strategy=strategy,
            title=title,
            summary=f"{title}: ein Baustein der Smart-City-Strategie Musterstadt.",
            description=(
                f"Das Projekt „{title}“ setzt Ziele des Handlungsfelds "
                f"{codes[0]} um und wird von {lead} geleitet."
            ),
            goals=_goals_for(strategy, codes, rng),
            partner_units=[u for u in partners if u != lead],
            lead_unit=lead,
            external_partners="Hochschule Musterstadt" if rng.random() < 0.4 else "",
            starts_on=datetime.date(start, 1, 1),
            duration_months=years * 12,
            risks="Lieferzeiten der Hardware; Fachkräfte für den Betrieb.",
            priority=position + 1 if stage in (Stage.PRIORITISED, Stage.IMPLEMENTING) else None,
            lat=point.lat if point else None,
            lon=point.lon if point else None,
            problem=problem or "Daten und Dienste der Stadt sind bisher nicht verbunden.",
            aim=f"{title} steht allen in Musterstadt zur Verfügung.",
            steps="1. Bedarfsanalyse mit den Fachämtern\n2. Ausschreibung\n3. Pilot in einem "
            "Stadtteil\n4. Ausweitung auf die ganze Stadt",
            data_needed="Geodaten der Stadt, Daten der Fachverfahren",
            data_produced=("Offene Daten im Open-Data-Portal (Lizenz dl-de/by-2-0)"),
            continuation="Der Betrieb geht nach der Förderung in den Haushalt des Fachamts über.",
            transferability="Dokumentation und Quellcode werden anderen Kommunen über die "
            "Wissensplattform zur Verfügung gestellt.",
            open_source="Quellcode unter EUPL-1.2, offene Schnittstellen (OGC SensorThings, REST).",
            is_public=stage != Stage.QUALIFYING or position % 4 != 0,
            costs_public=stage in (Stage.PRIORITISED, Stage.IMPLEMENTING, Stage.COMPLETED),
            ideas=mine,
        )
        for step in PATH[stage]:
            services.project_stage_set(
                actor=None, project=project, stage=step, reason=STAGE_REASONS[step]
            )
        services.cost_plan_set(
            actor=None,
            project=project,
            costs=_cost_plan(rng, start, years),
            third_party=[services.ThirdPartyRow(start, "Stiftung Digitale Stadt", Decimal("25000"))]
            if rng.random() < 0.2
            else [],
        )
        projects.append((project, stage))
    # Dependencies: the apps and services build on the data platform and the radio network.
    by_title = {p.title: p for p, _s in projects}
    platform = by_title["Urbane Datenplattform"]
    for title in (
        "Stadt-App Musterstadt",
        "Digitaler Zwilling der Stadt",
        "Open-Data-Portal Musterstadt",
        "Messnetz für Luftqualität",
    ):
        _depend(by_title[title], [platform])
    _depend(
        by_title["Sensorgestützte Bewässerung von Stadtbäumen"],
        [by_title["LoRaWAN-Funknetz der Stadtwerke"]],
    )
    _assess(projects, mpsc, rng)
    plan = selectors.financing_plan(strategy=strategy)
    own = plan.by_source.get("own", {})
    budgets = {}
    for year in plan.years:
        amount = own.get(year, Decimal(0))
        factor = Decimal("0.8") if year == OVER_BUDGET_YEAR else Decimal("1.15")
        budgets[year] = (amount * factor).quantize(Decimal("1000"))
    services.budget_set(actor=None, years=budgets, budget_emergency=False)
    demo_prioritisation.load()


def _depend(project: Project, others: list[Project]) -> None:
    links = [services.GoalLink(link.goal, link.strength) for link in project.goal_links.all()]
    data = {name: getattr(project, name) for name in services.PROJECT_FIELDS}
    services.project_update(
        actor=None,
        project=project,
        goals=links,
        partner_units=list(project.partner_units.all()),
        depends_on=others,
        **data,
    )


def _assess(projects, mpsc: Programme, rng: random.Random) -> None:
    phase_b = mpsc.phases.get(name__startswith="Phase B")
    criteria = list(mpsc.criteria.all())
    for project, stage in projects:
        if stage in (Stage.POOL, Stage.DISCARDED):
            continue
        scores = [
            services.ScoreRow(
                c, rng.choice([1, 2, 2, 3, 3]), "Im Steckbrief nachvollziehbar beschrieben."
            )
            for c in criteria
        ]
        total = sum(s.score for s in scores)
        potential = "hoch" if total >= 19 else "mittel" if total >= 14 else "gering"
        services.assessment_save(
            actor=None,
            project=project,
            programme=mpsc,
            potential=potential,
            phase=phase_b,
            scores=scores,
            note="Bewertung der Stabsstelle Smart City, Stand März 2025.",
            applied=stage in (Stage.PRIORITISED, Stage.IMPLEMENTING, Stage.COMPLETED),
        )


def url_samples() -> dict[str, dict]:
    """URL parameters for ``core/tests/test_url_access.py``, taken from this demo."""
    project = Project.objects.filter(is_public=True).order_by("pk").first()
    if project is None:
        return {}
    idea = project.ideas.order_by("pk").first() or Idea.objects.order_by("pk").first()
    programme = Programme.objects.order_by("pk").first()
    unit = OrgUnit.objects.order_by("pk").first()
    with_project = {"pk": project.pk}
    return {
        "portfolio:staff_project_create": {"slug": project.strategy.slug},
        "portfolio:staff_project": with_project,
        "portfolio:staff_project_edit": with_project,
        "portfolio:staff_stage": with_project,
        "portfolio:staff_costs": with_project,
        "portfolio:staff_project_ideas": with_project,
        "portfolio:staff_idea_unlink": {"pk": project.pk, "idea_pk": idea.pk},
        "portfolio:staff_assessment": {"pk": project.pk, "programme_pk": programme.pk},
        "portfolio:staff_idea_link": {"idea_pk": idea.pk},
        "portfolio:staff_unit_edit": {"pk": unit.pk},
        "portfolio:staff_unit_delete": {"pk": unit.pk},
        "portfolio:staff_programme_edit": {"pk": programme.pk},
        "portfolio:staff_programme_delete": {"pk": programme.pk},
        "portfolio:staff_export": {"fmt": "csv"},
        "portfolio:project_detail": with_project,
        "api:project": {"project_id": project.pk},
        **demo_prioritisation.url_samples(),
    }
