"""Nothing a visitor sends to the ballot or survey pages produces a server error."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

texts = st.text(max_size=30) | st.sampled_from(
    ["", "1", "-1", "0", "3", "99999999999999", "ja", "nein", "app", "1e5", "\x00", "NaN"]
)
form = st.dictionaries(
    st.sampled_from(
        [
            "auswahl",
            "code",
            "aktion",
            "angabe_alter",
            "frage_1",
            "frage_2",
            "frage_3",
            "frage_4",
            "frage_5",
            "punkte_1",
            "platz_1",
            "bewertung_1",
            "email",
            "x",
        ]
    ),
    st.lists(texts, max_size=4) | texts,
    max_size=8,
)
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("method", ["pick", "points", "rank", "rate"])
def test_posting_anything_to_a_ballot_never_fails(make_weighting, demographics, method):
    weighting = make_weighting(method, mode="codes", pick_k=2)
    demographics(weighting.phase)
    url = reverse("consultation:ballot", args=[weighting.phase_id])

    @SETTINGS
    @given(data=form)
    def run(data):
        response = Client().post(url, data)
        assert response.status_code < 500

    run()


def test_posting_anything_to_a_survey_never_fails(make_survey, demographics):
    survey = make_survey()
    demographics(survey.phase)
    client = Client()
    client.post(reverse("consultation:survey", args=[survey.phase_id]))

    @SETTINGS
    @given(data=form, index=st.integers(min_value=-1, max_value=4))
    def run(data, index):
        url = reverse("consultation:survey_section", args=[survey.phase_id, max(index, 0)])
        assert client.post(url, data).status_code < 500
        assert (
            Client().post(reverse("consultation:survey", args=[survey.phase_id]), data).status_code
            < 500
        )

    run()


def test_the_api_and_results_never_fail_on_odd_parameters(client, make_weighting):
    weighting = make_weighting("pick", pick_k=2)
    base = f"/api/v1/processes/{weighting.phase.process_id}"

    @SETTINGS
    @given(by=st.text(max_size=50), weighted=st.text(max_size=5))
    def run(by, weighted):
        for url in (f"{base}/weighting/results", f"{base}/survey/results"):
            assert client.get(url, {"by": by, "weighted": weighted}).status_code < 500
        page = reverse("consultation:weighting_results", args=[weighting.phase_id])
        assert client.get(page, {"nach": by, "gewichtet": weighted}).status_code < 500

    run()
