from decimal import Decimal

import pytest
from django.urls import reverse

from leitbild.core.roles import Role
from leitbild.portfolio import services
from leitbild.portfolio.models import Programme, Project, Stage


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_staff_pages_are_for_the_strategie_redaktion(client, make_user, project):
    client.force_login(make_user("moderation@stadt.example", roles=[Role.MODERATOR]))
    assert client.get(reverse("portfolio:staff_index")).status_code == 403


def test_creating_a_project_from_two_ideas_with_goals(
    editor_client, strategy, goals, unit, make_idea
):
    first, second = make_idea("Parksensoren"), make_idea("Freie Plätze in der App")
    url = reverse("portfolio:staff_project_create", args=[strategy.slug])
    url += f"?idee={first.pk}&idee={second.pk}"
    page = editor_client.get(url)
    assert page.status_code == 200
    assert "Parksensoren" in page.content.decode()
    response = editor_client.post(
        url,
        {
            "title": "Digitales Parkraummanagement",
            "summary": "Sensoren zeigen freie Plätze.",
            "lead_unit": unit.pk,
            "starts_on": "2025-01-01",
            "duration_months": "36",
            f"goal_{goals[0].pk}": "stark",
            f"goal_{goals[2].pk}": "gering",
            "ideas": [first.pk, second.pk],
            "is_public": "on",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portfolio:staff_project", args=[project.pk])
    assert {link.goal_id: link.strength for link in project.goal_links.all()} == {
        goals[0].pk: "stark",
        goals[2].pk: "gering",
    }
    assert set(project.ideas.all()) == {first, second}


def test_a_refused_dependency_keeps_the_input_and_shows_the_error_at_the_field(
    editor_client, make_project
):
    a = make_project("A")
    b = make_project("B", depends_on=[a])
    response = editor_client.post(
        reverse("portfolio:staff_project_edit", args=[a.pk]),
        {"title": "A geändert", "summary": "Neue Kurzbeschreibung", "depends_on": [b.pk]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "A geändert" in html and "Neue Kurzbeschreibung" in html
    assert 'id="id_depends_on_error"' in html and "Kreis" in html
    assert Project.objects.get(pk=a.pk).title == "A"


def test_cost_plan_errors_stand_in_their_row_and_nothing_is_saved(editor_client, project):
    url = reverse("portfolio:staff_costs", args=[project.pk])
    assert editor_client.get(url).status_code == 200
    data = {
        "costs-TOTAL_FORMS": "3",
        "costs-INITIAL_FORMS": "0",
        "costs-0-year": "2025",
        "costs-0-cost_type": "investition",
        "costs-0-amount": "1000",
        "costs-1-year": "2035",
        "costs-1-cost_type": "personal",
        "costs-1-amount": "500",
        "costs-2-year": "2026",
        "costs-2-cost_type": "betrieb",
        "costs-2-amount": "-5",
        "third-TOTAL_FORMS": "1",
        "third-INITIAL_FORMS": "0",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_costs-1-year_error"' in html and "2025 und 2029" in html
    assert 'id="id_costs-2-amount_error"' in html and "negativ" in html
    assert 'value="2035"' in html and 'value="-5"' in html  # input kept
    assert not project.costs.exists()
    data.update({"costs-1-year": "2026", "costs-2-amount": "5"})
    assert editor_client.post(url, data).status_code == 302
    assert project.costs.count() == 3


def test_a_stage_change_without_reason_is_refused(editor_client, project):
    url = reverse("portfolio:staff_stage", args=[project.pk])
    response = editor_client.post(url, {"stage": Stage.PRIORITISED, "reason": ""})
    assert response.status_code == 400
    response = editor_client.post(url, {"stage": Stage.PRIORITISED, "reason": "Beschluss"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.PRIORITISED


def test_a_rate_above_100_is_refused_next_to_the_field(editor_client):
    response = editor_client.post(
        reverse("portfolio:staff_programme_create"),
        {
            "name": "Landesprogramm",
            "short_name": "LP",
            "level": "land",
            "rate": "120",
            "phases": "Phase 1 | 1.000.000,00 | Hinweis",
            "criteria": "A\nB",
        },
    )
    assert response.status_code == 400
    assert 'id="id_rate_error"' in response.content.decode()
    assert not Programme.objects.exists()
    response = editor_client.post(
        reverse("portfolio:staff_programme_create"),
        {
            "name": "Landesprogramm",
            "short_name": "LP",
            "level": "land",
            "rate": "50",
            "eligible_cost_types": ["investition"],
            "phases": "Phase 1 | 1.000.000,00 | Hinweis",
            "criteria": "A\nB",
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get()
    assert programme.phases.get().cap == Decimal("1000000.00")
    assert list(programme.criteria.values_list("title", flat=True)) == ["A", "B"]


def test_deleting_a_programme_in_use_shows_the_projects(editor_client, project, mpsc):
    services.assessment_save(
        actor=None, project=project, programme=mpsc, potential="hoch", scores=[]
    )
    response = editor_client.post(
        reverse("portfolio:staff_programme_delete", args=[mpsc.pk]), follow=True
    )
    assert "Digitale Parkraumsteuerung" in response.content.decode()
    assert Programme.objects.filter(pk=mpsc.pk).exists()


def test_assessing_a_project_and_seeing_the_financing_plan_warning(editor_client, project, mpsc):
    services.cost_plan_set(
        actor=None,
        project=project,
        costs=[services.CostRow(2025, "investition", Decimal("1000000"))],
    )
    url = reverse("portfolio:staff_assessment", args=[project.pk, mpsc.pk])
    criteria = list(mpsc.criteria.all())
    data = {"potential": "hoch", "phase": mpsc.phases.first().pk, "applied": "on"}
    for c in criteria:
        data[f"score_{c.pk}"] = "3"
        data[f"why_{c.pk}"] = "passt"
    assert editor_client.post(url, data).status_code == 302
    assert (
        editor_client.post(reverse("portfolio:staff_budget"), {"year_2025": "100000"}).status_code
        == 302
    )
    html = editor_client.get(reverse("portfolio:staff_financing")).content.decode()
    assert "Der Eigenanteil 2025 (350.000 €) übersteigt die Haushaltsmittel von 100.000 €." in html
    assert "<svg" in html and "<table" in html


def test_linking_from_the_moderation_side(client, make_user, project, make_idea):
    editor_client = client
    client.force_login(make_user("beides@stadt.example", roles=[Role.MODERATOR, Role.EDITOR]))
    idea = make_idea()
    page = editor_client.get(reverse("participation:staff_idea", args=[idea.pk]))
    assert reverse("portfolio:staff_idea_link", args=[idea.pk]) in page.content.decode()
    response = editor_client.post(
        reverse("portfolio:staff_idea_link", args=[idea.pk]), {"project": project.pk}
    )
    assert response.status_code == 302
    assert list(project.ideas.all()) == [idea]


def test_searching_and_picking_ideas_from_the_project_side(editor_client, project, make_idea):
    idea = make_idea("Sensoren im Parkhaus")
    make_idea("Etwas ganz anderes")
    url = reverse("portfolio:staff_project_ideas", args=[project.pk])
    html = editor_client.get(url, {"q": "Parkhaus"}).content.decode()
    assert "Sensoren im Parkhaus" in html and "Etwas ganz anderes" not in html
    assert editor_client.post(url, {"ideas": [idea.pk]}).status_code == 302
    assert list(project.ideas.all()) == [idea]


def test_the_project_list_has_a_constant_number_of_queries(
    editor_client, make_project, django_assert_max_num_queries
):
    for n in range(3):
        make_project(f"Projekt {n}")
    with django_assert_max_num_queries(12) as few:
        editor_client.get(reverse("portfolio:staff_index"))
    for n in range(3, 12):
        make_project(f"Projekt {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        editor_client.get(reverse("portfolio:staff_index"))
