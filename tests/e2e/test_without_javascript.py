"""Ideas and comments sent from a browser without JavaScript: no ALTCHA solution, so they are
accepted into pre-moderation (the form says so at its top), and Moderation finds them in the
queue. With JavaScript, a verified ALTCHA checkbox stays verified when Space is pressed."""

import re

from leitbild.core.roles import Role

from . import test_idea_journey as journey
from .conftest import assert_accessible

idea_call = journey.idea_call  # the idea call fixture of the journey, shared
tab_to, wait_for_altcha = journey.tab_to, journey.wait_for_altcha


def test_an_idea_and_a_comment_are_sent_without_javascript(browser, live_server, idea_call, login):
    from leitbild.participation.models import Comment, Idea, IdeaStatus, Process

    process = idea_call["process"]
    # Post-moderated: what is sent with the proof of work would be public at once.
    Process.objects.filter(pk=process.pk).update(moderation=Process.Moderation.POST)
    base = f"/beteiligung/{process.slug}"
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", java_script_enabled=False
    )
    nojs = context.new_page()
    nojs.set_default_timeout(10_000)

    nojs.goto(f"{base}/ideen/neu/")
    form = nojs.locator("form.lb-form")
    notice = form.locator("#ohne-javascript")
    assert "Moderation" in notice.inner_text()
    assert notice.bounding_box()["y"] < nojs.get_by_label("Titel").bounding_box()["y"]
    assert not nojs.locator("#sicherheitspruefung").is_visible()
    nojs.get_by_label("Titel").fill("Sitzbänke ohne JavaScript")
    nojs.get_by_label("Beschreibung").fill("Am Marktplatz fehlen Bänke zum Ausruhen im Schatten.")
    nojs.get_by_label("Mobilität").check()
    nojs.locator("#id_privacy").check()
    nojs.get_by_role("button", name="Idee einreichen").click()
    nojs.wait_for_url(f"**{base}/")
    assert "sobald die Moderation" in nojs.locator(".lb-messages").inner_text()
    idea = Idea.objects.get(title="Sitzbänke ohne JavaScript")
    assert idea.status == IdeaStatus.SUBMITTED and not idea.is_public

    other = idea_call["other"]
    nojs.goto(f"{base}/ideen/{other.pk}/")
    assert nojs.locator("#kommentare form #ohne-javascript").count() == 1
    nojs.get_by_label("Ihr Kommentar").fill("Auch ohne JavaScript: gute Idee!")
    nojs.get_by_role("button", name="Kommentar senden").click()
    nojs.wait_for_url(f"**/ideen/{other.pk}/**")
    assert "nach der Prüfung" in nojs.locator(".lb-messages").inner_text()
    assert "Auch ohne JavaScript" not in nojs.locator("#kommentare").inner_text()
    comment = Comment.objects.get(text="Auch ohne JavaScript: gute Idee!")
    assert comment.state == Comment.State.PENDING
    context.close()

    page = login(roles=[Role.MODERATOR], email="moderation@stadt.example")
    page.goto(f"/beteiligung/verwaltung/verfahren/{process.slug}/moderation/")
    assert "Auch ohne JavaScript: gute Idee!" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"^Freigeben\s*: Sitzbänke ohne JavaScript")).click()
    page.get_by_role("button", name=re.compile(r"^Freigeben\s*\(Kommentar")).click()
    idea.refresh_from_db()
    comment.refresh_from_db()
    assert idea.is_public and comment.state == Comment.State.VISIBLE


def test_space_does_not_un_verify_the_altcha_checkbox(page, idea_call):
    process = idea_call["process"]
    page.goto(f"/beteiligung/{process.slug}/ideen/neu/")
    assert page.locator("#sicherheitspruefung").is_visible()
    checkbox = page.locator("altcha-widget input[type=checkbox]")
    checkbox.focus()
    page.keyboard.press("Space")
    wait_for_altcha(page)
    page.locator("altcha-widget [data-state=verified]").wait_for()
    payload = page.locator("input[name=altcha]").input_value()
    checkbox.focus()
    page.keyboard.press("Space")
    checkbox.click(force=True)  # on the tick mark drawn over it, as a mouse would
    page.wait_for_timeout(300)
    assert page.locator("altcha-widget [data-state=verified]").count() == 1
    assert checkbox.is_checked()
    assert page.locator("input[name=altcha]").input_value() == payload
