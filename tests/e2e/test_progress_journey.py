"""Project progress in a real browser: the Strategie-Redaktion writes a progress report by
keyboard, a visitor sees it on the public Umsetzungsmonitor with its progress bar, and
axe-core finds no violation on any page on the way."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from leitbild.core.roles import Role

from .conftest import assert_accessible


@pytest.fixture
def project(transactional_db):
    from leitbild.core.demo import pages_ensure
    from leitbild.monitoring import progress_services as progress
    from leitbild.portfolio import services
    from leitbild.portfolio.models import OrgUnit, Stage, Strength
    from leitbild.strategy import services as strategy
    from leitbild.strategy.models import Strategy

    pages_ensure()
    s = Strategy.objects.create(title="Smart-City-Strategie", slug="smart-city", edition="2025")
    field = strategy.field_create(actor=None, strategy=s, code="MOB", name="Mobilität")
    goal = strategy.goal_create(actor=None, field=field, code="MOB-1", title="Weniger Verkehr")
    unit = services.orgunit_save(actor=None, name="Tiefbauamt", kind=OrgUnit.Kind.DEPARTMENT)
    today = timezone.localdate()
    project = services.project_create(
        actor=None,
        strategy=s,
        title="Digitales Parkraummanagement",
        summary="Sensoren zeigen freie Plätze.",
        lead_unit=unit,
        goals=[services.GoalLink(goal, Strength.STRONG)],
        starts_on=today - datetime.timedelta(days=200),
        duration_months=36,
        is_public=True,
        costs_public=True,
    )
    for stage in (Stage.QUALIFYING, Stage.PRIORITISED, Stage.IMPLEMENTING):
        services.project_stage_set(actor=None, project=project, stage=stage, reason="Beschluss")
    services.cost_plan_set(
        actor=None,
        project=project,
        costs=[services.CostRow(today.year, "investition", Decimal("80000"))],
    )
    progress.milestones_set(
        actor=None,
        project=project,
        rows=[progress.MilestoneRow("Ausschreibung", today - datetime.timedelta(days=30))],
    )
    return project


def test_staff_report_progress_by_keyboard_and_visitors_see_it(page, login, browser, project):
    login(roles=[Role.EDITOR])
    page.goto(f"/umsetzung/verwaltung/fortschritt/projekte/{project.pk}/")
    expect(page.locator("h1")).to_contain_text("Digitales Parkraummanagement")
    assert_accessible(page)

    page.get_by_role("link", name="Fortschrittsbericht schreiben").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Fortschrittsbericht")
    assert_accessible(page)
    page.get_by_label("Fertigstellung (Prozent)").focus()
    page.keyboard.type("140")  # out of range: refused next to the field, the input stays
    page.get_by_label("Bericht", exact=True).focus()
    page.keyboard.type("Die Sensoren im Parkhaus Mitte sind montiert.")
    page.get_by_role("button", name="Bericht speichern").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_percent_error")).to_contain_text("zwischen 0 und 100 Prozent")
    expect(page.get_by_label("Bericht", exact=True)).to_have_value(
        "Die Sensoren im Parkhaus Mitte sind montiert."
    )
    assert_accessible(page)
    page.get_by_label("Fertigstellung (Prozent)").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("45")
    page.get_by_label("Status").focus()
    page.keyboard.press("ArrowDown")  # im Plan → verzögert
    page.get_by_role("button", name="Bericht speichern").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Fortschrittsbericht gespeichert.")).to_be_visible()
    expect(page.get_by_text("45 Prozent fertig, verzögert")).to_be_visible()
    assert_accessible(page)

    visitor = browser.new_context(base_url=page.url.split("/umsetzung")[0], locale="de-DE")
    public = visitor.new_page()
    public.goto("/umsetzung/monitor/")
    assert_accessible(public)
    public.get_by_role("link", name="Digitales Parkraummanagement").click()
    expect(public.locator("h1")).to_have_text("Digitales Parkraummanagement")
    expect(public.get_by_text("Die Sensoren im Parkhaus Mitte sind montiert.")).to_be_visible()
    expect(public.get_by_label("Fertigstellung")).to_have_attribute("value", "45")
    expect(public.get_by_text("überfällig")).to_be_visible()
    assert_accessible(public)
    visitor.close()


def test_the_project_team_corrects_and_deletes_a_report_by_keyboard(page, login, project):
    from leitbild.accounts.models import User
    from leitbild.monitoring import progress_services as progress
    from leitbild.monitoring.progress_models import ProgressUpdate
    from leitbild.portfolio.services import orgunit_save

    today = timezone.localdate()
    for text in ("Ausschreibung läuft.", "Zuschlag erteilt, Montage ab März."):
        progress.progress_update_create(
            actor=None, project=project, date=today, percent=20, status="plan", text=text
        )
    login(roles=[Role.PROJECT_TEAM], email="team@stadt.example")
    unit = project.lead_unit
    orgunit_save(
        actor=None,
        unit=unit,
        name=unit.name,
        kind=unit.kind,
        members=[User.objects.get(email="team@stadt.example")],
    )
    page.goto("/umsetzung/verwaltung/fortschritt/")
    assert_accessible(page)
    expect(page.get_by_role("link", name="CSV-Import")).to_have_count(0)
    page.get_by_role("link", name="Digitales Parkraummanagement").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Digitales Parkraummanagement")
    assert_accessible(page)

    page.locator("a", has_text="Ändern").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Fortschrittsbericht ändern")
    assert_accessible(page)
    field = page.get_by_label("Bericht", exact=True)
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Zuschlag erteilt, Montage ab April.")
    page.get_by_role("button", name="Bericht speichern").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Fortschrittsbericht geändert.")).to_be_visible()
    expect(page.get_by_text("Zuschlag erteilt, Montage ab April.")).to_be_visible()

    page.locator("a", has_text="Löschen").last.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Fortschrittsbericht löschen")
    assert_accessible(page)
    page.get_by_role("button", name="Endgültig löschen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Fortschrittsbericht gelöscht.")).to_be_visible()
    assert_accessible(page)
    assert list(ProgressUpdate.objects.values_list("text", flat=True)) == [
        "Zuschlag erteilt, Montage ab April."
    ]


def test_the_redaktion_writes_the_reports_foreword_by_keyboard(page, login, project):
    from leitbild.monitoring.reports import report_texts

    year = timezone.localdate().year
    login(roles=[Role.EDITOR])
    page.goto("/umsetzung/verwaltung/berichte/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Texte {year}").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(f"Texte des Umsetzungsberichts {year}")
    assert_accessible(page)
    page.get_by_label("Vorwort").focus()
    page.keyboard.type("Ein Jahr Umsetzung in Musterstadt.")
    page.get_by_role("button", name="Texte speichern").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Erzeugen Sie den Bericht neu")).to_be_visible()
    assert_accessible(page)
    assert report_texts(year)["vorwort"] == "Ein Jahr Umsetzung in Musterstadt."


def test_a_visitor_follows_a_project_by_email_through_real_smtp(page, browser, project, settings):
    from leitbild.core.tests.mailserver import LocalSmtpServer, run_worker, use_email_url
    from leitbild.monitoring import progress_services as progress
    from leitbild.monitoring.models import ProgressSubscription

    def link(message, kind: str) -> str:
        body = message.get_content()
        line = next(word for word in body.split() if f"/abo/{kind}/" in word)
        return line[line.index("/umsetzung/") :]

    with LocalSmtpServer() as smtp:
        use_email_url(settings, smtp.url)
        page.goto(f"/umsetzung/monitor/projekte/{project.pk}/")
        page.get_by_label("Ihre E-Mail-Adresse").focus()
        page.keyboard.type("anwohnerin@example.org")
        page.keyboard.press("Enter")
        expect(page.get_by_text("Bitte sehen Sie in Ihr Postfach")).to_be_visible()
        assert_accessible(page)
        run_worker()
        [(to, confirmation)] = smtp.messages
        assert to == ["anwohnerin@example.org"]
        page.goto(link(confirmation, "bestaetigen"))
        expect(page.get_by_text("Abonnement bestätigt")).to_be_visible()
        assert_accessible(page)
        assert ProgressSubscription.objects.get().confirmed_at is not None

        progress.progress_update_create(
            actor=None,
            project=project,
            date=timezone.localdate(),
            percent=50,
            status="plan",
            text="Die Hälfte der Sensoren ist eingebaut.",
        )
        run_worker()
        report = smtp.messages[-1][1]
        assert "Die Hälfte der Sensoren ist eingebaut." in report.get_content()
        page.goto(link(report, "abbestellen"))
        assert_accessible(page)
        page.get_by_role("button", name="Abbestellen").focus()
        page.keyboard.press("Enter")
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)
        assert not ProgressSubscription.objects.exists()
