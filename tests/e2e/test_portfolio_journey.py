"""From idea to project in a real browser: the Strategie-Redaktion creates a project from two
ideas, links goals, enters a cost plan (a negative amount first: refused in its row), assesses
it for MPSC and sees the financing plan with its budget warning. The two submitters get the
status e-mail; a visitor sees the project on the Umsetzungskonzept and on the idea pages.
axe-core finds no violation on any page on the way.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from leitbild.core.roles import Role

from .conftest import assert_accessible


@pytest.fixture
def city(transactional_db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    from leitbild.core.demo import pages_ensure
    from leitbild.participation import services as participation
    from leitbild.participation.models import Phase, Process
    from leitbild.portfolio import services
    from leitbild.portfolio.demo import ensure_programmes
    from leitbild.portfolio.models import OrgUnit
    from leitbild.strategy import services as strategy
    from leitbild.strategy.models import Strategy

    pages_ensure()
    s = Strategy.objects.create(title="Smart-City-Strategie", slug="smart-city", edition="2025")
    mobility = strategy.field_create(actor=None, strategy=s, code="MOB", name="Mobilität")
    strategy.goal_create(
        actor=None, field=mobility, code="MOB-1", title="Parksuchverkehr verringern"
    )
    energy = strategy.field_create(actor=None, strategy=s, code="ENU", name="Energie")
    strategy.goal_create(actor=None, field=energy, code="ENU-1", title="Emissionen senken")
    version = strategy.draft_freeze(actor=None, strategy=s)
    strategy.version_set_status(actor=None, version=version, status="consultation")
    process = Process.objects.create(strategy=s, title="Ideenaufruf", slug="ideenaufruf")
    now = timezone.now()
    Phase.objects.create(
        process=process,
        kind=Phase.Kind.IDEAS,
        title="Ideen sammeln",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=10),
    )
    ideas = []
    for title, email in (
        ("Freie Parkplätze in der App", "anna@example.org"),
        ("Sensoren im Parkhaus", "ben@example.org"),
    ):
        idea = participation.idea_submit(
            process=process,
            title=title,
            fields=[mobility],
            description="Das spart Suchverkehr.",
            email=email,
        )
        participation.submitter_confirm(token=idea.submitter.token)
        ideas.append(participation.idea_approve(actor=None, idea=idea))
    services.orgunit_save(actor=None, name="Stadtwerke Musterstadt GmbH", kind=OrgUnit.Kind.COMPANY)
    ensure_programmes()
    return {"strategy": s, "ideas": ideas}


def _check(page):
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_an_editor_turns_two_ideas_into_a_funded_project_that_visitors_see(
    page, login, browser, live_server, city
):
    first, second = city["ideas"]
    login(roles=[Role.EDITOR])
    page.goto("/umsetzung/verwaltung/")
    _check(page)

    # From the two ideas (the link the moderation page offers, with both ideas).
    page.goto(f"/umsetzung/verwaltung/neu/smart-city/?idee={first.pk}&idee={second.pk}")
    _check(page)
    page.get_by_label("Titel", exact=True).fill("Digitales Parkraummanagement")
    page.get_by_label("Kurzbeschreibung").fill("Sensoren und eine App zeigen freie Plätze.")
    page.get_by_label("Federführung").select_option(label="Stadtwerke Musterstadt GmbH")
    page.get_by_label("Beginn").fill("2025-01-01")
    page.get_by_label("Dauer (Monate)").fill("36")
    page.get_by_label("MOB-1 Parksuchverkehr verringern").select_option("stark")
    page.get_by_label("ENU-1 Emissionen senken").select_option("gering")
    page.get_by_label("Projekt öffentlich zeigen").check()
    page.get_by_label("Kosten und Förderung öffentlich zeigen").check()
    expect(page.get_by_label("Freie Parkplätze in der App")).to_be_checked()
    expect(page.get_by_label("Sensoren im Parkhaus")).to_be_checked()
    page.get_by_role("button", name="Projekt anlegen").click()
    expect(page.locator("h1")).to_have_text("Digitales Parkraummanagement")
    _check(page)

    # The cost plan: a negative amount is refused in its row, the input stays.
    page.get_by_role("link", name="Kostenplan bearbeiten").click()
    _check(page)
    page.locator("#id_costs-0-year").fill("2025")
    page.locator("#id_costs-0-cost_type").select_option("investition")
    page.locator("#id_costs-0-amount").fill("-100")
    page.locator("#id_costs-1-year").fill("2026")
    page.locator("#id_costs-1-cost_type").select_option("personal")
    page.locator("#id_costs-1-amount").fill("200000")
    page.get_by_role("button", name="Kostenplan speichern").click()
    expect(page.locator("#id_costs-0-amount_error")).to_contain_text("negativ")
    expect(page.locator("#id_costs-1-amount")).to_have_value("200000")
    _check(page)
    page.locator("#id_costs-0-amount").fill("3000000")
    page.get_by_role("button", name="Kostenplan speichern").click()
    expect(page.locator("h1")).to_have_text("Digitales Parkraummanagement")

    # Prioritised, with the reason on record.
    page.get_by_label("Neuer Stand").select_option("priorisiert")
    page.get_by_label("Begründung").fill("Vom Lenkungskreis am 12. März priorisiert.")
    page.get_by_role("button", name="Stand ändern").click()
    expect(page.locator("#stand")).to_contain_text("priorisiert")

    # The MPSC assessment, applied in the financing plan.
    page.get_by_role("link", name="Für „Modellprojekte Smart Cities“ bewerten").click()
    _check(page)
    page.get_by_label("hoch").check()
    page.get_by_label("Förderphase").select_option(label="Phase B (Umsetzung)")
    for select in page.locator("select[name^=score_]").all():
        select.select_option("3")
    page.get_by_label("Dieses Programm im Finanzierungsplan für das Projekt ansetzen").check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("im Finanzierungsplan", exact=True)).to_be_visible()

    # The budget for the own share, then the financing plan with its warning.
    page.goto("/umsetzung/verwaltung/finanzierung/haushalt/")
    _check(page)
    page.get_by_label("Haushaltsmittel für den Eigenanteil 2025 (€)").fill("500000")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("h1")).to_have_text("Finanzierungsplan des Umsetzungskonzepts")
    expect(page.locator(".lb-warning-list")).to_contain_text(
        "Der Eigenanteil 2025 (1.050.000 €) übersteigt die Haushaltsmittel von 500.000 €."
    )
    assert page.locator("svg[role=img]").count() == 3
    _check(page)

    for path in (
        "/umsetzung/verwaltung/programme/",
        "/umsetzung/verwaltung/organisation/",
        f"/umsetzung/verwaltung/projekte/{first.projects.get().pk}/ideen/?q=Park",
    ):
        page.goto(path)
        _check(page)

    page.console_errors.clear()  # the refused cost plan above answered 400, as it should
    page.goto("/umsetzung/karte/")
    _check(page)
    assert page.console_errors == []  # the map's script runs under the CSP

    # Both submitters were told, by the idea call's own status e-mail.
    assert sorted(m.to[0] for m in mail.outbox if "neuen Status" in m.body) == [
        "anna@example.org",
        "ben@example.org",
    ]

    # A visitor sees the project on the Umsetzungskonzept and on the idea pages.
    visitor = browser.new_context(base_url=live_server.url, locale="de-DE").new_page()
    visitor.goto("/umsetzung/")
    _check(visitor)
    visitor.get_by_role("link", name="Digitales Parkraummanagement").click()
    expect(
        visitor.get_by_text("Das Projekt geht auf 2 Ideen aus der Beteiligung zurück:")
    ).to_be_visible()
    _check(visitor)
    visitor.get_by_role("link", name="Freie Parkplätze in der App").click()
    expect(visitor.get_by_text("Diese Idee ist in die Maßnahme")).to_contain_text(
        "„Digitales Parkraummanagement“"
    )
    _check(visitor)
    visitor.goto(f"/beteiligung/ideenaufruf/ideen/{second.pk}/")
    expect(visitor.get_by_text("Diese Idee ist in die Maßnahme")).to_be_visible()
    for path in ("/umsetzung/ideenpool/", "/umsetzung/handlungsfelder/", "/umsetzung/karte/"):
        visitor.goto(path)
        _check(visitor)
    visitor.goto("/strategie/handlungsfelder/MOB/")
    expect(visitor.get_by_role("link", name="Digitales Parkraummanagement")).to_be_visible()
    _check(visitor)
