import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from leitbild.portfolio import services
from leitbild.portfolio.models import Stage


def test_the_api_lists_public_projects_with_filters(client, make_project, goals):
    make_project("Öffentlich", is_public=True)
    make_project("Energie", is_public=True, goals=[services.GoalLink(goals[2], "stark")])
    make_project("Intern")
    data = client.get("/api/v1/projects").json()
    assert data["count"] == 2
    assert {p["title"] for p in data["items"]} == {"Öffentlich", "Energie"}
    field = goals[2].field_id
    data = client.get(f"/api/v1/projects?field={field}").json()
    assert [p["title"] for p in data["items"]] == ["Energie"]
    assert client.get(f"/api/v1/projects?goal={goals[0].pk}").json()["count"] == 1
    assert client.get("/api/v1/projects?stage=umsetzung").json()["count"] == 0


def test_the_api_list_runs_the_same_queries_for_3_and_30_projects(
    client, make_project, django_assert_num_queries
):
    # Projects without ideas too: their idea count is the annotated 0, not one query each.
    def queries_for_list() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/projects").status_code == 200
        return len(captured)

    for n in range(3):
        make_project(f"Projekt {n}", is_public=True)
    few = queries_for_list()
    for n in range(3, 30):
        make_project(f"Projekt {n}", is_public=True)
    with django_assert_num_queries(few):
        assert client.get("/api/v1/projects").json()["count"] == 30


def test_the_api_detail_has_public_fields_only(client, make_project):
    project = make_project(is_public=True)
    services.cost_plan_set(
        actor=None, project=project, costs=[services.CostRow(2025, "investition", Decimal("1000"))]
    )
    data = client.get(f"/api/v1/projects/{project.pk}").json()
    assert data["finance"] is None
    assert "risks" not in data and "stage_changes" not in data
    project.costs_public = True
    project.save()
    assert client.get(f"/api/v1/projects/{project.pk}").json()["finance"]["total"] == "1000.00"
    intern = make_project("Intern")
    assert client.get(f"/api/v1/projects/{intern.pk}").status_code == 404


def test_the_financing_xlsx_has_numbers_and_formula_sums(admin_client, make_project, mpsc):
    first = make_project("Erstes")
    second = make_project("Zweites")
    services.cost_plan_set(
        actor=None,
        project=first,
        costs=[
            services.CostRow(2025, "investition", Decimal("100000")),
            services.CostRow(2026, "betrieb", Decimal("20000")),
        ],
    )
    services.cost_plan_set(
        actor=None, project=second, costs=[services.CostRow(2026, "personal", Decimal("50000"))]
    )
    services.assessment_save(
        actor=None, project=first, programme=mpsc, potential="hoch", scores=[], applied=True
    )
    response = admin_client.get(reverse("portfolio:staff_financing_xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Nach Quelle",
        "Nach Handlungsfeld",
        "Projekte",
        "Eigenanteil und Haushalt",
    ]
    sheet = book["Nach Quelle"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Quelle", "2025", "2026", "Gesamt")
    assert rows[1][:3] == ("MPSC", 65000, 0)
    assert rows[1][3] == "=SUM(B2:C2)"
    assert rows[-1][0] == "Summe" and rows[-1][1] == "=SUM(B2:B4)"
    # Evaluate the formulas the way a spreadsheet would: the sums match the plan.
    values = {r[0]: r[1:3] for r in rows[1:-1]}
    assert sum(v[0] for v in values.values()) == 100000  # 2025: all costs
    assert sum(v[1] for v in values.values()) == 70000  # 2026
    assert isinstance(rows[1][1], (int, float))


def test_the_portfolio_export_has_no_personal_data(admin_client, make_project, make_idea):
    idea = make_idea(email="anna@example.org")
    project = make_project(ideas=[idea])
    services.project_stage_set(actor=None, project=project, stage=Stage.PRIORITISED, reason="x")
    for fmt in ("csv", "xlsx"):
        response = admin_client.get(reverse("portfolio:staff_export", args=[fmt]))
        assert response.status_code == 200
        assert b"anna@example.org" not in response.content
    text = admin_client.get(reverse("portfolio:staff_export", args=["csv"])).content.decode()
    assert "Digitale Parkraumsteuerung" in text and "MOB-1" in text
