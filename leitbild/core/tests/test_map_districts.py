"""The city's outline and districts: the base layer the maps draw without a tile server.

``LEITBILD_MAP_DISTRICTS`` names a GeoJSON file; outside production it is the demo city's,
shipped in the repository; a file that cannot be used stops start-up with its reason.
"""

import json
import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from leitbild.core import checks, districts

from .test_settings import _run, production

SQUARE = [[10.0, 50.0], [10.1, 50.0], [10.1, 50.1], [10.0, 50.1], [10.0, 50.0]]
HOLE = [[10.04, 50.04], [10.06, 50.04], [10.06, 50.06], [10.04, 50.06], [10.04, 50.04]]


def _feature(name, rings, **properties):
    return {
        "type": "Feature",
        "properties": {"name": name, **properties},
        "geometry": {"type": "Polygon", "coordinates": rings},
    }


def _write(tmp_path, features) -> str:
    path = tmp_path / "stadtteile.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return str(path)


def test_the_demo_city_ships_its_districts_where_its_ideas_are():
    from leitbild.participation.demo import DISTRICTS

    city_map = districts.parse(districts.DEMO_FILE.read_text(encoding="utf-8"))
    assert city_map.names() == list(DISTRICTS)
    assert city_map.city is not None and city_map.city.name == "Musterstadt"
    for name, (lat, lon, _places) in DISTRICTS.items():
        assert city_map.district_at(lon=lon, lat=lat) == name
    # Each idea of a district lies within ±0.006° latitude, ±0.009° longitude of its centre
    # (participation.demo._point): all of that is in the city.
    for lat, lon, _places in DISTRICTS.values():
        for corner in ((lat - 0.006, lon - 0.009), (lat + 0.006, lon + 0.009)):
            for y, x in (corner, (corner[0], 2 * lon - corner[1])):
                assert city_map.city.contains(x, y), (y, x)


def test_the_setting_points_to_the_demo_file_outside_production(settings):
    assert settings.MAP_DISTRICTS == str(districts.DEMO_FILE)
    assert districts.district_names()[0] == "Altstadt"


def test_a_city_names_its_own_file_and_holes_are_left_out(settings, tmp_path):
    settings.MAP_DISTRICTS = _write(
        tmp_path,
        [
            _feature("Beispielstadt", [SQUARE], kind="city"),
            _feature("Mitte", [SQUARE, HOLE]),
            _feature("Insel", [HOLE]),
        ],
    )
    found = districts.city_map()
    assert found.names() == ["Mitte", "Insel"]
    assert found.district_at(lon=10.01, lat=50.01) == "Mitte"
    assert found.district_at(lon=10.05, lat=50.05) == "Insel"
    assert found.district_at(lon=11.0, lat=50.05) is None


def test_an_empty_setting_draws_no_base_layer(settings, client, db):
    settings.MAP_DISTRICTS = ""
    assert districts.city_map() is None and districts.district_names() == []
    assert client.get(reverse("core:map_districts")).status_code == 404


def test_the_maps_get_the_file_as_geojson(client, db):
    response = client.get(reverse("core:map_districts"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    assert [f["properties"]["name"] for f in data["features"]][:2] == ["Musterstadt", "Altstadt"]
    assert "max-age=3600" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{nope", "not JSON"),
        ('{"type": "Feature"}', "FeatureCollection"),
        (json.dumps({"type": "FeatureCollection", "features": [_feature("", [SQUARE])]}), "name"),
        (
            json.dumps(
                {"type": "FeatureCollection", "features": [_feature("A", [[[10, 50], [11, 50]]])]}
            ),
            "four positions",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [_feature("A", [SQUARE]), _feature("A", [SQUARE])],
                }
            ),
            "same name",
        ),
    ],
)
def test_a_file_that_cannot_be_used_is_named_with_its_reason(settings, tmp_path, content, reason):
    path = tmp_path / "kaputt.geojson"
    path.write_text(content)
    settings.MAP_DISTRICTS = str(path)
    with pytest.raises(ImproperlyConfigured, match=reason):
        districts.city_map()
    problems = checks.check_map_districts()
    assert [p.id for p in problems] == ["leitbild.E004"]
    assert str(path) in problems[0].msg


def test_a_missing_file_stops_a_production_start(tmp_path):
    result = _run(
        production(tmp_path, LEITBILD_MAP_DISTRICTS=str(tmp_path / "fehlt.geojson")), "check"
    )
    assert result.returncode != 0
    assert "LEITBILD_MAP_DISTRICTS" in result.stderr and "fehlt.geojson" in result.stderr


def test_the_file_is_read_again_when_it_changes(settings, tmp_path):
    settings.MAP_DISTRICTS = _write(tmp_path, [_feature("Alt", [SQUARE])])
    assert districts.district_names() == ["Alt"]
    path = tmp_path / "stadtteile.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": [_feature("Neu", [SQUARE])]})
    )

    os.utime(path, (1, 1))
    assert districts.district_names() == ["Neu"]
