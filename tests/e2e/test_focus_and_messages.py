"""Focus and announcements: the error summary takes focus after a refused form; supporting via
htmx keeps focus on the support control and says what changed in the live region; a message
("Danke …") is shown once and not again on the next page load or from the history."""

from . import test_idea_journey as journey
from .conftest import assert_accessible

idea_call = journey.idea_call  # the idea call fixture of the journey, shared
tab_to, wait_for_altcha = journey.tab_to, journey.wait_for_altcha


def active_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def test_the_error_summary_has_focus_after_a_refused_submit(page, idea_call):
    process = idea_call["process"]
    page.goto(f"/beteiligung/{process.slug}/ideen/neu/")
    page.get_by_label("Titel").fill("Ab")
    wait_for_altcha(page)
    page.get_by_role("button", name="Idee einreichen").click()
    page.locator("#fehler").wait_for()
    assert active_id(page) == "fehler"
    assert "Bitte prüfen Sie Ihre Eingaben" in page.locator("#fehler").inner_text()
    # From the summary, Tab leads on into the page, not back to its start.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('fehler').contains(document.activeElement)")
    assert_accessible(page)


def test_supporting_via_htmx_keeps_focus_and_announces_the_count(page, idea_call):
    process = idea_call["process"]
    other = idea_call["other"]
    page.goto(f"/beteiligung/{process.slug}/ideen/{other.pk}/")
    tab_to(page, "#unterstuetzen")
    page.keyboard.press("Enter")
    page.locator("#unterstuetzung", has_text="1 Person unterstützt").wait_for()
    assert active_id(page) == "unterstuetzen"
    assert page.locator("#unterstuetzen").get_attribute("aria-disabled") == "true"
    live = page.locator("#lb-live")
    assert live.get_attribute("aria-live") == "polite"
    page.wait_for_function(
        "() => document.getElementById('lb-live').textContent.includes('1 Person unterstützt')"
    )
    assert "Danke für Ihre Unterstützung" in live.inner_text()
    # Space on the "supported" control does nothing.
    page.keyboard.press("Space")
    page.wait_for_timeout(200)
    other.refresh_from_db()
    assert other.support_count == 1
    assert_accessible(page)


def test_a_message_is_shown_once(page, idea_call):
    from leitbild.participation.models import Process

    process = idea_call["process"]
    Process.objects.filter(pk=process.pk).update(moderation=Process.Moderation.POST)
    other = idea_call["other"]
    url = f"/beteiligung/{process.slug}/ideen/{other.pk}/"
    page.goto(url)
    page.get_by_label("Ihr Kommentar").fill("Gute Idee für den ganzen Stadtteil.")
    wait_for_altcha(page)
    with page.expect_response(lambda r: r.url.endswith(url) and r.request.method == "GET") as got:
        page.get_by_role("button", name="Kommentar senden").click()
    assert "Danke, Ihr Kommentar ist veröffentlicht." in page.locator(".lb-messages").inner_text()
    # The page that showed the message is not kept by the browser for a later visit.
    assert "no-store" in got.value.headers["cache-control"]
    page.get_by_role("button", name="Idee unterstützen").click()
    page.locator("#unterstuetzung", has_text="1 Person unterstützt").wait_for()
    page.reload()
    assert page.locator(".lb-messages").count() == 0
    page.goto(f"/beteiligung/{process.slug}/")
    page.go_back()
    page.locator("#unterstuetzung", has_text="1 Person unterstützt").wait_for()
    assert page.locator(".lb-messages").count() == 0
