"""Each ballot method: valid ballots are stored, invalid ones refused with the choices kept."""

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from .conftest import stored_ballots


def test_a_valid_pick_ballot_is_stored_with_its_vector(make_weighting, fields, cast, demographics):
    weighting = make_weighting("pick", pick_k=2)
    demographics(weighting.phase)
    cast(weighting, [fields[2].pk, fields[0].pk], {"alter": "alt"})
    ballot = stored_ballots()[0]
    assert ballot.choices == [fields[0].pk, fields[2].pk]
    assert ballot.demographics == {"alter": "alt"}
    assert np.frombuffer(bytes(ballot.vector), dtype="<i2").tolist() == [1, 0, 1, 0, 2]


@pytest.mark.parametrize("choices", [[], [1, 2, 3], "abc", {"x": 1}, [10**9]])
def test_an_invalid_pick_ballot_is_refused(make_weighting, fields, cast, choices):
    weighting = make_weighting("pick", pick_k=2)
    if choices == [1, 2, 3]:
        choices = [f.pk for f in fields[:3]]
    with pytest.raises(ValidationError):
        cast(weighting, choices)
    assert not stored_ballots()


def test_points_must_add_up_and_respect_the_cap(make_weighting, fields, cast):
    weighting = make_weighting("points", points_total=10, points_cap=6)
    cast(weighting, {fields[0].pk: 6, fields[1].pk: 4})
    for wrong in (
        {fields[0].pk: 5},
        {fields[0].pk: 7, fields[1].pk: 3},
        {fields[0].pk: -2, fields[1].pk: 12},
    ):
        with pytest.raises(ValidationError):
            cast(weighting, wrong)
    assert len(stored_ballots()) == 1


def test_rank_all_needs_every_place_once(make_weighting, fields, cast):
    weighting = make_weighting("rank")
    cast(weighting, {f.pk: i + 1 for i, f in enumerate(fields)})
    with pytest.raises(ValidationError, match="mehrfach"):
        cast(weighting, {fields[0].pk: 1, fields[1].pk: 1, fields[2].pk: 2, fields[3].pk: 3})
    with pytest.raises(ValidationError):
        cast(weighting, {fields[0].pk: 1})


def test_rank_top_k_fills_only_the_first_places(make_weighting, fields, cast):
    weighting = make_weighting("rank", rank_depth=2)
    cast(weighting, {fields[3].pk: 1, fields[0].pk: 2})
    with pytest.raises(ValidationError, match="Platz 3"):
        cast(weighting, {fields[3].pk: 1, fields[0].pk: 3})


def test_rate_needs_every_field_from_one_to_five(make_weighting, fields, cast):
    weighting = make_weighting("rate")
    cast(weighting, {f.pk: 5 - i for i, f in enumerate(fields)})
    with pytest.raises(ValidationError):
        cast(weighting, {f.pk: 6 for f in fields})
    with pytest.raises(ValidationError, match="Bitte bewerten Sie auch"):
        cast(weighting, {fields[0].pk: 3})


def test_a_field_of_another_strategy_is_refused(make_weighting, fields, cast):
    from leitbild.strategy.models import ActionField, Strategy

    other = Strategy.objects.create(title="Andere", slug="andere", edition="2020")
    foreign = ActionField.objects.create(strategy=other, code="X", name="Fremd")
    weighting = make_weighting("pick", pick_k=2)
    with pytest.raises(ValidationError, match="gehört nicht"):
        cast(weighting, [foreign.pk])


def test_the_form_keeps_the_choices_of_a_refused_ballot(client, make_weighting, fields):
    weighting = make_weighting("pick", pick_k=2)
    url = reverse("consultation:ballot", args=[weighting.phase_id])
    response = client.post(url, {"auswahl": [f.pk for f in fields[:3]]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "höchstens 2 Handlungsfelder" in body
    assert body.count("checked") == 3
    assert not stored_ballots()


@pytest.mark.parametrize(
    "method,data",
    [
        ("pick", lambda f: {"auswahl": [f[0].pk, f[1].pk]}),
        ("points", lambda f: {f"punkte_{f[0].pk}": "60", f"punkte_{f[1].pk}": "40"}),
        ("rank", lambda f: {f"platz_{x.pk}": str(i + 1) for i, x in enumerate(f)}),
        ("rate", lambda f: {f"bewertung_{x.pk}": "4" for x in f}),
    ],
)
def test_each_method_can_be_cast_through_the_page(client, make_weighting, fields, method, data):
    weighting = make_weighting(method, pick_k=3)
    url = reverse("consultation:ballot", args=[weighting.phase_id])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, data(fields))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("consultation:ballot_done", args=[weighting.phase_id])
    assert len(stored_ballots()) == 1


def test_the_points_page_uses_number_inputs_and_the_sum_script(client, make_weighting):
    weighting = make_weighting("points")
    body = client.get(reverse("consultation:ballot", args=[weighting.phase_id])).content
    assert b'type="number"' in body
    assert b"consultation/ballot.js" in body
    assert b'id="punkte-summe"' in body
    assert b"<script>" not in body and b'style="' not in body
