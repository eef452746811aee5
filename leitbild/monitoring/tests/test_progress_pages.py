"""The staff pages of project progress and the public Umsetzungsmonitor."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from leitbild.core.roles import Role
from leitbild.monitoring import progress_services as services
from leitbild.monitoring.progress_models import Milestone, ProgressUpdate, Spending
from leitbild.portfolio.models import Stage

from .progress_fixtures import *  # noqa: F403 (fixtures)

DAY = datetime.timedelta(days=1)


def _today():
    return timezone.localdate()


def _report(project, **values):
    data = {"date": _today(), "percent": 40, "status": "plan", "text": "Es läuft."}
    data.update(values)
    return services.progress_update_create(actor=None, project=project, **data)


# --- Who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ASSESSOR, Role.COUNCIL_OFFICE])
def test_other_roles_may_not_report_progress(client, make_user, project, role):
    client.force_login(make_user(f"{role}@stadt.example", roles=[role]))
    for name in ("progress_staff_update_create", "progress_staff_milestones"):
        url = reverse(f"monitoring:{name}", args=[project.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"text": "x"}).status_code == 403
    assert client.get(reverse("monitoring:progress_staff_index")).status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_login(client, project):
    response = client.get(reverse("monitoring:progress_staff_project", args=[project.pk]))
    assert response.status_code == 302 and "/anmelden/" in response["Location"]


# --- Staff pages -----------------------------------------------------------------------------


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "Kamera mit Ortsangabe"
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


def test_staff_write_a_report_with_a_photo_without_metadata(client, editor, project):
    client.force_login(editor)
    url = reverse("monitoring:progress_staff_update_create", args=[project.pk])
    response = client.post(
        url,
        {
            "date": _today().isoformat(),
            "percent": "55",
            "status": "plan",
            "text": "Pilot im Stadtteil Nord läuft.",
            "photo": _png(),
            "photo_description": "Sensor an einer Laterne",
        },
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert (update.percent, update.author) == (55, editor)
    with Image.open(update.photo.path) as stored:
        assert stored.format == "JPEG" and not stored.getexif()


def test_an_invalid_report_comes_back_with_the_error_next_to_the_field(client, editor, project):
    client.force_login(editor)
    url = reverse("monitoring:progress_staff_update_create", args=[project.pk])
    data = {"date": (_today() + DAY).isoformat(), "percent": "140", "status": "plan", "text": "T"}
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_date_error"' in html and "nicht in der Zukunft" in html
    assert 'id="id_percent_error"' in html and "zwischen 0 und 100 Prozent" in html
    assert 'value="140"' in html
    assert not ProgressUpdate.objects.exists()


def test_staff_edit_milestones_and_a_bad_row_keeps_the_input(client, editor, project):
    client.force_login(editor)
    url = reverse("monitoring:progress_staff_milestones", args=[project.pk])
    start = project.starts_on
    data = {
        "milestones-TOTAL_FORMS": "3",
        "milestones-INITIAL_FORMS": "0",
        "milestones-0-title": "Ausschreibung",
        "milestones-0-planned_on": (start + 10 * DAY).isoformat(),
        "milestones-0-actual_on": "",
        "milestones-1-title": "",
        "milestones-2-title": "Pilot",
        "milestones-2-planned_on": (start + 20 * DAY).isoformat(),
        "milestones-2-actual_on": (start - DAY).isoformat(),
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_milestones-2-actual_on_error"' in html
    assert "vor dem Projektbeginn" in html and 'value="Pilot"' in html
    assert not Milestone.objects.exists()
    data["milestones-2-actual_on"] = (start + 21 * DAY).isoformat()
    assert client.post(url, data).status_code == 302
    assert list(Milestone.objects.values_list("title", flat=True)) == ["Ausschreibung", "Pilot"]
    page = client.get(reverse("monitoring:progress_staff_project", args=[project.pk]))
    assert "überfällig" in page.content.decode()  # Ausschreibung: planned, passed, not reached


def test_staff_enter_spending_next_to_the_cost_plan(client, editor, project):
    client.force_login(editor)
    url = reverse("monitoring:progress_staff_spending", args=[project.pk])
    year = _today().year
    html = client.get(url).content.decode()
    assert "Kostenplan: 200.000 €" in html
    response = client.post(url, {f"year_{year}": "-5"})
    assert response.status_code == 200 and "nicht negativ" in response.content.decode()
    assert client.post(url, {f"year_{year}": "150000"}).status_code == 302
    assert Spending.objects.get().amount == Decimal("150000")


def test_the_dashboard_shows_late_milestones_and_silent_projects(client, editor, make_project):
    late = make_project("Verspätetes Projekt")
    services.milestones_set(
        actor=None,
        project=late,
        rows=[services.MilestoneRow("Pilot gestartet", _today() - 3 * DAY)],
    )
    _report(late)
    silent = make_project("Stilles Projekt")
    _report(silent, date=_today() - 100 * DAY)
    client.force_login(editor)
    html = client.get(reverse("monitoring:progress_staff_index")).content.decode()
    late_part = html[html.index('id="verspaetet"') : html.index('id="ohne-bericht"')]
    assert "Pilot gestartet" in late_part and "Verspätetes Projekt" in late_part
    silent_part = html[html.index('id="ohne-bericht"') :]
    assert "Stilles Projekt" in silent_part.split("<table")[0]
    assert "Verspätetes Projekt" not in silent_part.split("<table")[0]
    home = client.get(reverse("core:staff_home")).content.decode()
    assert "Meilenstein überfällig" in home and "ohne Fortschrittsbericht seit 90 Tagen" in home


# --- Public pages ----------------------------------------------------------------------------


def test_only_public_projects_in_prioritised_implementing_or_completed_are_shown(
    client, make_project
):
    shown = make_project("Sichtbar")
    hidden = make_project("Unveröffentlicht", is_public=False)
    pool = make_project("Im Pool", stage=Stage.QUALIFYING)
    html = client.get(reverse("monitoring:progress_overview")).content.decode()
    assert "Sichtbar" in html and "Unveröffentlicht" not in html and "Im Pool" not in html
    assert client.get(reverse("monitoring:progress_project", args=[shown.pk])).status_code == 200
    for other in (hidden, pool):
        url = reverse("monitoring:progress_project", args=[other.pk])
        assert client.get(url).status_code == 404


def test_the_project_page_shows_bar_milestones_reports_and_money(client, project):
    services.milestones_set(
        actor=None, project=project, rows=[services.MilestoneRow("Pilot", _today() - DAY)]
    )
    services.spending_set(actor=None, project=project, years={_today().year: Decimal("1234")})
    _report(project, percent=62, text="<script>alert(1)</script> Gut voran.")
    html = client.get(reverse("monitoring:progress_project", args=[project.pk])).content.decode()
    assert '<progress id="fortschritt-projekt" max="100" value="62">' in html
    assert "62 Prozent fertig, im Plan" in html
    assert "überfällig" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Gut voran." in html
    assert "<script>alert(1)" not in html
    assert "1.234" in html and "200.000" in html


def test_money_is_hidden_when_the_costs_are_not_public(client, make_project):
    secret = make_project("Kosten geheim", costs_public=False, costs=[(_today().year, "777000")])
    html = client.get(reverse("monitoring:progress_project", args=[secret.pk])).content.decode()
    assert "777.000" not in html and "Geplante und ausgegebene Mittel" not in html
    overview = client.get(reverse("monitoring:progress_overview")).content.decode()
    assert "777.000" not in overview
    assert "bei 1 Projekt sind sie nicht veröffentlicht" in overview


def test_the_overview_counts_by_field_and_stage_with_charts_and_tables(client, make_project):
    year = _today().year
    make_project("A", costs=[(year, "100000")])
    make_project("B", stage=Stage.PRIORITISED, costs=[(year, "50000")])
    done = make_project("C", stage=Stage.COMPLETED, goal=1, costs=[(year, "10000")])
    services.spending_set(actor=None, project=done, years={year: Decimal("10000")})
    response = client.get(reverse("monitoring:progress_overview"))
    overview = response.context["overview"]
    counts = {row.label: list(row.counts.values()) for row in overview.fields}
    assert counts == {"Mobilität": [1, 1, 0], "Energie": [0, 0, 1]}
    assert overview.totals.planned == Decimal("160000")
    html = response.content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert "Ausgegebener Anteil der geplanten Mittel je Handlungsfeld" in html
    assert "100,0" in html  # Energie spent all of its plan (the chart's table)


def _grow(make_project, n: int, offset: int) -> None:
    for i in range(n):
        p = make_project(f"Projekt {offset + i}", goal=i % 2, costs=[(_today().year, "1000")])
        services.milestones_set(
            actor=None, project=p, rows=[services.MilestoneRow("M", _today() - DAY)]
        )
        _report(p)
        _report(p, date=_today() - DAY)
        services.spending_set(actor=None, project=p, years={_today().year: Decimal("10")})


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_public_pages_make_as_many_queries_for_many_projects_as_for_few(client, make_project):
    _grow(make_project, 2, 0)
    first = ProgressUpdate.objects.order_by("pk").first().project_id
    urls = [
        reverse("monitoring:progress_overview"),
        reverse("monitoring:progress_project", args=[first]),
        reverse("monitoring:progress_feed"),
        reverse("monitoring:progress_project_feed", args=[first]),
    ]
    client.get(urls[0])  # fills what the base layout caches (e.g. the site's settings)
    few = [_queries(client, url) for url in urls]
    _grow(make_project, 12, 10)
    many = [_queries(client, url) for url in urls]
    assert few == many
    assert max(many) <= 6
