"""Reports of the implementation monitoring through the document engine: the yearly
Umsetzungsbericht (public once generated) and a project's Sachstandsbericht (staff only)."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import html

from leitbild.core.charts import format_percent
from leitbild.core.models import TaskProgress
from leitbild.core.roles import Role
from leitbild.documents.models import GeneratedDocument
from leitbild.documents.render import web_context
from leitbild.documents.selectors import file_path
from leitbild.documents.tests.pdfua import structure
from leitbild.monitoring import progress_services, reports
from leitbild.monitoring import report_services as services

from .conftest import measure, publish
from .progress_fixtures import *  # noqa: F403 (fixtures)

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _immediate(settings, tmp_path):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    settings.LEITBILD_PRIVATE_DIR = tmp_path


@pytest.fixture
def data(project, indicator):
    """A project in implementation with a late milestone and a report of this year, and a
    published indicator far behind its path."""
    today = timezone.localdate()
    progress_services.milestones_set(
        actor=None,
        project=project,
        rows=[
            progress_services.MilestoneRow("Ausschreibung veröffentlicht", today - 200 * DAY),
            progress_services.MilestoneRow("Pilotbetrieb gestartet", today - 3 * DAY),
        ],
    )
    progress_services.progress_update_create(
        actor=None,
        project=project,
        date=today,
        percent=35,
        status="verzoegert",
        text="Die Sensoren kommen später.",
    )
    measure(indicator, datetime.date(2024, 6, 1), 11)
    publish(indicator.goal.strategy)
    return project


def _files(subject):
    return {row.format: row for row in GeneratedDocument.objects.filter(subject=subject)}


def _headings(row) -> list[str]:
    word = docx.Document(str(file_path(row)))
    return [
        p.text for p in word.paragraphs if p.style and (p.style.name or "").startswith("Heading")
    ]


def _table_texts(row) -> str:
    word = docx.Document(str(file_path(row)))
    return "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)


def test_the_yearly_report_is_pdf_ua_and_docx_and_reflects_the_data(data, editor):
    year = timezone.localdate().year
    services.yearly_report_generate(actor=editor, year=year)
    files = _files(f"monitoring-report:{year}")
    assert set(files) == {"pdf", "docx"}
    found = structure(file_path(files["pdf"]).read_bytes())
    assert found.lang == "de" and found.marked and found.display_doc_title
    assert found.untagged_text_pages == [] and found.figures_without_alt == 0
    assert {"Zusammenfassung", "Indikatoren", "Digitale Parkraumsteuerung"} <= set(found.bookmarks)
    text = found.text.replace("\n", " ")
    assert "Die Sensoren kommen später." in text
    headings = _headings(files["docx"])
    assert {"Zusammenfassung", "Indikatoren", "Digitale Parkraumsteuerung"} <= set(headings)
    tables = _table_texts(files["docx"])
    assert "Ausschreibung veröffentlicht" in tables and "überfällig" in tables
    assert "Anteil der Haltestellen mit Echtzeitanzeige" in tables
    assert "nicht auf Kurs" in tables
    assert "200.000 €" in tables  # planned this year


def test_the_project_report_has_progress_milestones_and_money(data, editor):
    services.project_report_generate(actor=editor, project=data)
    files = _files(f"project-report:{data.pk}")
    found = structure(file_path(files["pdf"]).read_bytes())
    assert found.marked and found.untagged_text_pages == []
    assert "Kosten und Mittelverwendung" in found.bookmarks
    headings = _headings(files["docx"])
    assert {"Stand der Umsetzung", "Meilensteine", "Kosten und Mittelverwendung"} <= set(headings)
    tables = _table_texts(files["docx"])
    assert "Pilotbetrieb gestartet" in tables and "überfällig" in tables
    assert "300.000 €" in tables  # the costs in all years


def test_staff_generate_in_the_background_and_the_public_downloads_the_yearly_report(
    client, data, editor, django_capture_on_commit_callbacks
):
    year = timezone.localdate().year
    download = reverse("monitoring:report_yearly_download", args=[year, "pdf"])
    assert client.get(download).status_code == 404
    assert (
        "umsetzungsbericht"
        not in client.get(reverse("monitoring:progress_overview")).content.decode()
    )
    client.force_login(editor)
    index = reverse("monitoring:report_staff_index")
    assert "noch kein Umsetzungsbericht" in client.get(index).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("monitoring:report_staff_yearly_generate"), {"year": year})
    progress = TaskProgress.objects.get()
    assert response.url == f"/verwaltung/aufgaben/{progress.pk}/"
    assert progress.status == TaskProgress.Status.DONE and progress.done == progress.total == 3
    page = client.get(index).content.decode()
    assert _files(f"monitoring-report:{year}")["pdf"].sha256 in page
    client.logout()
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    docx_url = reverse("monitoring:report_yearly_download", args=[year, "docx"])
    assert client.get(docx_url).status_code == 200
    assert download in client.get(reverse("monitoring:progress_overview")).content.decode()


def test_an_invalid_year_comes_back_with_the_error(client, data, editor):
    client.force_login(editor)
    response = client.post(reverse("monitoring:report_staff_yearly_generate"), {"year": "1900"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not TaskProgress.objects.exists()


def test_project_reports_are_for_staff_only(
    client, make_user, data, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("monitoring:report_staff_project_generate", args=[data.pk]))
    assert TaskProgress.objects.get().status == TaskProgress.Status.DONE
    url = reverse("monitoring:report_project_download", args=[data.pk, "docx"])
    response = client.get(url)
    assert response.status_code == 200 and response["X-Checksum-SHA256"]
    docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    assert url in client.get(reverse("monitoring:report_staff_index")).content.decode()
    client.force_login(make_user("rat@stadt.example", roles=[Role.COUNCIL_OFFICE]))
    assert client.get(url).status_code == 403
    assert client.get(reverse("monitoring:report_staff_index")).status_code == 403
    generate = reverse("monitoring:report_staff_project_generate", args=[data.pk])
    assert client.post(generate).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


# --- The money of the year: the Umsetzungsmonitor's chart with its table ----------------------

MONEY_TITLE = "Ausgegebener Anteil der im Jahr {year} geplanten Mittel je Handlungsfeld"


@pytest.fixture
def money(data, make_project):
    """This year: Mobilität 200.000 € planned, 50.000 € spent; Energie 80.000 € planned,
    nothing spent; a project whose costs are not public counts nowhere."""
    year = timezone.localdate().year
    progress_services.spending_set(actor=None, project=data, years={year: Decimal(50000)})
    make_project("Smarte Straßenbeleuchtung", goal=1, costs=[(year, "80000")])
    hidden = make_project("Vertraulich", costs=[(year, "999999")], costs_public=False)
    progress_services.spending_set(actor=None, project=hidden, years={year: Decimal(7)})
    return year


def _web(year: int) -> html.HtmlElement:
    body = render_to_string("documents/_body.html", web_context(reports.yearly_report(year)))
    return html.fragment_fromstring(body, create_parent="div")


def _cells(table) -> list[list[str]]:
    return [[c.text_content().strip() for c in r.xpath("th|td")] for r in table.iter("tr")]


def test_the_yearly_report_has_the_money_chart_with_its_table_on_the_web(money):
    year = money
    section = _web(year).xpath("//section[h2[@id='abschnitt-mittel']]")[0]
    assert section.findtext("h2") == f"Mittel im Jahr {year}"
    title = MONEY_TITLE.format(year=year)
    (figure,) = section.iter("figure")
    svg = figure.find("svg")
    assert svg is not None and svg.get("role") == "img"
    assert title in svg.text_content()
    assert figure.findtext("figcaption") == title
    totals, chart_table = section.iter("table")
    assert _cells(totals)[1:] == [["280.000 €", "50.000 €"]]
    assert chart_table.findtext("caption").strip() == title
    assert _cells(chart_table) == [
        ["Handlungsfeld", "geplant", "ausgegeben", "Anteil"],
        ["Mobilität", "200.000 €", "50.000 €", format_percent(0.25)],
        ["Energie", "80.000 €", "0 €", format_percent(0)],
    ]
    assert "bei 1 Projekt sind sie nicht veröffentlicht" in section.text_content()
    # The chart of the public monitor is unchanged: all years, without a year in the title.
    page = Client().get(reverse("monitoring:progress_overview")).content.decode()
    assert "Ausgegebener Anteil der geplanten Mittel je Handlungsfeld" in page


def test_a_year_without_planned_money_has_no_money_chart(money):
    section = _web(money - 5).xpath("//section[h2[@id='abschnitt-mittel']]")[0]
    assert not list(section.iter("figure"))
    (totals,) = section.iter("table")
    assert _cells(totals)[1:] == [["0 €", "0 €"]]


def test_the_money_chart_is_a_tagged_figure_in_the_pdf_and_its_table_in_the_docx(money, editor):
    year = money
    services.yearly_report_generate(actor=editor, year=year)
    files = _files(f"monitoring-report:{year}")
    found = structure(file_path(files["pdf"]).read_bytes())
    assert found.tags["/Figure"] == 2 and found.figures_without_alt == 0  # stages, money
    assert found.untagged_text_pages == []
    assert f"Mittel im Jahr {year}" in found.bookmarks
    text = found.text.replace("\n", " ")
    assert MONEY_TITLE.format(year=year) in text and "80.000 €" in text
    word = docx.Document(str(file_path(files["docx"])))
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert MONEY_TITLE.format(year=year) in captions
    (table,) = [t for t in word.tables if t.rows[0].cells[-1].text == "Anteil"]
    assert [c.text for c in table.rows[1].cells] == [
        "Mobilität",
        "200.000 €",
        "50.000 €",
        format_percent(0.25),
    ]


def test_the_redaktion_writes_foreword_and_outlook_and_the_files_carry_them(client, data, editor):
    from leitbild.core.audit import AuditEntry
    from leitbild.monitoring.progress_audit import ProgressAction

    year = timezone.localdate().year
    client.force_login(editor)
    index = client.get(reverse("monitoring:report_staff_index")).content.decode()
    url = reverse("monitoring:report_staff_yearly_texts", args=[year])
    assert url in index
    response = client.post(
        url,
        {
            "vorwort": "Liebe Musterstädterinnen und Musterstädter,\n\nein Jahr Umsetzung.",
            "ausblick": "Im nächsten Jahr folgt der Regelbetrieb.",
        },
    )
    assert response.status_code == 302
    assert client.get(url).content.decode().count("ein Jahr Umsetzung.") == 1  # kept
    services.yearly_report_generate(actor=editor, year=year)
    files = _files(f"monitoring-report:{year}")
    found = structure(file_path(files["pdf"]).read_bytes())
    marks = list(found.bookmarks)
    assert marks.index("Vorwort") < marks.index("Zusammenfassung")
    assert "Fazit und Ausblick" in marks
    assert "ein Jahr Umsetzung." in found.text.replace("\n", " ")
    headings = _headings(files["docx"])
    assert headings.index("Vorwort") < headings.index("Zusammenfassung")
    assert headings[-1] == "Fazit und Ausblick"
    entry = AuditEntry.objects.get(action=ProgressAction.REPORT_TEXTS)
    assert entry.after["ausblick"] == "Im nächsten Jahr folgt der Regelbetrieb."


def test_empty_texts_leave_the_chapters_out_and_bad_input_is_refused(client, data, editor):
    year = timezone.localdate().year
    document = reports.yearly_report(year)
    keys = [s.key for s in document.sections]
    assert "vorwort" not in keys and "ausblick" not in keys
    client.force_login(editor)
    url = reverse("monitoring:report_staff_yearly_texts", args=[year])
    response = client.post(url, {"vorwort": "x" * 20_001, "ausblick": "Bleibt stehen."})
    assert response.status_code == 200
    assert "Bleibt stehen." in response.content.decode()
    assert reports.report_texts(year) == {"vorwort": "", "ausblick": ""}
    too_early = reverse("monitoring:report_staff_yearly_texts", args=[1999])
    assert client.get(too_early).status_code == 404
