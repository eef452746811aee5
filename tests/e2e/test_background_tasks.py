"""A long task started in the browser shows a live progress bar, then its result."""

from django.core.management import call_command

from leitbild.core.roles import Role

from .conftest import assert_accessible


def test_administration_starts_a_backup_and_watches_it_finish(login, page, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    login(roles=[Role.ADMIN])
    page.goto("/verwaltung/system/")
    assert_accessible(page)
    page.get_by_role("button", name="Sicherung erstellen").click()
    page.wait_for_url("**/verwaltung/aufgaben/**")
    assert page.get_by_role("status").inner_text().startswith("Die Aufgabe wartet")
    assert_accessible(page)

    # The worker runs here in the test's main thread (it installs signal handlers) while the
    # browser keeps polling the live server.
    call_command("worker", "--batch", verbosity=0)
    # The page polls with htmx and swaps in the result without a reload.
    link = page.get_by_role("link", name="herunterladen")
    link.wait_for(timeout=15_000)
    assert page.get_by_role("status").inner_text().startswith("Fertig")
    assert page.locator("progress").get_attribute("value") == "100"
    assert_accessible(page)
