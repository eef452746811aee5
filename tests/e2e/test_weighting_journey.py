"""Weighting and surveys in a real browser, by keyboard alone, with axe-core on every page.

A resident casts each kind of ballot and answers a survey; staff generate codes and download
the letters, close the phase, publish the results and look at weighted and unweighted figures
with a suppressed small group.
"""

import datetime

import pytest
from django.utils import timezone

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.LEITBILD_PRIVATE_DIR = tmp_path / "private"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }


@pytest.fixture
def strategy(db):
    from leitbild.strategy.models import ActionField, Strategy

    strategy = Strategy.objects.create(title="Smart City", slug="smart-city", edition="2026")
    for order, (code, name) in enumerate(
        [("MOB", "Mobilität"), ("BIL", "Bildung"), ("UMW", "Umwelt"), ("VER", "Verwaltung")]
    ):
        ActionField.objects.create(strategy=strategy, code=code, name=name, order=order)
    return strategy


def _phase(strategy, kind, slug):
    from leitbild.participation.models import Phase, Process

    process = Process.objects.create(strategy=strategy, title="Schwerpunkte", slug=slug)
    now = timezone.now()
    return Phase.objects.create(
        process=process,
        kind=kind,
        title="Schwerpunkte wählen",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=7),
    )


def _weighting(strategy, method, *, mode="open", slug="gewichtung", **rules):
    from leitbild.consultation import services
    from leitbild.consultation.questionnaire import parse_options

    phase = _phase(strategy, "weighting", slug)
    weighting = services.weighting_configure(
        actor=None,
        phase=phase,
        fields=list(strategy.fields.order_by("order")),
        mode=mode,
        method=method,
        **rules,
    )
    services.demographic_question_save(
        actor=None,
        phase=phase,
        key="alter",
        text="Wie alt sind Sie?",
        options=parse_options("unter 40\n40 bis 64\n65 und älter"),
    )
    return weighting


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard user would."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} never received the focus")


