"""Results pages run a constant number of queries, whatever the number of ballots."""

import pytest
from django.urls import reverse

from .conftest import close


@pytest.mark.parametrize("ballots", [6, 60])
def test_the_weighting_results_page_has_a_constant_number_of_queries(
    client, make_weighting, fields, cast, demographics, ballots, django_assert_max_num_queries
):
    weighting = make_weighting("pick", pick_k=2)
    question = demographics(weighting.phase)
    from leitbild.consultation import services

    for i in range(ballots):
        cast(weighting, [fields[i % 4].pk], {"alter": ["jung", "mittel", "alt"][i % 3]})
    services.population_target_save(
        actor=None,
        phase=weighting.phase,
        question=question,
        second_question=None,
        shares={"jung": 0.3, "mittel": 0.4, "alt": 0.3},
    )
    close(weighting.phase)
    url = reverse("consultation:weighting_results", args=[weighting.phase_id])
    with django_assert_max_num_queries(10):
        assert client.get(url + "?gewichtet=1&nach=alter").status_code == 200


@pytest.mark.parametrize("responses", [6, 60])
def test_the_survey_results_page_has_a_constant_number_of_queries(
    client, make_survey, responses, django_assert_max_num_queries
):
    from leitbild.consultation.models import SurveyResponse

    survey = make_survey()
    first = survey.sections.first().questions.first()
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                survey=survey, submitted=True, answers={str(first.pk): ["ja", "nein"][i % 2]}
            )
            for i in range(responses)
        ]
    )
    close(survey.phase)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("consultation:survey_results", args=[survey.phase_id]))
    assert response.status_code == 200


def test_the_api_results_have_a_constant_number_of_queries(
    client, make_weighting, fields, cast, django_assert_max_num_queries
):
    weighting = make_weighting("points")
    for i in range(30):
        cast(weighting, {fields[i % 4].pk: 100})
    close(weighting.phase)
    with django_assert_max_num_queries(8):
        assert (
            client.get(
                f"/api/v1/processes/{weighting.phase.process_id}/weighting/results"
            ).status_code
            == 200
        )
