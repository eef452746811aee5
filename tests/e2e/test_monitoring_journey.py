"""An indicator's new value in a real browser: the Strategie-Redaktion opens the indicator
from the monitoring list and enters a measurement by keyboard alone (a not-a-number first:
refused next to its field, the input kept); the public indicator page then shows the value in
its trend chart's table. axe-core finds no violation on any page on the way.
"""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from leitbild.core.roles import Role

from .conftest import assert_accessible


@pytest.fixture
def indicator(transactional_db):
    from leitbild.core.demo import pages_ensure
    from leitbild.monitoring.services import measurement_record
    from leitbild.strategy import services as strategy
    from leitbild.strategy.models import Indicator, Strategy

    pages_ensure()
    s = Strategy.objects.create(title="Smart-City-Strategie", slug="smart-city", edition="2025")
    field = strategy.field_create(actor=None, strategy=s, code="MOB", name="Mobilität")
    goal = strategy.goal_create(actor=None, field=field, code="MOB-1", title="Mehr Radverkehr")
    found = strategy.indicator_create(
        actor=None,
        goal=goal,
        name="Anteil des Radverkehrs",
        unit="%",
        direction=Indicator.Direction.HIGHER,
        baseline_value=Decimal(14),
        baseline_year=2022,
        target_value=Decimal(25),
        target_year=2030,
        source="Haushaltsbefragung",
    )
    version = strategy.draft_freeze(actor=None, strategy=s)
    strategy.version_set_status(actor=None, version=version, status="consultation")
    strategy.version_set_status(
        actor=None,
        version=version,
        status="adopted",
        decided_on=datetime.date(2024, 3, 1),
        decision_reference="Drucksache 1",
    )
    measurement_record(
        actor=None, indicator=found, value="15", measured_on=datetime.date(2024, 12, 31)
    )
    return found


def _check(page):
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def _tab_to(page, locator, limit: int = 120):
    """Presses Tab until ``locator`` has the focus (keyboard only, no clicks)."""
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} never got the focus")


def test_staff_add_a_measurement_by_keyboard_and_the_public_page_shows_it(page, login, indicator):
    login(roles=[Role.EDITOR])
    page.goto("/umsetzung/verwaltung/indikatoren/")
    _check(page)
    link = page.get_by_role("link", name="Anteil des Radverkehrs")
    _tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Messwert eintragen")).to_be_visible()
    _check(page)

    _tab_to(page, page.get_by_label("Wert", exact=True))
    page.keyboard.type("viel")
    page.keyboard.press("Tab")
    # Typing into a date input follows the browser's locale; fill() sets the focused field.
    page.get_by_label("Stichtag").fill("2025-06-30")
    page.keyboard.press("Enter")
    expect(page.get_by_text("„viel“ ist keine Zahl.").first).to_be_visible()
    expect(page.get_by_label("Wert", exact=True)).to_have_value("viel")
    _check(page)

    value = page.get_by_label("Wert", exact=True)
    _tab_to(page, value)
    page.keyboard.press("Control+A")
    page.keyboard.type("16,5")
    _tab_to(page, page.get_by_label("Stichtag"))
    expect(page.get_by_label("Stichtag")).to_have_value("2025-06-30")  # kept from before
    _tab_to(page, page.get_by_label("vorläufiger Wert"))
    page.keyboard.press("Space")
    _tab_to(page, page.get_by_role("button", name="Messwert speichern"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Der Messwert wurde eingetragen.")).to_be_visible()
    _check(page)

    page.goto(f"/umsetzung/indikatoren/{indicator.pk}/")
    expect(page.get_by_role("heading", name="Anteil des Radverkehrs", level=1)).to_be_visible()
    row = page.get_by_role("row", name="30.06.2025")
    expect(row).to_contain_text("16,5")
    expect(row).to_contain_text("vorläufig")
    expect(page.locator("svg[role=img]")).to_have_count(1)
    _check(page)
    page.goto("/umsetzung/indikatoren/")
    expect(page.get_by_role("link", name="Anteil des Radverkehrs")).to_be_visible()
    _check(page)


def test_staff_add_a_measurement_source_by_keyboard(page, login, indicator):
    from leitbild.monitoring.models import MeasurementFeed

    login(roles=[Role.EDITOR])
    page.goto("/umsetzung/verwaltung/indikatoren/datenquellen/")
    _check(page)
    link = page.get_by_role("link", name="Datenquelle hinzufügen").first
    _tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Datenquelle hinzufügen")
    _check(page)
    page.get_by_label("Bezeichnung").focus()
    page.keyboard.type("Statistikstelle: Radverkehr")
    page.get_by_label("Adresse (URL)").focus()
    page.keyboard.type("ftp://statistik.musterstadt.example/radverkehr.csv")
    page.get_by_role("button", name="Speichern").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_url_error")).to_be_visible()
    expect(page.get_by_label("Bezeichnung")).to_have_value("Statistikstelle: Radverkehr")
    _check(page)
    assert not MeasurementFeed.objects.exists()
    page.get_by_label("Adresse (URL)").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("https://statistik.musterstadt.example/radverkehr.csv")
    page.get_by_role("button", name="Speichern").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Statistikstelle: Radverkehr").first).to_be_visible()
    _check(page)
    assert MeasurementFeed.objects.get().url.endswith("/radverkehr.csv")
