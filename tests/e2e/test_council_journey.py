"""The Ratsbüro records the strategy's way through the council by keyboard; the council's
decision adopts the version, and the public sees the steps on the version's page."""

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible


@pytest.fixture
def version(transactional_db):
    from leitbild.core.demo import pages_ensure
    from leitbild.council import services
    from leitbild.strategy import services as strategy
    from leitbild.strategy.models import StrategyVersion
    from leitbild.strategy.tests.factories import build_framework

    pages_ensure()
    v = strategy.draft_freeze(actor=None, strategy=build_framework())
    strategy.version_set_status(actor=None, version=v, status=StrategyVersion.Status.CONSULTATION)
    services.body_save(
        actor=None, name="Ausschuss für Digitalisierung", kind="ausschuss", decides=False
    )
    services.body_save(actor=None, name="Rat der Stadt", kind="rat", decides=True)
    return v


def test_the_ratsbuero_records_the_decision_and_the_public_sees_it(page, login, version):
    from leitbild.core.roles import Role
    from leitbild.strategy.models import StrategyVersion

    login(roles=[Role.COUNCIL_OFFICE], email="ratsbuero@stadt.example")
    page.goto("/rat/verwaltung/")
    assert_accessible(page)
    page.get_by_role("link", name="Beratungsschritt eintragen").first.click()
    page.get_by_label("Gremium").select_option(label="Rat der Stadt")
    page.get_by_label("Sitzung am").fill("2025-03-20")
    page.get_by_label("Rolle").select_option(label="Entscheidung")
    page.get_by_label("Ergebnis").select_option(label="beschlossen")
    page.get_by_label("Beschlusstext des Tagesordnungspunkts").fill("Der Rat beschließt.")
    page.get_by_label("Drucksache").fill("V 2025/0815")
    page.get_by_role("button", name="Schritt eintragen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Der Beratungsschritt wurde eingetragen.")).to_be_visible()
    expect(page.get_by_role("table", name="Beratungsfolge")).to_contain_text("Der Rat beschließt.")
    assert_accessible(page)
    version.refresh_from_db()
    assert version.status == StrategyVersion.Status.ADOPTED

    page.context.clear_cookies()
    page.goto(f"/strategie/{version.strategy.slug}/versionen/{version.number}/")
    expect(page.get_by_role("heading", name="Der Weg durch die Gremien")).to_be_visible()
    expect(page.get_by_role("table", name="Beratungsfolge")).to_contain_text("Rat der Stadt")
    assert_accessible(page)


def test_the_ratsbuero_links_the_draft_to_its_paper_and_syncs_by_keyboard(
    page, login, version, settings
):
    """Endpoint set, sync run with its progress, draft linked by picking the paper: the
    consultation sequence fills in from the council information system."""
    from leitbild.core.roles import Role
    from leitbild.council.tests.oparl_server import OParlTestServer
    from leitbild.council.tests.test_oparl_sync import council

    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    settings.LEITBILD_OPARL_SYNC_MINUTES = 0
    with OParlTestServer(page_size=5) as server:
        council(server)
        login(roles=[Role.COUNCIL_OFFICE], email="ratsbuero@stadt.example")
        page.goto("/rat/verwaltung/")
        page.get_by_role("link", name="Ratsinformationssystem (OParl)").focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/rat/verwaltung/oparl/")
        assert_accessible(page)
        page.get_by_label("Adresse des OParl-Endpunkts (System)").fill(server.system_url)
        page.get_by_role("button", name="Prüfen und speichern").focus()
        page.keyboard.press("Enter")
        expect(
            page.get_by_text("Der OParl-Endpunkt wurde geprüft und gespeichert.")
        ).to_be_visible()
        page.get_by_role("button", name="Jetzt abgleichen").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("Objekte geschrieben")).to_be_visible()  # the progress page
        page.goto("/rat/verwaltung/oparl/")
        page.get_by_label("Drucksache oder Titel").fill("0815")
        page.keyboard.press("Enter")
        page.wait_for_url("**/oparl/?suche=0815")
        expect(page.get_by_role("table", name="1 Vorlage gefunden")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Mit Version verknüpfen V 2026/0815").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("Die Version wurde mit der Vorlage verknüpft.")).to_be_visible()
        expect(page.get_by_role("table", name="Verknüpfte Versionen")).to_contain_text(
            "V 2026/0815"
        )
        assert_accessible(page)
    page.goto(f"/rat/verwaltung/{version.strategy.slug}/versionen/{version.number}/beratung/")
    table = page.get_by_role("table", name="Beratungsfolge")
    expect(table).to_contain_text("Rat der Stadt Musterstadt")
    expect(table).to_contain_text("aus dem Ratsinformationssystem")
    assert_accessible(page)
