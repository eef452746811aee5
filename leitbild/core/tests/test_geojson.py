"""The one GeoJSON builder: RFC 7946 points, longitude first, and the text writer that long
marker lists use writes exactly what the dictionary builder writes."""

import json

from leitbild.core import geojson


def test_a_point_is_longitude_then_latitude():
    feature = geojson.point_feature(lon=10.79, lat=52.43, id=7, properties={"title": "A"})
    assert feature == {
        "type": "Feature",
        "id": 7,
        "geometry": {"type": "Point", "coordinates": [10.79, 52.43]},
        "properties": {"title": "A"},
    }


def test_a_collection_is_valid_geojson():
    features = [geojson.point_feature(lon=1, lat=2, properties={})]
    data = json.loads(geojson.dumps(geojson.feature_collection(features)))
    assert data["type"] == "FeatureCollection"
    (feature,) = data["features"]
    assert set(feature) == {"type", "geometry", "properties"}  # no id when there is none
    assert feature["geometry"]["coordinates"] == [1.0, 2.0]


def test_the_text_writer_writes_what_the_builder_writes():
    properties = {"title": '</script> "ü" \u2028', "n": 3}
    built = geojson.dumps(
        geojson.feature_collection(
            [
                geojson.point_feature(lon=10.75, lat=52.41, id=1, properties=properties),
                geojson.point_feature(lon=-0.5, lat=0.0, id=None, properties={}),
            ]
        )
    )
    written = geojson.feature_collection_text(
        [
            geojson.point_feature_text(
                lon=10.75, lat=52.41, id=1, properties_text=geojson.encode(properties)
            ),
            geojson.point_feature_text(lon=-0.5, lat=0.0, id=None, properties_text="{}"),
        ]
    )
    assert written == built


def test_the_openapi_response_describes_points():
    schema = geojson.OPENAPI_RESPONSE["content"][geojson.MEDIA_TYPE]["schema"]
    geometry = schema["properties"]["features"]["items"]["properties"]["geometry"]
    assert geometry["properties"]["coordinates"]["maxItems"] == 2
