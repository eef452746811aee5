"""The staff home is a work inbox: a moderator sees what waits, follows a count to the queue,
and works it on a phone with buttons that show their whole label."""

import re

import pytest
from playwright.sync_api import expect

from leitbild.core.roles import Role

from .conftest import PASSWORD, assert_accessible
from .test_idea_journey import idea_call  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)

# Does any button's label not fit into the button? (KERN's icon-only square clipped them.)
CLIPPED = """() => [...document.querySelectorAll('main .kern-btn')].filter(button => {
    const label = button.querySelector('.kern-label');
    return label && (label.scrollWidth > label.clientWidth + 1
        || label.getBoundingClientRect().right > button.getBoundingClientRect().right + 1);
}).map(button => button.innerText.trim())"""


@pytest.fixture
def waiting(idea_call):  # noqa: F811
    from leitbild.participation import services

    process = idea_call["process"]
    fields = list(process.strategy.fields.all()[:1])
    for title in ("Mehr Bänke am Markt", "Radweg zur Schule"):
        services.idea_submit(
            process=process, title=title, fields=fields, description="Bitte prüfen und freigeben."
        )
    services.comment_add(idea=idea_call["other"], text="Gute Idee, aber wer pflegt ihn?")
    services.report_create(idea=idea_call["duplicate"], reason="spam", text="Doppelt")
    return process


def _log_in(page, make_user, email, roles):
    make_user(email, roles=roles, password=PASSWORD)
    page.goto("/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/verwaltung/")


def test_a_moderator_sees_the_counts_and_works_the_queue_on_a_phone(phone_page, make_user, waiting):
    page = phone_page
    _log_in(page, make_user, "moderation@stadt.example", [Role.MODERATOR])
    inbox = page.locator("section[aria-labelledby=wartet]")
    expect(inbox.get_by_role("link", name="Ungeprüfte Ideen in „Ideenaufruf Musterstadt“: 2"))
    expect(inbox.get_by_role("link", name="Wartende Kommentare in „Ideenaufruf Musterstadt“: 1"))
    expect(inbox.get_by_role("link", name="Offene Meldungen in „Ideenaufruf Musterstadt“: 1"))
    assert inbox.get_by_role("link").count() == 3
    running = page.locator("section[aria-labelledby=laeuft]")
    expect(running.get_by_role("link", name="Ideen sammeln (Ideenaufruf Musterstadt)"))
    areas = [a.inner_text() for a in page.locator(".lb-staff-links a").all()]
    assert areas == [
        "Beteiligung: Verfahren, Ideen und Moderation",
        "Mein Konto und Zwei-Faktor-Anmeldung",
    ]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert_accessible(page)

    inbox.get_by_role("link", name="Ungeprüfte Ideen in „Ideenaufruf Musterstadt“: 2").click()
    page.wait_for_url("**/moderation/#ideen")
    expect(page.get_by_role("heading", name="2 ungeprüfte Ideen")).to_be_visible()
    # The queue fits the phone: each idea a block, its actions on screen, labels whole.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    release = page.get_by_role("button", name=re.compile(r"^Freigeben\s*: Mehr Bänke am Markt$"))
    expect(release).to_be_in_viewport()
    box = release.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 320 and box["width"] > 60
    assert page.evaluate(CLIPPED) == []
    assert_accessible(page)

    release.click()
    page.goto("/verwaltung/")
    expect(
        page.get_by_role("link", name="Ungeprüfte Ideen in „Ideenaufruf Musterstadt“: 1")
    ).to_be_visible()


def test_the_action_buttons_keep_their_labels_on_a_desktop(page, make_user, waiting):
    _log_in(page, make_user, "moderation@stadt.example", [Role.MODERATOR])
    page.goto(f"/beteiligung/verwaltung/verfahren/{waiting.slug}/moderation/")
    for name in (r"^Freigeben\s*: Mehr Bänke", r"^Ausblenden\s*\(Kommentar"):
        button = page.get_by_role("button", name=re.compile(name)).first
        box = button.bounding_box()
        assert box is not None and box["width"] > 60, (name, box)
    assert page.evaluate(CLIPPED) == []
    assert_accessible(page)
