"""The ranking, portfolio, decision and publication pages, the public section, the API and
the XLSX of a round."""

import io

import pytest
from openpyxl import load_workbook

from leitbild.core.roles import Role
from leitbild.portfolio import ranking
from leitbild.portfolio.models import RoundDecision, RoundExclusion

from .ranking_fixtures import make_round


@pytest.fixture
def known_round(strategy, make_project, make_user):
    return make_round(strategy=strategy, make_project=make_project, make_user=make_user)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _url(round, name: str) -> str:
    from django.urls import reverse

    return reverse(f"portfolio:staff_round_{name}", args=[round.pk])


def _published(round, projects, editor):
    round = ranking.ranking_run(actor=None, round=round)
    round = ranking.portfolio_run(actor=None, round=round)
    round = ranking.robust_run(actor=None, round=round, draws=30)
    ranking.decisions_set(
        actor=None,
        round=round,
        rows=[
            ranking.DecisionRow(p, t != "Papierakte", "Vom Lenkungskreis beschlossen.")
            for t, p in projects.items()
        ],
    )
    return ranking.round_publish(actor=editor, round=round)


def test_the_ranking_page_runs_the_ranking_and_shows_chart_and_table(
    editor_client, known_round, django_assert_max_num_queries
):
    round, *_ = known_round
    html = editor_client.get(_url(round, "ranking")).content.decode()
    assert "noch nicht berechnet" in html
    response = editor_client.post(_url(round, "ranking"))
    assert response.status_code == 302
    with django_assert_max_num_queries(20):
        response = editor_client.get(_url(round, "ranking"))
    html = response.content.decode()
    assert 'role="img"' in html and "<title" in html and "<desc" in html
    assert "Rangwahrscheinlichkeiten der Projekte" in html
    assert "Rang 2 bis 3" in html
    assert "nicht robust" in html
    assert "Urbane Datenplattform" in html


def test_the_ranking_page_says_when_the_ranking_is_stale(editor_client, known_round):
    from leitbild.portfolio.models import Score

    round, projects, _criteria, assessors = known_round
    ranking.ranking_run(actor=None, round=round)
    Score.objects.filter(project=projects["Papierakte"], assessor=assessors[0]).update(value=4)
    html = editor_client.get(_url(round, "ranking")).content.decode()
    assert "Veraltet" in html


def test_an_empty_round_shows_a_message_not_an_error(editor_client, known_round):
    from leitbild.portfolio.models import Score

    round, *_ = known_round
    Score.objects.all().delete()
    response = editor_client.post(_url(round, "ranking"), follow=True)
    assert response.status_code == 200
    assert "noch keine Bewertungen" in response.content.decode()


