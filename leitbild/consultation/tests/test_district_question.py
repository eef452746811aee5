"""The question "Stadtteil" can take its answers from the map's districts
(``LEITBILD_MAP_DISTRICTS``), so the survey and the map name the same districts."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from leitbild.consultation import services
from leitbild.consultation.models import DemographicQuestion
from leitbild.core.districts import district_names

SQUARE = [[10.0, 50.0], [10.1, 50.0], [10.1, 50.1], [10.0, 50.1], [10.0, 50.0]]


def test_the_answers_are_the_districts_of_the_file_in_its_order(db, make_phase):
    question = services.demographic_question_save(
        actor=None,
        phase=make_phase(),
        key="stadtteil",
        text="In welchem Stadtteil wohnen Sie?",
        options=[],
        options_from_districts=True,
    )
    assert question.labels == district_names()
    assert question.labels[:3] == ["Altstadt", "Nordstadt", "Westend"]
    assert question.values[3] == "am-see"


def test_a_city_with_its_own_file_gets_its_own_districts(db, make_phase, settings, tmp_path):
    path = tmp_path / "stadtteile.geojson"
    features = [
        {
            "type": "Feature",
            "properties": {"name": name},
            "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
        }
        for name in ("Oberdorf", "Unterdorf")
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    settings.MAP_DISTRICTS = str(path)
    question = services.demographic_question_save(
        actor=None,
        phase=make_phase(),
        key="stadtteil",
        text="Wo?",
        options=[],
        options_from_districts=True,
    )
    assert question.labels == ["Oberdorf", "Unterdorf"]


def test_without_districts_the_option_is_refused_and_not_offered(
    db, make_phase, settings, editor_client
):
    settings.MAP_DISTRICTS = ""
    phase = make_phase()
    with pytest.raises(ValidationError) as refused:
        services.demographic_question_save(
            actor=None,
            phase=phase,
            key="stadtteil",
            text="Wo?",
            options=[],
            options_from_districts=True,
        )
    assert "LEITBILD_MAP_DISTRICTS" in str(refused.value.message_dict["options_from_districts"])
    page = editor_client.get(reverse("consultation:staff_demographics", args=[phase.pk]))
    assert 'name="options_from_districts"' not in page.content.decode()


def test_an_editor_takes_the_districts_as_answers_on_the_staff_page(editor_client, make_phase):
    phase = make_phase()
    url = reverse("consultation:staff_demographics", args=[phase.pk])
    assert (
        "Die Stadtteile der Karte als Antworten nehmen" in editor_client.get(url).content.decode()
    )
    response = editor_client.post(
        url,
        {
            "text": "In welchem Stadtteil wohnen Sie?",
            "key": "stadtteil",
            "options": "",
            "options_from_districts": "on",
            "position": 0,
        },
    )
    assert response.status_code == 302
    question = DemographicQuestion.objects.get(phase=phase, key="stadtteil")
    assert question.labels == district_names()


def test_without_the_option_the_answers_are_still_required(editor_client, make_phase):
    phase = make_phase()
    url = reverse("consultation:staff_demographics", args=[phase.pk])
    response = editor_client.post(
        url, {"text": "Wie alt sind Sie?", "key": "alter", "options": "", "position": 0}
    )
    assert response.status_code == 200
    assert "mindestens zwei Antworten" in response.content.decode()
    assert 'value="Wie alt sind Sie?"' in response.content.decode()
    assert not DemographicQuestion.objects.filter(phase=phase).exists()


def test_the_demo_survey_asks_for_the_districts_of_the_map(db):
    from leitbild.consultation.demo import DISTRICTS

    assert DISTRICTS == district_names()
