"""The home page leads a new resident to every open phase, and results read on a phone.

From the home page, by keyboard alone, each open idea call, weighting and survey is one Tab
walk and one Enter away (two steps: the home page, then the place to take part). On a 390 px
phone the results charts fill the width with labels of at least 12 px, and the tables scroll
by keyboard (axe-core's scrollable-region-focusable passes there).
"""

import datetime

import pytest
from django.utils import timezone

from tests.e2e.conftest import assert_accessible, axe_violations
from tests.e2e.test_weighting_journey import tab_to

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.LEITBILD_PRIVATE_DIR = tmp_path / "private"


@pytest.fixture
def strategy(db):
    from leitbild.strategy import services as strategy_services
    from leitbild.strategy.models import ActionField, Strategy, StrategyVersion

    strategy = Strategy.objects.create(title="Smart City", slug="smart-city", edition="2026")
    for order, (code, name) in enumerate(
        [
            ("MOB", "Mobilität und Verkehr in allen Stadtteilen"),
            ("BIL", "Bildung"),
            ("UMW", "Energie, Umwelt und Klimaschutz"),
            ("VER", "Verwaltung und Bürgerservice"),
        ]
    ):
        ActionField.objects.create(strategy=strategy, code=code, name=name, order=order)
    version = strategy_services.draft_freeze(actor=None, strategy=strategy)
    strategy_services.version_set_status(
        actor=None, version=version, status=StrategyVersion.Status.CONSULTATION
    )
    return strategy


def _phase(strategy, kind, slug, title, *, days_from_now=-1):
    from leitbild.participation.models import Phase, Process

    process = Process.objects.create(strategy=strategy, title=f"Verfahren {title}", slug=slug)
    starts = timezone.now() + datetime.timedelta(days=days_from_now)
    return Phase.objects.create(
        process=process,
        kind=kind,
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(days=14),
    )


@pytest.fixture
def open_phases(strategy):
    from leitbild.consultation import services
    from leitbild.consultation.questionnaire import parse_options

    _phase(strategy, "ideas", "ideen", "Ideen für die Innenstadt")
    weighting_phase = _phase(strategy, "weighting", "gewichtung", "Schwerpunkte wählen")
    services.weighting_configure(
        actor=None,
        phase=weighting_phase,
        fields=list(strategy.fields.order_by("order")),
        mode="open",
        method="pick",
        pick_k=2,
    )
    survey_phase = _phase(strategy, "survey", "umfrage", "Wie informieren wir Sie?")
    survey = services.survey_configure(actor=None, phase=survey_phase, mode="open")
    section = services.survey_section_save(actor=None, survey=survey, title="Wege", position=0)
    services.survey_question_save(
        actor=None,
        section=section,
        kind="single",
        text="Lesen Sie das Amtsblatt?",
        options=parse_options("Ja\nNein"),
        position=0,
    )
    _phase(strategy, "weighting", "nicht-eingerichtet", "Noch nicht eingerichtet")
    _phase(strategy, "ideas", "spaeter", "Ideen für den Stadtpark", days_from_now=10)
    return {
        "Idee einreichen": "/beteiligung/ideen/ideen/neu/",
        "Jetzt gewichten": f"/mitmachen/gewichtung/{weighting_phase.pk}/",
        "An der Umfrage teilnehmen": f"/mitmachen/umfrage/{survey_phase.pk}/",
    }


def test_a_new_resident_reaches_every_open_phase_from_the_home_page_by_keyboard(page, open_phases):
    page.goto("/")
    assert_accessible(page)
    actions = page.locator("#jetzt-mitmachen ~ ul a.lb-home-action")
    assert actions.count() == len(open_phases)  # the phase not set up is not offered
    assert "Noch nicht eingerichtet" not in page.locator("main").inner_text()
    assert "Ideen für den Stadtpark" in page.locator("#demnaechst").locator("..").inner_text()
    for label, path in open_phases.items():
        page.goto("/")  # step 1: the home page
        tab_to(page, f"a.lb-home-action[href='{path}']")
        focused = page.evaluate("() => document.activeElement.textContent")
        assert focused.startswith(label)
        with page.expect_navigation():
            page.keyboard.press("Enter")  # step 2: the place to take part
        assert page.url.endswith(path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)