def test_what_if_works_with_htmx_and_without(editor_client, known_round):
    round, _projects, criteria, _assessors = known_round
    ranking.ranking_run(actor=None, round=round)
    before = type(round).objects.get(pk=round.pk).results
    params = {f"w{criteria[0].pk}": "0", f"w{criteria[1].pk}": "100"}
    partial = editor_client.get(_url(round, "whatif"), params, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    html = partial.content.decode()
    assert html.lstrip().startswith('<div id="was-waere-wenn-ergebnis"')
    assert "<html" not in html and "nicht gespeichert" in html
    full = editor_client.get(_url(round, "whatif"), params)
    assert full.status_code == 200
    page = full.content.decode()
    assert "<html" in page and "nicht gespeichert" in page
    assert 'value="100"' in page  # the weights the editor typed stay in the form
    assert type(round).objects.get(pk=round.pk).results == before


def test_what_if_with_a_bad_weight_shows_the_error_next_to_the_field(editor_client, known_round):
    round, _projects, criteria, _assessors = known_round
    params = {f"w{criteria[0].pk}": "-5", f"w{criteria[1].pk}": "abc"}
    response = editor_client.get(_url(round, "whatif"), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"id_w{criteria[0].pk}_error" in html
    assert 'value="abc"' in html


def test_the_portfolio_page_shows_optimal_and_greedy_side_by_side(editor_client, known_round):
    round, *_ = known_round
    ranking.ranking_run(actor=None, round=round)
    response = editor_client.post(_url(round, "portfolio"))
    assert response.status_code == 302
    html = editor_client.get(_url(round, "portfolio")).content.decode()
    assert "Optimales Portfolio (exakt berechnet)" in html
    assert "Rangfolge von oben, bis das Geld reicht" in html
    assert "Die beiden Auswahlen unterscheiden sich" in html
    assert "1.000.000 €" in html


def test_an_infeasible_portfolio_is_explained_on_the_page(editor_client, known_round):
    round, projects, *_ = known_round
    ranking.ranking_run(actor=None, round=round)
    ranking.constraints_set(
        actor=None,
        round=round,
        mandatory={p.pk for p in projects.values()},
        exclusions=[],
        per_field_minimum=False,
    )
    editor_client.post(_url(round, "portfolio"))
    html = editor_client.get(_url(round, "portfolio")).content.decode()
    assert "Die Bedingungen lassen sich nicht erfüllen" in html
    assert "Haushaltsjahr 2026" in html


def test_constraints_are_edited_in_a_form(editor_client, known_round):
    round, projects, *_ = known_round
    app, reporter = projects["Stadt-App"], projects["Digitaler Mängelmelder"]
    assert editor_client.get(_url(round, "constraints")).status_code == 200
    response = editor_client.post(
        _url(round, "constraints"),
        {
            "mandatory": [str(app.pk)],
            "exclude_a": str(app.pk),
            "exclude_b": str(reporter.pk),
            "per_field_minimum": "on",
        },
    )
    assert response.status_code == 302
    assert RoundExclusion.objects.filter(round=round).count() == 1
    round.refresh_from_db()
    assert round.per_field_minimum is True
    same = editor_client.post(
        _url(round, "constraints"), {"exclude_a": str(app.pk), "exclude_b": str(app.pk)}
    )
    assert same.status_code == 400
    assert "nicht selbst ausschließen" in same.content.decode()


def test_the_robust_portfolio_is_started_from_the_page(editor_client, known_round):
    round, *_ = known_round
    ranking.ranking_run(actor=None, round=round)
    ranking.portfolio_run(actor=None, round=round)
    response = editor_client.post(_url(round, "robust"), {"draws": "20"})
    assert response.status_code == 302
    assert response["Location"].startswith("/verwaltung/aufgaben/")
    html = editor_client.get(_url(round, "portfolio")).content.decode()
    assert "Kern" in html and "außerhalb" in html
    bad = editor_client.post(_url(round, "robust"), {"draws": "0"})
    assert bad.status_code == 400


def test_decisions_need_a_justification_and_keep_the_input(editor_client, known_round):
    round, projects, *_ = known_round
    ranking.ranking_run(actor=None, round=round)
    data = {}
    for project in projects.values():
        data[f"p{project.pk}"] = "ja"
        data[f"j{project.pk}"] = "Passt zur Strategie."
    data[f"j{projects['Papierakte'].pk}"] = ""
    response = editor_client.post(_url(round, "decisions"), data)
    assert response.status_code == 400
    assert "Passt zur Strategie." in response.content.decode()
    assert not RoundDecision.objects.exists()
    data[f"j{projects['Papierakte'].pk}"] = "Wird nicht mehr gebraucht."
    data[f"p{projects['Papierakte'].pk}"] = "nein"
    response = editor_client.post(_url(round, "decisions"), data)
    assert response.status_code == 302
    assert RoundDecision.objects.filter(prioritised=True).count() == 3


def test_publishing_shows_the_round_on_the_public_page(client, editor, known_round):
    round, projects, *_ = known_round
    html = client.get("/umsetzung/").content.decode()
    assert "Wie die Prioritäten entstanden sind" not in html
    _published(round, projects, editor)
    html = client.get("/umsetzung/").content.decode()
    assert "Wie die Prioritäten entstanden sind" in html
    assert "Gemeinwohl" in html and "60,0" in html
    assert 'role="img"' in html
    assert "Vom Lenkungskreis beschlossen." in html
    # Individual assessors are never public.
    assert "bewertung0" not in html and "Nachvollziehbar." not in html


def test_the_publish_page_publishes(editor_client, editor, known_round):
    round, projects, *_ = known_round
    round = ranking.ranking_run(actor=None, round=round)
    round = ranking.portfolio_run(actor=None, round=round)
    ranking.decisions_set(
        actor=None,
        round=round,
        rows=[ranking.DecisionRow(p, True, "Ja.") for p in projects.values()],
    )
    assert editor_client.get(_url(round, "publish")).status_code == 200
    response = editor_client.post(_url(round, "publish"))
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.published_at is not None


def test_the_api_gives_the_published_round_and_404_before(client, editor, known_round):
    round, projects, *_ = known_round
    response = client.get("/api/v1/prioritisation")
    assert response.status_code == 404
    assert response.json()["detail"]
    _published(round, projects, editor)
    data = client.get("/api/v1/prioritisation").json()
    assert [c["key"] for c in data["criteria"]] == ["gemeinwohl", "machbarkeit"]
    assert data["criteria"][0]["weight"] == pytest.approx(0.6)
    first = data["projects"][0]
    assert first["title"] == "Urbane Datenplattform" and first["rank"] == 1
    assert first["rank_interval"] == [1, 1]
    assert first["in_portfolio"] is False
    app = next(p for p in data["projects"] if p["title"] == "Stadt-App")
    assert app["in_portfolio"] is True and app["criterion_means"]["gemeinwohl"] == 4.0
    text = str(data)
    assert "bewertung0" not in text and "stadt.example" not in text


def test_projects_that_are_not_public_stay_out_of_the_api(client, editor, known_round):
    round, projects, *_ = known_round
    _published(round, projects, editor)
    type(projects["Papierakte"]).objects.filter(pk=projects["Papierakte"].pk).update(
        is_public=False
    )
    titles = [p["title"] for p in client.get("/api/v1/prioritisation").json()["projects"]]
    assert "Papierakte" not in titles


def test_the_xlsx_of_a_round_opens_and_names_no_assessor(editor_client, editor, known_round):
    round, projects, *_ = known_round
    _published(round, projects, editor)
    response = editor_client.get(_url(round, "xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Bewertungen",
        "Aggregation",
        "Gewichte",
        "Rangfolge",
        "Portfolio",
    ]
    values = [str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert "Bewertung 1" in values and "Bewertung 3" in values
    assert not any("stadt.example" in v or "bewertung0" in v for v in values)
    ranking_sheet = workbook["Rangfolge"]
    assert ranking_sheet["B2"].value == "Urbane Datenplattform"


@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.MODERATOR, Role.COUNCIL_OFFICE])
def test_only_the_editors_see_the_ranking_pages(client, make_user, known_round, role):
    round, *_ = known_round
    client.force_login(make_user("andere@stadt.example", roles=[role]))
    for name in ("ranking", "whatif", "portfolio", "decisions", "publish", "xlsx"):
        assert client.get(_url(round, name)).status_code == 403
