"""The strategy document in the browser: the Strategie-Redaktion generates the PDF and DOCX of
a version and watches the progress; a visitor reads the web version and downloads the PDF."""

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible


@pytest.fixture
def version(transactional_db, settings, tmp_path):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    settings.LEITBILD_PRIVATE_DIR = tmp_path
    from leitbild.core.demo import pages_ensure
    from leitbild.strategy import services
    from leitbild.strategy.models import StrategyVersion
    from leitbild.strategy.tests.factories import build_framework

    pages_ensure()
    strategy = build_framework()
    v = services.draft_freeze(actor=None, strategy=strategy, note="Entwurf für den Ausschuss")
    services.version_set_status(actor=None, version=v, status=StrategyVersion.Status.CONSULTATION)
    return v


def test_the_redaktion_generates_the_documents_and_a_visitor_downloads_the_pdf(
    page, browser, live_server, login, version
):
    from leitbild.core.roles import Role

    login(roles=[Role.EDITOR])
    slug, number = version.strategy.slug, version.number
    page.goto(f"/strategie/verwaltung/{slug}/versionen/{number}/")
    page.get_by_role("link", name="Strategiedokument (PDF, DOCX)").click()
    expect(
        page.get_by_text("Für diese Version wurden noch keine Dokumente erzeugt.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Dokumente erzeugen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Dokumente ansehen")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Dokumente ansehen").click()
    expect(page.get_by_role("table", name="Dokumente")).to_be_visible()
    expect(page.get_by_role("link", name="Strategiedokument (PDF", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="Strategiedokument (DOCX", exact=False)).to_be_visible()
    assert_accessible(page)

    visitor = browser.new_context(base_url=live_server.url, locale="de-DE").new_page()
    visitor.goto(f"/strategie/{slug}/versionen/{number}/")
    visitor.get_by_role("link", name="lesen (Webfassung)", exact=False).click()
    expect(visitor.get_by_role("heading", name="Inhalt")).to_be_visible()
    expect(visitor.get_by_role("heading", name="Handlungsfelder und Ziele")).to_be_visible()
    assert_accessible(visitor)
    with visitor.expect_download() as download_info:
        visitor.get_by_role("link", name="Strategiedokument (PDF", exact=False).click()
    download = download_info.value
    assert download.suggested_filename.endswith("-strategie.pdf")
    assert open(download.path(), "rb").read(5) == b"%PDF-"
    visitor.context.close()