def press_and_wait(page, key: str = "Enter") -> None:
    """Press a key that submits a form, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def _field_ids(strategy):
    return [f.pk for f in strategy.fields.order_by("order")]


@pytest.mark.parametrize("method", ["pick", "points", "rank", "rate"])
def test_a_resident_casts_each_kind_of_ballot_by_keyboard(page, strategy, method):
    from leitbild.consultation.models import PendingBallot

    weighting = _weighting(strategy, method, pick_k=2, points_total=10)
    ids = _field_ids(strategy)
    page.goto(f"/mitmachen/gewichtung/{weighting.phase_id}/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    if method == "pick":
        for pk in ids[:2]:
            tab_to(page, f"input[name=auswahl][value='{pk}']")
            page.keyboard.press("Space")
    elif method == "points":
        tab_to(page, f"#id_punkte_{ids[0]}")
        page.keyboard.type("7")
        tab_to(page, f"#id_punkte_{ids[1]}")
        page.keyboard.type("3")
        assert "Alle Punkte sind verteilt" in page.locator("#punkte-summe").inner_text()
    elif method == "rank":
        for place, pk in enumerate(ids, start=1):
            tab_to(page, f"#id_platz_{pk}")
            for _ in range(place):
                page.keyboard.press("ArrowDown")
    else:
        for rating, pk in enumerate(ids, start=2):
            tab_to(page, f"input[name=bewertung_{pk}]")
            page.keyboard.press("Space")
            for _ in range(rating - 1):
                page.keyboard.press("ArrowRight")
    tab_to(page, "input[name=angabe_alter]")
    page.keyboard.press("ArrowDown")  # from "keine Angabe" to "unter 40"
    tab_to(page, "button[type=submit]:has-text('Stimme abgeben')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/danke/")
    assert "Ihre Stimme ist gespeichert" in page.locator("h1").inner_text()
    assert_accessible(page)
    ballot = PendingBallot.objects.get()  # in the ballot box until k ballots are there
    assert ballot.demographics == {"alter": "unter-40"}
    expected = {
        "pick": sorted(ids[:2]),
        "points": {str(ids[0]): 7, str(ids[1]): 3},
        "rank": {str(pk): place for place, pk in enumerate(ids, start=1)},
        "rate": {str(pk): rating for rating, pk in enumerate(ids, start=2)},
    }[method]
    assert ballot.choices == expected
    assert page.console_errors == []


def test_a_refused_ballot_keeps_the_choices_and_says_why(page, strategy):
    weighting = _weighting(strategy, "pick", pick_k=1)
    ids = _field_ids(strategy)
    page.goto(f"/mitmachen/gewichtung/{weighting.phase_id}/")
    for pk in ids[:2]:
        tab_to(page, f"input[name=auswahl][value='{pk}']")
        page.keyboard.press("Space")
    tab_to(page, "button[type=submit]:has-text('Stimme abgeben')")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "höchstens 1 Handlungsfeld" in page.locator("#fehler").inner_text()
    assert page.locator("input[name=auswahl]:checked").count() == 2
    assert_accessible(page)


def test_a_resident_answers_a_survey_by_keyboard(page, strategy):
    from leitbild.consultation import services
    from leitbild.consultation.models import PendingResponse
    from leitbild.consultation.questionnaire import parse_options

    phase = _phase(strategy, "survey", "umfrage")
    survey = services.survey_configure(actor=None, phase=phase, mode="open")
    one = services.survey_section_save(actor=None, survey=survey, title="Erfahrung")
    two = services.survey_section_save(actor=None, survey=survey, title="Wünsche", position=1)
    took_part = services.survey_question_save(
        actor=None,
        section=one,
        kind="single",
        text="Haben Sie schon teilgenommen?",
        options=parse_options("Ja\nNein"),
        required=True,
    )
    services.survey_question_save(
        actor=None,
        section=one,
        kind="likert",
        text="Waren Sie zufrieden?",
        position=1,
        condition_question=took_part,
        condition_value="ja",
    )
    ways = services.survey_question_save(
        actor=None,
        section=two,
        kind="multiple",
        text="Welche Wege?",
        options=parse_options("App\nBrief\nWorkshop"),
    )
    minutes = services.survey_question_save(
        actor=None,
        section=two,
        kind="number",
        text="Minuten im Monat?",
        number_min=0,
        number_max=600,
        position=1,
    )
    wish = services.survey_question_save(
        actor=None, section=two, kind="text", text="Was wünschen Sie sich?", position=2
    )

    page.goto(f"/mitmachen/umfrage/{phase.pk}/")
    assert_accessible(page)
    tab_to(page, "button:has-text('Umfrage beginnen')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/abschnitt/0/")
    satisfied = page.locator("[data-bedingung-frage]")
    assert satisfied.is_hidden()  # shown by the script only after "Ja"
    assert_accessible(page)
    tab_to(page, f"input[name=frage_{took_part.pk}]")
    page.keyboard.press("Space")  # "Ja"
    assert satisfied.is_visible()
    tab_to(page, f"#block-{took_part.pk + 1} input")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")  # 2 … "stimme eher nicht zu"
    tab_to(page, "button:has-text('Speichern und weiter')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/abschnitt/1/")
    assert_accessible(page)
    tab_to(page, f"input[name=frage_{ways.pk}][value=brief]")
    page.keyboard.press("Space")
    tab_to(page, f"#frage-{minutes.pk}")
    page.keyboard.type("45")
    tab_to(page, f"#frage-{wish.pk}")
    page.keyboard.type("Abendtermine")
    # Saved while typing: a reload loses nothing.
    page.wait_for_function("() => document.getElementById('speicherstatus').textContent")
    page.reload()
    assert page.locator(f"#frage-{wish.pk}").input_value() == "Abendtermine"
    assert page.locator(f"input[name=frage_{ways.pk}][value=brief]").is_checked()
    tab_to(page, "button:has-text('Antworten absenden')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/danke/")
    assert_accessible(page)
    response = PendingResponse.objects.get()  # in the ballot box until k responses are there
    assert response.answers == {
        str(took_part.pk): "ja",
        str(took_part.pk + 1): "2",
        str(ways.pk): ["brief"],
        str(minutes.pk): 45,
        str(wish.pk): "Abendtermine",
    }
    assert page.console_errors == []


def _ballots(weighting, strategy):
    """28 ballots: many young, some middle-aged, two old (a group to suppress)."""
    from leitbild.consultation import identity, services

    ids = _field_ids(strategy)
    groups = ["unter-40"] * 18 + ["40-bis-64"] * 8 + ["65-und-alter"] * 2
    for i, age in enumerate(groups):
        services.ballot_cast(
            weighting=weighting,
            choices=[ids[i % 4], ids[(i + 1) % 4]],
            demographics={"alter": age},
            identity_hash=identity.browser_identity(f"e2e-{i}"),
        )


def test_staff_print_codes_close_publish_and_read_the_results(page, login, strategy):
    from leitbild.consultation import services
    from leitbild.consultation.models import DemographicQuestion, Weighting
    from leitbild.core.roles import Role

    weighting = _weighting(strategy, "pick", mode="open", pick_k=2)
    _ballots(weighting, strategy)
    Weighting.objects.filter(pk=weighting.pk).update(mode="codes")  # the sample follows
    services.population_target_save(
        actor=None,
        phase=weighting.phase,
        question=DemographicQuestion.objects.get(),
        second_question=None,
        shares={"unter-40": 0.35, "40-bis-64": 0.4, "65-und-alter": 0.25},
    )
    phase_id = weighting.phase_id
    login(roles=[Role.EDITOR])

    page.goto(f"/mitmachen/verwaltung/phasen/{phase_id}/codes/")
    assert_accessible(page)
    page.get_by_label("Anzahl der Codes").fill("3")
    press_and_wait(page)
    assert "3 Codes wurden erzeugt" in page.content()
    tab_to(page, "button:has-text('Briefe erstellen (PDF)')")
    press_and_wait(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Briefe als PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert_accessible(page)

    page.goto(f"/mitmachen/verwaltung/phasen/{phase_id}/")
    assert_accessible(page)
    page.get_by_label("Ende", exact=True).fill("2020-01-02T10:00")
    page.get_by_label("Beginn", exact=True).fill("2020-01-01T10:00")
    tab_to(page, "button:has-text('Zeitraum speichern')")
    press_and_wait(page)
    assert "Beginn und Ende wurden gespeichert" in page.content()
    tab_to(page, "button:has-text('Ergebnisse veröffentlichen')")
    press_and_wait(page)
    assert "Die Ergebnisse sind veröffentlicht" in page.content()

    page.goto(f"/mitmachen/gewichtung/{phase_id}/ergebnisse/")
    assert_accessible(page)
    unweighted = page.locator("figure table").first.inner_text()
    tab_to(page, "#gewichtet-nein")
    page.keyboard.press("ArrowDown")  # the radio group moves to "gewichtet"
    tab_to(page, "#nach")
    page.keyboard.press("ArrowDown")  # "Wie alt sind Sie?"
    tab_to(page, "button:has-text('Anzeigen')")
    page.keyboard.press("Enter")
    page.wait_for_url("**gewichtet=1**")
    body = page.locator("main").inner_text()
    assert "Ungewichtet und gewichtet im Vergleich" in body
    assert "Effektive Stichprobengröße" in body
    assert page.locator("figure table").first.inner_text() != unweighted
    assert "Nicht ausgewiesen" in body  # "65 und älter" (2) and its complement
    assert page.locator("svg[role=img]").count() >= 2
    assert_accessible(page)


def test_pages_reflow_at_320_pixels(phone_page, strategy):
    from leitbild.consultation import services

    weighting = _weighting(strategy, "rate")
    _ballots_rate = [
        {pk: 1 + (i + j) % 5 for j, pk in enumerate(_field_ids(strategy))} for i in range(6)
    ]
    from leitbild.consultation import identity

    for i, ballot in enumerate(_ballots_rate):
        services.ballot_cast(
            weighting=weighting, choices=ballot, identity_hash=identity.browser_identity(f"p-{i}")
        )
    services.results_publish(actor=None, consultation=weighting, published=True)
    for url in (
        f"/mitmachen/gewichtung/{weighting.phase_id}/",
        f"/mitmachen/gewichtung/{weighting.phase_id}/ergebnisse/",
    ):
        phone_page.goto(url)
        width = phone_page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"{url} scrolls sideways ({width} px)"
