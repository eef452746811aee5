from decimal import Decimal

import pytest
from django.urls import reverse

from leitbild.portfolio import services
from leitbild.portfolio.models import Stage
from leitbild.strategy import services as strategy_services


@pytest.fixture
def published(make_project, make_idea):
    idea = make_idea("Freie Parkplätze <b>anzeigen</b>")
    project = make_project(is_public=True, ideas=[idea])
    services.project_stage_set(
        actor=None, project=project, stage=Stage.PRIORITISED, reason="Beschluss"
    )
    services.cost_plan_set(
        actor=None,
        project=project,
        costs=[services.CostRow(2025, "investition", Decimal("123456"))],
    )
    return project, idea


def test_the_umsetzungskonzept_lists_prioritised_public_projects(client, published, make_project):
    make_project("Geheimes Projekt")
    html = client.get(reverse("portfolio:overview")).content.decode()
    assert "Digitale Parkraumsteuerung" in html
    assert "geht auf 1 Idee aus der Beteiligung zurück" in html
    assert "Geheimes Projekt" not in html


def test_the_project_page_shows_ideas_as_text_and_costs_only_when_published(client, published):
    project, idea = published
    url = reverse("portfolio:project_detail", args=[project.pk])
    html = client.get(url).content.decode()
    assert "Freie Parkplätze &lt;b&gt;anzeigen&lt;/b&gt;" in html
    assert "123.456" not in html
    project.costs_public = True
    project.save()
    assert "123.456" in client.get(url).content.decode()


def test_an_unpublished_project_is_not_found(client, project):
    assert client.get(reverse("portfolio:project_detail", args=[project.pk])).status_code == 404


def test_the_idea_page_says_where_the_idea_went(client, published):
    project, idea = published
    html = client.get(
        reverse("participation:idea_detail", args=[idea.process.slug, idea.pk])
    ).content.decode()
    assert "Diese Idee ist in die Maßnahme" in html
    assert reverse("portfolio:project_detail", args=[project.pk]) in html


def test_the_field_page_lists_the_projects_of_its_goals(client, published, strategy, goals):
    version = strategy_services.draft_freeze(actor=None, strategy=strategy)
    strategy_services.version_set_status(actor=None, version=version, status="consultation")
    html = client.get(reverse("strategy:field_detail", args=["MOB"])).content.decode()
    assert "Projekte zu diesem Ziel" in html and "Digitale Parkraumsteuerung" in html


def test_pool_by_field_and_map_pages(client, published, make_project):
    make_project("Noch eine Idee", is_public=True, lat=Decimal("52.43"), lon=Decimal("10.79"))
    assert "Noch eine Idee" in client.get(reverse("portfolio:pool")).content.decode()
    assert "Mobilität" in client.get(reverse("portfolio:by_field")).content.decode()
    assert "Noch eine Idee" in client.get(reverse("portfolio:map")).content.decode()


def test_public_lists_have_a_constant_number_of_queries(
    client, make_project, django_assert_max_num_queries
):
    for n in range(3):
        make_project(f"Projekt {n}", is_public=True)
    counts = {}
    for name in ("overview", "pool", "by_field"):
        with django_assert_max_num_queries(15) as few:
            client.get(reverse(f"portfolio:{name}"))
        counts[name] = len(few.captured_queries)
    for n in range(3, 10):
        make_project(f"Projekt {n}", is_public=True)
    for name, count in counts.items():
        with django_assert_max_num_queries(count):
            client.get(reverse(f"portfolio:{name}"))
