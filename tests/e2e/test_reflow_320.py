"""No page is wider than a 320 px screen (WCAG 1.4.10 Reflow).

The sweep: every page of the URL walk on the demo city, public pages as a visitor and each
staff page as each role that may open it (``core/tests/access_table.py``) — a superset of the
pages the other browser tests check with axe-core. A page that scrolls sideways fails with its
width and the widest element sticking out.
"""

import pytest
from django.test import Client
from django.urls import reverse

from leitbild.core.roles import Role
from leitbild.core.tests.access_table import URL_ACCESS
from leitbild.core.tests.urlwalk import ANY_STAFF, PUBLIC, all_urls, sample_kwargs

pytestmark = pytest.mark.django_db(transaction=True)

NOT_PAGES = {"core:healthz", "core:javascript_catalog", "set_language"}
WIDTH = 320

# What sticks out, for the failure message: the element reaching furthest right.
WIDEST = """() => {
    const clipped = el => {
        for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
            if (getComputedStyle(e).overflowX !== 'visible') return true;
        }
        return false;
    };
    const name = el => el.tagName.toLowerCase()
        + (typeof el.className === 'string' && el.className.trim()
           ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    let widest = null, right = 0;
    for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (box.right > right + 0.5 && !clipped(el)) { right = box.right; widest = el; }
    }
    if (!widest) return '';
    const parent = widest.parentElement ? ' in ' + name(widest.parentElement) : '';
    return name(widest) + parent + ' (' + Math.round(right) + ' px)';
}"""


def _pages_by_visitor() -> dict[str, list[str]]:
    """Visitor ("anonymous" or a role) → the paths that visitor is checked on."""
    samples = sample_kwargs()
    pages: dict[str, list[str]] = {"anonymous": []}
    for url in all_urls():
        name = url.name
        if name is None or name not in URL_ACCESS or name in NOT_PAGES or url.namespace == "api":
            continue
        if url.pattern.pattern.converters and name not in samples:
            continue
        path = reverse(name, kwargs=samples.get(name, {}))
        access = URL_ACCESS[name]
        if access == PUBLIC:
            pages["anonymous"].append(path)
            continue
        roles = list(Role.values) if access == ANY_STAFF else [Role.ADMIN, *access]
        for role in dict.fromkeys(roles):
            pages.setdefault(role, []).append(path)
    return pages


@pytest.fixture
def demo_city(db):
    from leitbild.core.demo import demo_load

    demo_load()


def _phone(browser, live_server, user=None):
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", viewport={"width": WIDTH, "height": 640}
    )
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _html_pages(paths: list[str], user) -> list[str]:
    """The paths that answer an HTML page (not a download, redirect or POST-only URL)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    found = []
    for path in paths:
        response = client.get(path)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            found.append(path)
    return found


def test_no_page_of_the_sweep_is_wider_than_320_px(browser, live_server, demo_city, staff_users):
    too_wide: list[str] = []
    checked = 0
    for visitor, paths in _pages_by_visitor().items():
        user = None if visitor == "anonymous" else staff_users[visitor]
        page = _phone(browser, live_server, user)
        for path in _html_pages(paths, user):
            page.goto(path)
            checked += 1
            width = page.evaluate("() => document.documentElement.scrollWidth")
            if width > WIDTH:
                too_wide.append(f"{path} as {visitor}: {width} px, {page.evaluate(WIDEST)}")
        page.context.close()
    assert too_wide == [], "\n".join(too_wide)
    assert checked > 150
