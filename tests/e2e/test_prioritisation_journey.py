"""A prioritisation round in a real browser: three assessors score three projects (one of them
with the keyboard only), the Strategie-Redaktion derives the weights by pairwise comparison,
runs the ranking, sees its robustness, the budget-optimal portfolio next to the ranking taken
from the top and the robust portfolio, marks the priorities and publishes the round; a visitor
sees on the Umsetzungskonzept how the priorities came about. axe-core finds no violation on
any page on the way.
"""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from leitbild.core.roles import Role

from .conftest import PASSWORD, assert_accessible

# Scores (Gemeinwohl, Machbarkeit) and own share in 2026: the platform is best but dear, so
# the ranking from the top buys it alone, the optimum the two others.
PROJECTS = {
    "Urbane Datenplattform": ((5, 5), 600_000),
    "Stadt-App Musterstadt": ((4, 4), 500_000),
    "Digitaler Mängelmelder": ((4, 3), 500_000),
}
ASSESSORS = ("bea@stadt.example", "jonas@stadt.example", "leyla@stadt.example")


@pytest.fixture
def city(transactional_db, settings, make_user):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    from leitbild.core.demo import pages_ensure
    from leitbild.portfolio import rounds, services
    from leitbild.portfolio.models import CostType, Strength
    from leitbild.strategy import services as strategy
    from leitbild.strategy.models import Strategy

    pages_ensure()
    s = Strategy.objects.create(title="Smart-City-Strategie", slug="smart-city", edition="2025")
    field = strategy.field_create(actor=None, strategy=s, code="DIN", name="Digitale Infrastruktur")
    goal = strategy.goal_create(actor=None, field=field, code="DIN-1", title="Daten verbinden")
    projects = []
    for title, (_points, cost) in PROJECTS.items():
        project = services.project_create(
            actor=None,
            strategy=s,
            title=title,
            summary=f"{title} für Musterstadt.",
            goals=[services.GoalLink(goal, Strength.STRONG)],
            starts_on=date(2026, 1, 1),
            duration_months=12,
            is_public=True,
        )
        services.cost_plan_set(
            actor=None,
            project=project,
            costs=[services.CostRow(2026, CostType.OPERATION, Decimal(cost))],
        )
        projects.append(project)
    services.budget_set(actor=None, years={2026: Decimal("1000000")}, budget_emergency=False)
    editor = make_user("redaktion@stadt.example", roles=[Role.EDITOR], password=PASSWORD)
    for email in ASSESSORS:
        make_user(email, roles=[Role.ASSESSOR], password=PASSWORD)
    round_ = rounds.round_create(
        actor=editor, strategy=s, title="Priorisierung 2026", projects=projects
    )
    # Three criteria keep the pairwise comparison short: goals (computed) and two assessed.
    for criterion in list(round_.criteria.all()):
        if criterion.key not in ("ziele", "gemeinwohl", "machbarkeit"):
            rounds.criterion_delete(actor=editor, criterion=criterion)
    return {"round": round_, "projects": projects}


