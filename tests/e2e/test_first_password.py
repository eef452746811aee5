"""A new account's first password, chosen by Administration, is changed before the staff area
opens: in the browser, from the log-in to the staff home."""

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = "vom-admin-vergeben-1"
OWN = "mein-eigenes-passwort-9"


def test_a_new_account_chooses_its_own_password_first(page, make_user):
    from leitbild.accounts import services
    from leitbild.core.roles import Role

    admin = make_user("admin@stadt.example", roles=[Role.ADMIN])
    services.user_create(
        actor=admin, email="nora@stadt.example", password=FIRST, roles=[Role.MODERATOR]
    )
    page.goto("/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill("nora@stadt.example")
    page.get_by_label("Passwort").fill(FIRST)
    page.keyboard.press("Enter")
    page.wait_for_url("**/verwaltung/konto/passwort/?next=/verwaltung/")
    expect(page.get_by_text("Ihr Konto hat ein erstes Passwort")).to_be_visible()
    assert_accessible(page)

    page.goto("/beteiligung/verwaltung/")  # every staff page leads back here
    page.wait_for_url("**/verwaltung/konto/passwort/?next=/beteiligung/verwaltung/")
    page.get_by_label("Altes Passwort").fill(FIRST)
    page.get_by_label("Neues Passwort", exact=True).fill(OWN)
    page.get_by_label("Neues Passwort bestätigen").fill(OWN)
    page.get_by_role("button", name="Passwort ändern").click()
    page.wait_for_url("**/beteiligung/verwaltung/")
    expect(page.get_by_text("Ihr Passwort wurde geändert.")).to_be_visible()
    page.goto("/verwaltung/")
    expect(page.get_by_role("heading", name="Verwaltung", level=1)).to_be_visible()
