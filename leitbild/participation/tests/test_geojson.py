"""Ideas on a map are written by the one builder (``core.geojson``) with the one schema of
the idea markers, wherever they are served; the export and the projects use the same shape."""

import json
from decimal import Decimal

from django.urls import reverse

from leitbild.core import geojson
from leitbild.participation import selectors


def test_the_markers_are_the_builder_s_output_of_the_marker_schema(client, process, make_idea):
    idea = make_idea(process, title='Bänke "am" See', lat="52.41", lon="10.75")
    body = client.get("/api/v1/ideas.geojson", {"process": process.slug}).content.decode()
    url = reverse("participation:idea_detail", args=[process.slug, idea.pk])
    expected = geojson.feature_collection(
        [
            geojson.point_feature(
                lon=10.75,
                lat=52.41,
                id=idea.pk,
                properties=selectors.idea_marker_properties(
                    title=idea.title, status=idea.status, support_count=0, url=url
                ),
            )
        ]
    )
    assert body == geojson.dumps(expected)


def test_the_export_and_the_map_place_an_idea_alike(client, process, make_idea):
    idea = make_idea(process, lat="52.41", lon="10.75")
    marker = client.get("/api/v1/ideas.geojson").json()["features"][0]
    response = client.get(f"/beteiligung/{process.slug}/ideen.geojson")
    assert response["Content-Type"] == geojson.MEDIA_TYPE
    exported = json.loads(response.content)["features"][0]
    for key in ("type", "id", "geometry"):
        assert exported[key] == marker[key]
    assert exported["id"] == idea.pk and exported["geometry"]["coordinates"] == [10.75, 52.41]
    # One schema: the export's properties are the marker's and the export's details.
    properties = exported["properties"]
    assert {k: properties[k] for k in marker["properties"]} == {
        k: v for k, v in marker["properties"].items() if k != "url"
    } | {"url": properties["url"]}
    assert properties["url"].endswith(marker["properties"]["url"])
    assert set(properties) == set(marker["properties"]) | set(selectors.IDEA_FEATURE_DETAILS)


def test_the_projects_map_uses_the_same_shape(client, strategy):
    from leitbild.portfolio import services
    from leitbild.portfolio.models import OrgUnit

    unit = OrgUnit.objects.create(name="Amt", kind=OrgUnit.Kind.DEPARTMENT)
    project = services.project_create(
        actor=None,
        strategy=strategy,
        title="Sensoren",
        summary="Kurz.",
        lead_unit=unit,
        is_public=True,
        lat=Decimal("52.43"),
        lon=Decimal("10.79"),
    )
    response = client.get("/api/v1/projects.geojson")
    assert response["Content-Type"] == geojson.MEDIA_TYPE
    (feature,) = response.json()["features"]
    assert feature["id"] == project.pk
    assert feature["geometry"] == {"type": "Point", "coordinates": [10.79, 52.43]}


def test_both_operations_describe_their_response_with_the_one_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/ideas.geojson", "/api/v1/projects.geojson"):
        response = paths[path]["get"]["responses"]["200"]
        assert response["content"] == geojson.OPENAPI_RESPONSE["content"]