def _check(page):
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def _signed_in(browser, live_server, email):
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/verwaltung/**")
    return context, page


def _tab_to(page, selector: str, limit: int = 300) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus")


def _criteria(round_):
    from leitbild.portfolio.models import CriterionKind

    return list(round_.criteria.filter(kind=CriterionKind.ASSESSED).order_by("order"))


def _score_with_mouse(page, round_, project, points, note):
    page.goto(f"/umsetzung/verwaltung/priorisierung/{round_.pk}/bewertung/{project.pk}/")
    for criterion, value in zip(_criteria(round_), points, strict=True):
        page.locator(f"#id_c_{criterion.pk}_{value}").check()
        page.locator(f"#id_j_{criterion.pk}").fill(note)
    with page.expect_navigation():
        page.get_by_role("button", name="Entwurf speichern").click()


def _score_with_keyboard(page, round_, project, points, note):
    page.goto(f"/umsetzung/verwaltung/priorisierung/{round_.pk}/bewertung/{project.pk}/")
    for criterion, value in zip(_criteria(round_), points, strict=True):
        _tab_to(page, f"#id_c_{criterion.pk}_0")
        page.keyboard.press("Space")  # checks 0; each arrow moves one point up
        for _ in range(value):
            page.keyboard.press("ArrowRight")
        _tab_to(page, f"#id_j_{criterion.pk}")
        page.keyboard.type(note)
    _tab_to(page, "button[type=submit]:not([name])")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_round_goes_from_scores_to_the_public_page(browser, live_server, city):
    round_, projects = city["round"], city["projects"]
    points = {p.pk: PROJECTS[p.title][0] for p in projects}

    # The editor derives the weights by pairwise comparison (before anyone scores).
    context, page = _signed_in(browser, live_server, "redaktion@stadt.example")
    page.goto(f"/umsetzung/verwaltung/priorisierung/{round_.pk}/paarvergleich/")
    _check(page)
    for select, value in zip(
        page.locator("select[name^=p_]").all(), ["1/3", "1/2", "2"], strict=True
    ):
        select.select_option(value)
    page.get_by_role("button", name="Gewichte berechnen und speichern").click()
    expect(page.get_by_text("Konsistenzverhältnis", exact=False).first).to_be_visible()
    editor_context, editor = context, page

    # Three assessors; Leyla uses only the keyboard.
    for email in ASSESSORS:
        context, page = _signed_in(browser, live_server, email)
        page.goto(f"/umsetzung/verwaltung/priorisierung/{round_.pk}/bewertung/")
        _check(page)
        for project in projects:
            if email.startswith("leyla"):
                _score_with_keyboard(page, round_, project, points[project.pk], "Gut belegt.")
            else:
                _score_with_mouse(page, round_, project, points[project.pk], "Im Steckbrief.")
            assert page.locator(".kern-alert--danger").count() == 0
        _check(page)
        page.goto(f"/umsetzung/verwaltung/priorisierung/{round_.pk}/bewertung/")
        page.get_by_role("button", name="Bewertung abschließen").click()
        expect(page.get_by_text("Sie haben Ihre Bewertung abgeschlossen.")).to_be_visible()
        context.close()

    # Ranking and robustness.
    page = editor
    page.goto(f"/umsetzung/verwaltung/priorisierung/{round_.pk}/rangfolge/")
    _check(page)
    page.get_by_role("button", name="Rangfolge berechnen").click()
    expect(page.get_by_text("Rangfolge und Robustheit berechnet.")).to_be_visible()
    expect(page.locator("svg[role=img]")).to_have_count(1)
    expect(page.locator("table").first).to_contain_text("Urbane Datenplattform")
    _check(page)
    # What-if with htmx: all weight on feasibility; nothing is saved.
    first = page.locator("input[name^=w]").first
    first.fill("0")
    page.get_by_role("button", name="Rangfolge mit diesen Gewichten zeigen").click()
    expect(page.locator("#was-waere-wenn-ergebnis table")).to_be_visible()
    _check(page)

    # Both portfolios side by side, then the robust portfolio as a background task.
    page.get_by_role("link", name="Portfolio im Budget").click()
    page.get_by_role("button", name="Portfolio berechnen", exact=True).click()
    expect(page.get_by_text("Die beiden Auswahlen unterscheiden sich")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Rangfolge von oben, bis das Geld reicht")
    ).to_be_visible()
    _check(page)
    page.get_by_label("Ziehungen").fill("50")
    page.get_by_role("button", name="Robustes Portfolio berechnen").click()
    page.get_by_role("link", name="Robustes Portfolio ansehen").click()
    expect(page.locator("#robust")).to_be_visible()
    expect(page.get_by_text("Aus 50 Ziehungen")).to_be_visible()
    _check(page)

    # Decisions (the optimum is preselected), then publication.
    page.get_by_role("link", name="Entscheidungen").click()
    _check(page)
    for text in page.locator("textarea").all():
        text.fill("Vom Lenkungskreis am 19. März beschlossen.")
    page.get_by_role("button", name="Entscheidungen speichern").click()
    expect(page.get_by_role("button", name="Runde veröffentlichen")).to_be_visible()
    _check(page)
    page.get_by_role("button", name="Runde veröffentlichen").click()
    expect(page.locator("#priorisierung")).to_be_visible()
    editor_context.close()

    # A visitor sees how the priorities came about; nobody's individual points.
    visitor = browser.new_context(base_url=live_server.url, locale="de-DE").new_page()
    visitor.goto("/umsetzung/")
    expect(
        visitor.get_by_role("heading", name="Wie die Prioritäten entstanden sind")
    ).to_be_visible()
    expect(visitor.locator("svg[role=img]")).to_have_count(1)
    expect(visitor.get_by_text("Vom Lenkungskreis am 19. März beschlossen.").first).to_be_visible()
    html = visitor.content()
    assert "leyla@" not in html and "Gut belegt." not in html
    _check(visitor)
    visitor.context.close()
