"""Every public page of the foundation: skip link, landmarks, one h1, 320 px, axe-clean."""

import pytest

from .conftest import assert_accessible

PUBLIC_PATHS = ["/", "/anmelden/", "/seiten/impressum/", "/strategie/", "/offene-daten/"]


@pytest.fixture
def pages_exist(db):
    from leitbild.core.demo import pages_ensure

    pages_ensure()


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_page_is_accessible(page, pages_exist, path):
    page.goto(path)
    assert page.locator("h1").count() == 1
    assert page.locator("main#inhalt").count() == 1
    assert page.locator("header").count() >= 1
    assert page.locator("footer").count() == 1
    assert page.locator("nav[aria-label]").count() >= 1
    assert_accessible(page)
    assert page.console_errors == []


def test_skip_link_is_first_and_moves_focus_to_main(page, pages_exist):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "inhalt"


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_page_needs_no_horizontal_scrolling_at_320_px(phone_page, pages_exist, path):
    phone_page.goto(path)
    overflow = phone_page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_footer_links_the_legal_pages(page, pages_exist):
    page.goto("/")
    footer = page.locator("footer")
    for name in ["Impressum", "Datenschutzerklärung", "Erklärung zur Barrierefreiheit"]:
        footer.get_by_role("link", name=name).click()
        assert page.locator("h1").inner_text() == name
        page.go_back()


def test_language_switch_shows_english(page, pages_exist):
    page.goto("/")
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Skip to content").count() == 1


def test_staff_member_logs_in_by_keyboard(login, page):
    from leitbild.core.roles import Role

    login(roles=[Role.EDITOR])
    assert page.locator("h1").inner_text() == "Verwaltung"
    assert_accessible(page)
