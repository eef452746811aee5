"""The navigation's "Abmelden" is a form button (logging out is a POST); it must sit on the same
line and at the same height as the links beside it."""

from leitbild.core.roles import Role


def text_top(page, selector: str) -> float:
    """The top of the element's text itself (not of its box), so padding cannot hide a shift."""
    return page.evaluate(
        """s => { const el = document.querySelector(s); const range = document.createRange();
                  range.selectNodeContents(el); return range.getBoundingClientRect().top; }""",
        selector,
    )


def test_the_logout_button_sits_level_with_the_links(page, login, transactional_db):
    login(roles=[Role.MODERATOR])
    page.goto("/")
    links = page.locator(".lb-nav__list a")
    logout = page.locator(".lb-nav__list button.lb-linkbutton")
    assert logout.inner_text() == "Abmelden"
    link_box, button_box = links.last.bounding_box(), logout.bounding_box()
    assert abs(link_box["y"] - button_box["y"]) < 1
    assert abs(link_box["height"] - button_box["height"]) < 1
    assert (
        abs(
            text_top(page, ".lb-nav__list li:first-child a")
            - text_top(page, ".lb-nav__list button.lb-linkbutton")
        )
        < 1
    )
    assert page.evaluate(
        """() => { const a = getComputedStyle(document.querySelector('.lb-nav__list a'));
                   const b = getComputedStyle(document.querySelector('.lb-linkbutton'));
                   return a.fontSize === b.fontSize && a.lineHeight === b.lineHeight
                     && a.color === b.color; }"""
    )
