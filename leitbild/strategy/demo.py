"""The demo city's strategic framework: an adopted version 1 and a version 2 in consultation.

Version 1 is ``templates_data/musterstadt.json`` as adopted by the (fictional) council. The
update to version 2 goes through the same services the Strategie-Redaktion uses, so the demo
shows real audit entries and a real comparison: a Leitlinie and goals reworded, a goal added,
one removed, indicators added, removed and given new targets. Afterwards the draft rows equal
version 2.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from . import services
from .exchange import parse_framework_file, template_path
from .models import ActionField, Goal, Indicator, Leitlinie, Strategy, StrategyVersion

SLUG = "musterstadt"
BERLIN = ZoneInfo("Europe/Berlin")


@transaction.atomic
def load() -> None:
    if Strategy.objects.filter(slug=SLUG).exists():
        return  # loaded before: `leitbild demo` runs this on every start
    strategy = services.framework_import(
        actor=None, file=parse_framework_file(template_path(SLUG).read_bytes())
    )
    v1 = services.draft_freeze(
        actor=None,
        strategy=strategy,
        note="Beschlussvorlage für den Rat",
        now=datetime.datetime(2024, 2, 6, 10, 0, tzinfo=BERLIN),
    )
    services.version_set_status(actor=None, version=v1, status=StrategyVersion.Status.CONSULTATION)
    services.version_set_status(
        actor=None,
        version=v1,
        status=StrategyVersion.Status.ADOPTED,
        decided_on=datetime.date(2024, 3, 21),
        decision_reference="Drucksache 2024/0412",
    )
    _update_to_version_2(strategy)
    v2 = services.draft_freeze(
        actor=None,
        strategy=strategy,
        note="Fortschreibung 2026 – Entwurf für den Ausschuss für Digitalisierung",
        now=datetime.datetime(2026, 10, 12, 10, 0, tzinfo=BERLIN),
    )
    services.version_set_status(actor=None, version=v2, status=StrategyVersion.Status.CONSULTATION)


def _goal(strategy: Strategy, code: str) -> Goal:
    return Goal.objects.get(strategy=strategy, code=code)


def _indicator(strategy: Strategy, goal_code: str, name_start: str) -> Indicator:
    return Indicator.objects.get(
        goal__strategy=strategy, goal__code=goal_code, name__startswith=name_start
    )


def _update_to_version_2(strategy: Strategy) -> None:
    """The Fortschreibung 2026, as the Strategie-Redaktion would enter it."""
    leitlinie = Leitlinie.objects.get(strategy=strategy, title="Nachhaltig und klimaneutral")
    services.leitlinie_update(
        actor=None,
        leitlinie=leitlinie,
        title=leitlinie.title,
        text="Digitalisierung ist kein Selbstzweck. Sie hilft, Energie und Ressourcen zu "
        "schonen, und unterstützt das Ziel, Musterstadt bis 2035 klimaneutral zu machen.",
    )

    mob2 = _goal(strategy, "MOB-2")
    services.goal_update(
        actor=None,
        goal=mob2,
        code=mob2.code,
        title="Den Anteil des Rad- und Fußverkehrs deutlich erhöhen",
        description="Ein lückenloses, sicheres Rad- und Fußwegenetz und digitale Zählstellen "
        "machen das Rad und den Fußweg zur ersten Wahl im Alltag.",
        charter_principles=mob2.charter_principles,
        sdgs=mob2.sdgs,
    )
    modal_split = _indicator(strategy, "MOB-2", "Anteil des Radverkehrs")
    services.indicator_update(
        actor=None,
        indicator=modal_split,
        name=modal_split.name,
        unit=modal_split.unit,
        direction=modal_split.direction,
        baseline_value=Decimal("16"),
        baseline_year=2025,
        target_value=Decimal("30"),
        target_year=2035,
        source=modal_split.source,
        qualitative=False,
    )
    services.indicator_create(
        actor=None,
        goal=mob2,
        name="Anteil des Fußverkehrs an allen Wegen (Modal Split)",
        unit="%",
        direction=Indicator.Direction.HIGHER,
        baseline_value=Decimal("24"),
        baseline_year=2025,
        target_value=Decimal("28"),
        target_year=2035,
        source="Haushaltsbefragung Mobilität in Musterstadt",
    )

    bildung = ActionField.objects.get(strategy=strategy, code="BIL")
    bil4 = services.goal_create(
        actor=None,
        field=bildung,
        code="BIL-4",
        title="Medienkompetenz für alle Generationen stärken",
        description="Volkshochschule, Stadtbibliothek und Seniorenbüro bieten gemeinsam Kurse "
        "und offene Sprechstunden zu Smartphone, Online-Diensten und dem Erkennen "
        "von Falschmeldungen an.",
        charter_principles=["ressourcen", "transparenz"],
        sdgs=[4, 10],
    )
    services.indicator_create(
        actor=None,
        goal=bil4,
        name="Teilnahmen an Kursen zur Medienkompetenz",
        unit="je Jahr",
        direction=Indicator.Direction.HIGHER,
        baseline_value=Decimal("450"),
        baseline_year=2025,
        target_value=Decimal("2000"),
        target_year=2029,
        source="Volkshochschule Musterstadt",
    )

    # The Leerstandsmelder went into the Innenstadt programme instead.
    services.draft_item_delete(actor=None, item=_goal(strategy, "WQ-3"))

    heat = _indicator(strategy, "ENU-1", "Wärmeverbrauch")
    services.indicator_update(
        actor=None,
        indicator=heat,
        name=heat.name,
        unit=heat.unit,
        direction=heat.direction,
        baseline_value=heat.baseline_value,
        baseline_year=heat.baseline_year,
        target_value=Decimal("90"),
        target_year=2030,
        source=heat.source,
        qualitative=False,
    )
    co2 = _indicator(strategy, "ENU-1", "CO₂-Emissionen")
    services.indicator_update(
        actor=None,
        indicator=co2,
        name=co2.name,
        unit=co2.unit,
        direction=co2.direction,
        baseline_value=Decimal("7.1"),
        baseline_year=2024,
        target_value=Decimal("2.5"),
        target_year=2035,
        source=co2.source,
        qualitative=False,
    )

    services.draft_item_delete(actor=None, item=_indicator(strategy, "DIN-2", "Zugriffe"))
    services.indicator_create(
        actor=None,
        goal=_goal(strategy, "VBS-1"),
        name="Anteil der Anträge, die online gestellt werden",
        unit="%",
        direction=Indicator.Direction.HIGHER,
        baseline_value=Decimal("31"),
        baseline_year=2025,
        target_value=Decimal("75"),
        target_year=2029,
        source="Amt für Digitalisierung",
    )

    vbs4 = _goal(strategy, "VBS-4")
    services.goal_update(
        actor=None,
        goal=vbs4,
        code=vbs4.code,
        title=vbs4.title,
        description="Beteiligungsverfahren laufen auf einer offenen Plattform und zugleich mit "
        "Postkarten, Workshops und Sprechstunden im Stadtteil. Die Ergebnisse und "
        "was aus ihnen wurde, werden veröffentlicht.",
        charter_principles=vbs4.charter_principles,
        sdgs=vbs4.sdgs,
    )
