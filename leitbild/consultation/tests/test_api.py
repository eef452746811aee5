"""The open-data API of weighting and surveys."""

import pytest

from .conftest import close


@pytest.fixture
def published(make_weighting, fields, cast, demographics):
    weighting = make_weighting("rate")
    question = demographics(weighting.phase)
    for i in range(10):
        cast(
            weighting,
            {f.pk: 1 + (i + j) % 5 for j, f in enumerate(fields)},
            {"alter": ["jung", "mittel", "alt"][i % 2]},
        )
    from leitbild.consultation import services

    services.population_target_save(
        actor=None,
        phase=weighting.phase,
        question=question,
        second_question=None,
        shares={"jung": 0.3, "mittel": 0.4, "alt": 0.3},
    )
    close(weighting.phase)
    return weighting


def test_processes_lists_phases_with_their_mode(client, published):
    data = client.get("/api/v1/processes").json()
    process = data["items"][0]
    phase = process["phases"][0]
    assert phase["kind"] == "weighting" and phase["participation_mode"] == "open"
    assert phase["results_public"] is True
    assert phase["results_url"].endswith("/ergebnisse/")


def test_weighting_results_have_estimates_with_intervals(client, published, fields):
    data = client.get(f"/api/v1/processes/{published.phase.process_id}/weighting/results").json()
    assert data["method"] == "rate" and data["ballots"] == 10
    assert data["representative"] is False
    first = data["fields"][0]
    assert first["name"] == fields[0].name and first["n"] == 10
    assert first["estimate"]["low"] < first["estimate"]["value"] < first["estimate"]["high"]
    assert len(first["distribution"]) == 5


def test_weighted_results_and_a_breakdown(client, published):
    url = f"/api/v1/processes/{published.phase.process_id}/weighting/results"
    # "mittel" has no ballots but a target share: raking cannot work, and says so.
    data = client.get(url + "?weighted=true&by=alter").json()
    assert data["weighted"] is False and data["weighting_error"]
    assert [g["label"] for g in data["groups"]] == ["jung", "mittel", "alt"]
    assert client.get(url + "?by=unbekannt").status_code == 400


def test_unknown_process_answers_404_json(client, db):
    response = client.get("/api/v1/processes/999/weighting/results")
    assert response.status_code == 404 and "detail" in response.json()


def test_survey_results_never_contain_free_text(client, make_survey):
    from leitbild.consultation.models import SurveyResponse

    survey = make_survey(open_now=True)
    text = next(q for q in survey.sections.last().questions.all() if q.kind == "text")
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(survey=survey, submitted=True, answers={str(text.pk): "Geheimer Wunsch"})
            for _ in range(6)
        ]
    )
    close(survey.phase)
    response = client.get(f"/api/v1/processes/{survey.phase.process_id}/survey/results")
    assert response.status_code == 200
    assert "Geheimer Wunsch" not in response.content.decode()
    assert {q["kind"] for q in response.json()["questions"]} == {
        "single",
        "likert",
        "multiple",
        "number",
    }
