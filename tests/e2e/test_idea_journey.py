"""The idea call in a real browser: a visitor by keyboard alone, then Moderation.

The visitor submits an idea with a place (picked on the map by keyboard) and a photo, asks for
feedback by e-mail and confirms it, supports and comments on another idea. The ALTCHA widget
solves its real challenge (at a tiny cost set below). Moderation approves the idea and the
comment, merges a duplicate and rejects an idea with a text block; the submitter gets the
status e-mails. axe-core finds no violation on any page on the way.
"""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image

from leitbild.core.roles import Role

from .conftest import assert_accessible


@pytest.fixture
def idea_call(transactional_db, settings):
    settings.LEITBILD_ALTCHA_COST = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    from leitbild.core.demo import pages_ensure
    from leitbild.participation import services
    from leitbild.participation.models import Phase, Process, ReasonTemplate
    from leitbild.strategy.models import ActionField, Strategy

    pages_ensure()
    strategy = Strategy.objects.create(title="Smart City", slug="smart-city", edition="2021")
    fields = [
        ActionField.objects.create(strategy=strategy, code=c, name=n, order=i)
        for i, (c, n) in enumerate([("MOB", "Mobilität"), ("ENU", "Umwelt"), ("VBS", "Verwaltung")])
    ]
    process = Process.objects.create(
        strategy=strategy,
        title="Ideenaufruf Musterstadt",
        slug="ideenaufruf",
        moderation=Process.Moderation.PRE,
        offline_contact="Postkarte an: Rathausplatz 1",
    )
    now = timezone.now()
    Phase.objects.create(
        process=process,
        kind=Phase.Kind.IDEAS,
        title="Ideen sammeln",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=10),
    )
    ReasonTemplate.objects.create(
        title="Zuständigkeit", text="Dafür ist das Land zuständig, nicht die Stadt."
    )

    def public(title, **kwargs):
        idea = services.idea_submit(
            process=process,
            title=title,
            fields=fields[:1],
            description=kwargs.pop("description", "Eine Idee für die ganze Stadt."),
            **kwargs,
        )
        return services.idea_approve(actor=None, idea=idea)

    return {
        "process": process,
        "other": public("Trinkbrunnen im Stadtpark", lat="52.43", lon="10.79"),
        "duplicate": public("Trinkbrunnen im Park aufstellen"),
        "to_reject": public("Autobahn verlegen"),
    }