def test_the_home_page_shows_the_latest_result_and_the_fields(page, strategy):
    from leitbild.consultation import identity, services

    phase = _phase(strategy, "weighting", "ergebnis", "Schwerpunkte 2025", days_from_now=-3)
    fields = list(strategy.fields.order_by("order"))
    weighting = services.weighting_configure(
        actor=None, phase=phase, fields=fields, mode="open", method="pick", pick_k=1
    )
    for i, field in enumerate([fields[2]] * 4 + [fields[1]] * 2 + [fields[0]]):
        services.ballot_cast(
            weighting=weighting, choices=[field.pk], identity_hash=identity.browser_identity(str(i))
        )
    services.results_publish(actor=None, consultation=weighting, published=True)
    page.goto("/")
    results = page.locator("section[aria-labelledby=neueste-ergebnisse]")
    assert results.locator("svg[role=img]").count() == 1
    assert results.locator("table tbody th").first.text_content() == fields[2].name
    results.get_by_text("Die Zahlen als Tabelle").click()  # the table folds out
    assert results.locator("table").is_visible()
    glance = page.locator("section[aria-labelledby=strategie-auf-einen-blick]")
    assert glance.locator("a").filter(has_text="Bildung").count() == 1
    assert_accessible(page)


@pytest.fixture
def phone(browser, live_server):
    """A 390 px wide phone (the width of a common smartphone)."""
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


SMALLEST_LABEL = """() => Math.min(...[...document.querySelectorAll('figure svg.chart text')]
    .map(text => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a))"""


def _results(strategy):
    from leitbild.consultation import identity, services
    from leitbild.consultation.models import SurveyResponse
    from leitbild.consultation.questionnaire import parse_options

    phase = _phase(strategy, "weighting", "w", "Schwerpunkte", days_from_now=-3)
    fields = list(strategy.fields.order_by("order"))
    weighting = services.weighting_configure(
        actor=None, phase=phase, fields=fields, mode="open", method="rate"
    )
    for i in range(8):
        services.ballot_cast(
            weighting=weighting,
            choices={f.pk: 1 + (i + j) % 5 for j, f in enumerate(fields)},
            identity_hash=identity.browser_identity(f"p-{i}"),
        )
    services.results_summary_save(
        actor=None,
        consultation=weighting,
        summary="Mobilität liegt vorn. Die Stadt plant dort zuerst.",
    )
    survey_phase = _phase(strategy, "survey", "s", "Umfrage", days_from_now=-3)
    survey = services.survey_configure(actor=None, phase=survey_phase, mode="open")
    section = services.survey_section_save(actor=None, survey=survey, title="Wege", position=0)
    question = services.survey_question_save(
        actor=None,
        section=section,
        kind="multiple",
        text="Auf welchen Wegen möchten Sie künftig informiert werden?",
        options=parse_options("Newsletter per E-Mail\nStadt-App\nAushänge im Stadtteil"),
        position=0,
    )
    values = question.values
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey, submitted=True, answers={str(question.pk): values[: 1 + i % 3]}
        )
        for i in range(9)
    )
    for consultation in (weighting, survey):
        services.results_publish(actor=None, consultation=consultation, published=True)
    return [
        f"/mitmachen/gewichtung/{phase.pk}/ergebnisse/",
        f"/mitmachen/umfrage/{survey_phase.pk}/ergebnisse/",
    ]


def test_results_read_on_a_phone(phone, strategy):
    for url in _results(strategy):
        phone.goto(url)
        assert phone.locator("figure svg.chart").count() >= 1
        smallest = phone.evaluate(SMALLEST_LABEL)
        assert smallest >= 12, f"{url}: chart labels are {smallest:.1f} px"
        width = phone.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"{url} scrolls sideways ({width} px)"
        violations = axe_violations(phone)
        assert violations == [], violations  # scrollable-region-focusable included
        # Every table region is reached by Tab (and so scrolls with the arrow keys).
        region = phone.locator("div.kern-table-responsive[role=region]").first
        tab_to(phone, "div.kern-table-responsive[role=region]")
        assert region.get_attribute("aria-label")


def test_the_summary_stands_above_the_figures(page, strategy):
    url = _results(strategy)[0]
    page.goto(url)
    summary = page.locator("section.lb-summary")
    assert "Mobilität liegt vorn" in summary.inner_text()
    box, chart = summary.bounding_box(), page.locator("figure svg.chart").first.bounding_box()
    assert box["y"] < chart["y"]
    # Sorted by value, with the ballot order one link away (no JavaScript needed).
    page.get_by_role("link", name="in Reihenfolge des Stimmzettels").click()
    page.wait_for_url("**reihenfolge=stimmzettel**")
    first = page.locator("figure table tbody th").first.inner_text()
    assert first == "Mobilität und Verkehr in allen Stadtteilen"
    assert_accessible(page)
