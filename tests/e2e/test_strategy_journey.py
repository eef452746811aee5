"""The Strategie-Redaktion builds a framework in the browser; a visitor then reads it.

Template → field and goal → freeze → change → freeze again → diff → adopt → public page,
with axe-core checking every page on the way.
"""

import re

from playwright.sync_api import expect

from leitbild.core.roles import Role

from .conftest import assert_accessible


def _visit(page, check=True):
    assert page.locator("h1").count() == 1
    if check:
        assert_accessible(page)


def test_an_editor_builds_freezes_compares_and_adopts_a_framework_that_visitors_see(
    page, login, browser, live_server
):
    login(roles=[Role.EDITOR])
    page.get_by_role("link", name="Strategischer Rahmen bearbeiten").click()
    expect(page.locator("h1")).to_have_text("Strategischer Rahmen bearbeiten")
    _visit(page)

    # A new strategy from the template "Smart City Charta".
    page.get_by_role("link", name="Neue Strategie anlegen").click()
    _visit(page)
    page.get_by_label("Titel", exact=True).fill("Smart-City-Strategie Neustadt")
    page.get_by_label("Kurzname").fill("neustadt")
    page.get_by_label("Ausgabe").fill("2025")
    page.get_by_label(re.compile("der Vorlage „Smart City Charta“")).check()
    page.get_by_role("button", name="Strategie anlegen").click()
    expect(page.locator("h1")).to_have_text("Smart-City-Strategie Neustadt")
    expect(
        page.get_by_role("heading", name="Transparenz, Teilhabe und Mitgestaltung")
    ).to_be_visible()
    _visit(page)

    # A field of action, then a goal in it. A wrong code first: the error stands at the field.
    page.get_by_role("link", name="Handlungsfeld hinzufügen").click()
    page.get_by_label("Kürzel").fill("MOB 1")
    page.get_by_label("Name", exact=True).fill("Mobilität")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("#id_code_error")).to_contain_text("Großbuchstaben")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Mobilität")
    _visit(page)
    page.get_by_label("Kürzel").fill("mob")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("h1")).to_have_text("MOB Mobilität")
    _visit(page)

    page.get_by_role("link", name="Ziel hinzufügen").click()
    page.get_by_label("Kürzel").fill("MOB-1")
    page.get_by_label("Titel", exact=True).fill("Den Radverkehr stärken")
    page.get_by_label("Ziele, Strategien und Strukturen").check()
    page.get_by_label("SDG 11", exact=True).check()
    _visit(page)
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", name="MOB-1 · Den Radverkehr stärken")).to_be_visible()

    # Freeze: version 1.
    page.get_by_role("link", name=re.compile("Zurück zu")).click()
    page.get_by_label("Anmerkung zur Version").fill("Erster Entwurf")
    page.get_by_role("button", name="Arbeitsstand einfrieren").click()
    expect(page.locator("h1")).to_contain_text("Version 1")
    _visit(page)

    # Change the goal, freeze again: version 2.
    page.get_by_role("link", name=re.compile("Zurück zu")).click()
    page.get_by_role("link", name="MOB Mobilität").click()
    page.get_by_role("link", name=re.compile(r"^Ziel bearbeiten\s*: MOB-1$")).click()
    _visit(page)
    page.get_by_label("Titel", exact=True).fill("Den Rad- und Fußverkehr stärken")
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("link", name=re.compile("Zurück zu")).click()
    page.get_by_role("button", name="Arbeitsstand einfrieren").click()
    expect(page.locator("h1")).to_contain_text("Version 2")

    # The diff of the two versions.
    page.get_by_role("link", name=re.compile("Zurück zu")).click()
    _visit(page)
    page.get_by_label("Version", exact=True).select_option("1")
    page.get_by_label("verglichen mit").select_option("2")
    page.get_by_role("button", name="Vergleichen").click()
    expect(page.locator("del").first).to_contain_text("Radverkehr")
    expect(page.locator("ins").first).to_contain_text("Rad- und Fußverkehr")
    _visit(page)

    # Version 2 goes into consultation and is adopted.
    page.get_by_role("link", name=re.compile("Zurück zu")).click()
    page.get_by_role("link", name="Version 2", exact=True).click()
    page.get_by_label("Neuer Status").select_option(label="in Beratung")
    page.get_by_role("button", name="Status ändern").click()
    expect(page.locator("h1")).to_contain_text("in Beratung")
    page.get_by_role("button", name="Status ändern").click()  # without date and reference
    expect(page.locator("#id_decided_on_error")).to_be_visible()
    _visit(page)
    page.get_by_label("Neuer Status").select_option(label="beschlossen")
    page.get_by_label("beschlossen am").fill("2025-06-12")
    page.get_by_label("Beschluss (Drucksache)").fill("Drucksache 2025/0123")
    page.get_by_role("button", name="Status ändern").click()
    expect(page.locator("h1")).to_contain_text("beschlossen")
    _visit(page)
    assert page.console_errors == []

    # A visitor, not signed in, reads the adopted framework.
    visitor = browser.new_context(base_url=live_server.url, locale="de-DE").new_page()
    visitor.set_default_timeout(10_000)
    errors: list[str] = []
    visitor.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    visitor.goto("/strategie/")
    expect(visitor.get_by_text("Smart-City-Strategie Neustadt · 2025")).to_be_visible()
    expect(
        visitor.locator(".lb-version-note").get_by_text("Drucksache 2025/0123", exact=False)
    ).to_be_visible()
    expect(visitor.get_by_role("heading", name="Der Weg der Strategie")).to_be_visible()
    expect(
        visitor.get_by_role("heading", name="Transparenz, Teilhabe und Mitgestaltung")
    ).to_be_visible()
    _visit(visitor)
    visitor.get_by_role("link", name="MOB Mobilität").click()
    expect(
        visitor.get_by_role("heading", name="MOB-1 · Den Rad- und Fußverkehr stärken")
    ).to_be_visible()
    _visit(visitor)
    visitor.goto("/strategie/")
    visitor.get_by_role("link", name="Alle Versionen und ihre Unterschiede").click()
    expect(visitor.get_by_role("cell", name="beschlossen")).to_be_visible()
    _visit(visitor)
    assert errors == []
    visitor.context.close()


def test_the_demo_city_pages_are_accessible(page, db):
    from leitbild.strategy import demo

    demo.load()
    for path in [
        "/strategie/",
        "/strategie/musterstadt/versionen/2/",
        "/strategie/handlungsfelder/ENU/",
        "/strategie/musterstadt/versionen/",
        "/strategie/musterstadt/vergleich/?von=1&mit=2",
    ]:
        page.goto(path)
        _visit(page)
    assert page.console_errors == []