def tab_to(page, selector: str, limit: int = 150) -> None:
    """Press Tab until the element matching ``selector`` has the focus: keyboard only."""
    for _ in range(limit):
        if page.evaluate(
            "s => !!document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def wait_for_altcha(page) -> None:
    page.wait_for_function(
        "() => { const i = document.querySelector('input[name=altcha]');"
        " return i && i.value.length > 20; }",
        timeout=30_000,
    )


def photo_file(tmp_path):
    path = tmp_path / "brunnen.jpg"
    image = Image.new("RGB", (320, 200), (40, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Testkamera"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    path.write_bytes(out.getvalue())
    return path


def test_visitor_and_moderation_complete_the_idea_call(page, login, idea_call, tmp_path):
    from leitbild.participation.models import Comment, Idea, IdeaStatus

    process = idea_call["process"]
    base = f"/beteiligung/{process.slug}"

    # --- A visitor submits an idea by keyboard alone -------------------------------------
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.goto(f"{base}/ideen/neu/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    tab_to(page, "#id_title")
    page.keyboard.type("Trinkbrunnen am Marktplatz")
    # Similar ideas appear while typing (htmx).
    page.locator("#aehnliche-ideen a", has_text="Trinkbrunnen im Stadtpark").wait_for()
    tab_to(page, "#id_description")
    page.keyboard.type("Im Sommer fehlt in der Altstadt frisches Trinkwasser für alle.")
    tab_to(page, "#id_action_fields_1")
    page.keyboard.press("Space")
    tab_to(page, "#ort-karte")
    for key in ["ArrowUp", "ArrowRight", "Equal"]:
        page.keyboard.press(key)
    tab_to(page, "#ort-setzen")
    page.keyboard.press("Enter")
    assert page.locator("#id_lat").input_value() != ""
    assert "Ort gewählt" in page.locator("#ort-status").inner_text()
    tab_to(page, "#id_address")
    page.keyboard.type("Marktplatz")
    tab_to(page, "#id_photo")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(photo_file(tmp_path))
    tab_to(page, "#id_photo_description")
    page.keyboard.type("Ein blauer Platz")
    tab_to(page, "#id_email")
    page.keyboard.type("anna@example.org")
    tab_to(page, "#id_privacy")
    page.keyboard.press("Space")
    wait_for_altcha(page)
    assert_accessible(page)
    tab_to(page, "form.lb-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{base}/")
    assert "sobald die Moderation" in page.locator(".lb-messages").inner_text()
    assert_accessible(page)

    idea = Idea.objects.get(title="Trinkbrunnen am Marktplatz")
    assert idea.lat is not None and idea.photo and idea.status == IdeaStatus.SUBMITTED
    assert b"Testkamera" not in idea.photo.read()

    # The double opt-in link arrives by e-mail and is confirmed by keyboard.
    link = re.search(r"http\S+/kontakt/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link[link.index("/beteiligung/") :])
    assert_accessible(page)
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{base}/")

    # --- The visitor supports and comments on another idea --------------------------------
    other = idea_call["other"]
    page.goto(f"{base}/ideen/{other.pk}/")
    assert_accessible(page)
    tab_to(page, "#unterstuetzung button")
    page.keyboard.press("Enter")
    page.locator("#unterstuetzung", has_text="1 Person unterstützt").wait_for()
    assert_accessible(page)
    tab_to(page, "#id_text")
    page.keyboard.type("Gute Idee, am besten mit Wasserspender für Hunde.")
    tab_to(page, "#id_author_name")
    page.keyboard.type("Kim")
    wait_for_altcha(page)
    tab_to(page, "#kommentare form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/ideen/{other.pk}/**")
    assert "nach der Prüfung" in page.locator(".lb-messages").inner_text()
    assert_accessible(page)
    other.refresh_from_db()
    assert other.support_count == 1
    assert Comment.objects.get().state == Comment.State.PENDING

    # --- Moderation approves, merges and rejects -------------------------------------------
    page.context.clear_cookies()
    login(roles=[Role.MODERATOR], email="moderation@stadt.example")
    page.goto(f"/beteiligung/verwaltung/verfahren/{process.slug}/moderation/")
    assert_accessible(page)
    approve = re.compile(r"^Freigeben\s*: Trinkbrunnen am Marktplatz")
    page.get_by_role("button", name=approve).click()
    page.get_by_role("button", name=re.compile(r"^Freigeben\s*\(Kommentar")).click()
    assert page.get_by_text("Keine wartenden Kommentare.").is_visible()
    idea.refresh_from_db()
    assert idea.is_public
    assert mail.outbox[-1].to == ["anna@example.org"]
    assert "veröffentlicht" in mail.outbox[-1].body

    duplicate = idea_call["duplicate"]
    page.goto(f"/beteiligung/verwaltung/ideen/{duplicate.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Mit einer anderen Idee zusammenführen").click()
    page.get_by_label("Idee suchen").fill("Trinkbrunnen")
    page.get_by_role("button", name="Suchen").click()
    assert_accessible(page)
    # No number to type: the candidate's own row has the action.
    row_action = re.compile(rf"^hier zusammenführen\s*: {other.title} \(Nr. {other.pk}\)$")
    page.get_by_role("button", name=row_action).click()
    page.wait_for_url(f"**/verwaltung/ideen/{other.pk}/")
    response = page.goto(f"{base}/ideen/{duplicate.pk}/")
    assert response.url.endswith(f"/ideen/{other.pk}/")

    rejected = idea_call["to_reject"]
    page.goto(f"/beteiligung/verwaltung/ideen/{rejected.pk}/")
    page.get_by_label("Neuer Status").select_option("rejected")
    page.get_by_label("Textbaustein").select_option(label="Zuständigkeit")
    page.get_by_role("button", name="Status ändern").click()
    page.wait_for_url(f"**/verwaltung/ideen/{rejected.pk}/")
    assert_accessible(page)
    page.goto(f"{base}/ideen/{rejected.pk}/")
    assert "Dafür ist das Land zuständig" in page.locator("main").inner_text()
    assert_accessible(page)

    # The submitter hears of the next step too.
    page.goto(f"/beteiligung/verwaltung/ideen/{idea.pk}/")
    page.get_by_label("Neuer Status").select_option("in_review")
    page.get_by_role("button", name="Status ändern").click()
    page.wait_for_url(f"**/verwaltung/ideen/{idea.pk}/")
    assert "in Prüfung" in mail.outbox[-1].body

    # The public page of the visitor's idea shows place, photo and history.
    page.goto(f"{base}/ideen/{idea.pk}/")
    assert page.locator("#ort-karte .leaflet-marker-icon").count() == 1
    assert page.locator("figure.lb-photo img").count() == 1
    assert "in Prüfung" in page.locator("main").inner_text()
    assert_accessible(page)


def test_the_map_loads_markers_of_the_visible_area(page, idea_call):
    process = idea_call["process"]
    page.goto(f"/beteiligung/{process.slug}/karte/")
    page.locator("#karte-status", has_text="Idee").wait_for()
    assert "1 Idee im Kartenausschnitt" in page.locator("#karte-status").inner_text()
    assert page.locator(".leaflet-marker-icon").count() == 1
    assert_accessible(page)
    assert page.console_errors == []


def test_list_and_process_pages_are_accessible(page, idea_call):
    process = idea_call["process"]
    for path in [
        f"/beteiligung/{process.slug}/",
        f"/beteiligung/{process.slug}/ideen/",
        "/beteiligung/",
    ]:
        page.goto(path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        assert page.console_errors == []


def test_the_scripts_speak_english_on_english_pages(page, idea_call):
    """Map count, zoom buttons and the ALTCHA widget take their texts from the JavaScript
    catalog in the reader's language."""
    process = idea_call["process"]
    page.goto(f"/sprache/en/?next=/beteiligung/{process.slug}/karte/")
    page.locator("#karte-status", has_text="idea").wait_for()
    assert "1 idea in the visible map area" in page.locator("#karte-status").inner_text()
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Zoom in"
    assert page.locator(".leaflet-control-zoom-out").get_attribute("title") == "Zoom out"
    page.goto(f"/beteiligung/{process.slug}/ideen/neu/")
    page.locator("altcha-widget", has_text="I'm not a robot").wait_for()
    assert page.console_errors == []
    page.goto("/sprache/de/?next=/")
    page.goto(f"/beteiligung/{process.slug}/ideen/neu/")
    page.locator("altcha-widget", has_text="Ich bin kein Roboter").wait_for()
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Hineinzoomen"
