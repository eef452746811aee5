"""Small groups are suppressed in pages, exports and the API; individual rows coarsened."""

import csv
import io
from collections import Counter

from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from leitbild.consultation.exports import SUPPRESSED, coarsen


def _setup(make_weighting, fields, cast, demographics, *, small: int = 2):
    weighting = make_weighting("pick", pick_k=2)
    demographics(weighting.phase)
    for i in range(12):
        cast(weighting, [fields[i % 4].pk], {"alter": "jung"})
    for _ in range(6):
        cast(weighting, [fields[1].pk], {"alter": "mittel"})
    for _ in range(small):
        cast(weighting, [fields[3].pk], {"alter": "alt"})
    weighting.results_published = True
    weighting.save()
    return weighting


def test_the_page_hides_a_small_group_and_its_complement(
    client, make_weighting, fields, cast, demographics
):
    weighting = _setup(make_weighting, fields, cast, demographics)
    url = reverse("consultation:weighting_results", args=[weighting.phase_id]) + "?nach=alter"
    body = client.get(url).content.decode()
    assert body.count("Nicht ausgewiesen") == 2  # "alt" (2) and the next smallest, "mittel"
    assert "12 Stimmzettel" in body


def test_the_api_hides_small_groups(client, make_weighting, fields, cast, demographics):
    weighting = _setup(make_weighting, fields, cast, demographics)
    data = client.get(
        f"/api/v1/processes/{weighting.phase.process_id}/weighting/results?by=alter"
    ).json()
    groups = {g["label"]: g for g in data["groups"]}
    assert groups["alt"] == {"label": "alt", "n": None, "suppressed": True, "fields": None}
    assert groups["mittel"]["suppressed"] is True
    assert groups["jung"]["n"] == 12


def test_the_exports_hide_small_groups(client, make_weighting, fields, cast, demographics):
    weighting = _setup(make_weighting, fields, cast, demographics)
    url = reverse("consultation:weighting_export", args=[weighting.phase_id, "ergebnisse", "csv"])
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig")), delimiter=";"))
    alt = [row for row in rows if row[1] == "alt"]
    assert alt == [["nach Wie alt sind Sie?", "alt", "", "", "", "", "", "", SUPPRESSED]]
    url = reverse("consultation:weighting_export", args=[weighting.phase_id, "stimmzettel", "csv"])
    rows = list(
        csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig")), delimiter=";")
    )[1:]
    ages = Counter(row[-1] for row in rows)
    assert "alt" not in ages and ages["jung"] == 12


def test_too_few_ballots_show_no_results_at_all(client, make_weighting, fields, cast):
    weighting = make_weighting("pick", pick_k=2)
    for _ in range(3):
        cast(weighting, [fields[0].pk])
    weighting.results_published = True
    weighting.save()
    body = client.get(
        reverse("consultation:weighting_results", args=[weighting.phase_id])
    ).content.decode()
    assert "weniger als 5 Stimmzettel" in body
    data = client.get(f"/api/v1/processes/{weighting.phase.process_id}/weighting/results").json()
    assert data["suppressed"] is True and data["fields"] is None
    url = reverse("consultation:weighting_export", args=[weighting.phase_id, "stimmzettel", "csv"])
    assert len(client.get(url).content.decode("utf-8-sig").strip().splitlines()) == 1


def test_survey_results_suppress_small_groups(client, make_survey):
    from leitbild.consultation import services
    from leitbild.consultation.models import SurveyResponse
    from leitbild.consultation.questionnaire import parse_options

    survey = make_survey()
    services.demographic_question_save(
        actor=None,
        phase=survey.phase,
        key="ort",
        text="Ort?",
        options=parse_options("Nord\nSüd\nWest"),
    )
    question = survey.sections.first().questions.first()
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                survey=survey,
                submitted=True,
                answers={str(question.pk): "nein"},
                demographics={"ort": place},
            )
            for place in ["nord"] * 9 + ["sud"] * 6 + ["west"] * 2
        ]
    )
    survey.results_published = True
    survey.save()
    data = client.get(f"/api/v1/processes/{survey.phase.process_id}/survey/results?by=ort").json()
    groups = {g["label"]: g for g in data["groups"]}
    assert groups["West"]["suppressed"] and groups["Süd"]["suppressed"]
    assert groups["Nord"]["n"] == 9


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c", None]),
            st.sampled_from(["x", "y", None]),
            st.sampled_from(["1", "2", "3", "4"]),
        ),
        max_size=40,
    ),
    st.integers(min_value=2, max_value=6),
)
def test_coarsened_rows_are_k_anonymous(rows, minimum):
    coarse = coarsen([list(r) for r in rows], minimum=minimum)
    classes = Counter(tuple(r) for r in coarse)
    for row, count in classes.items():
        informative = [v for v in row if v not in (None, SUPPRESSED)]
        assert count >= minimum or not informative
    for column in range(3):
        values = Counter(r[column] for r in coarse if r[column] not in (None, SUPPRESSED))
        assert all(count >= minimum for count in values.values())
