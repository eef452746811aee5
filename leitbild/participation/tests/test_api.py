import pytest

from leitbild.participation import services


@pytest.fixture
def ideas(process, make_idea, action_fields):
    a = make_idea(
        process,
        title="Sensoren im Park",
        lat="52.41",
        lon="10.75",
        email="a@example.org",
        fields=[action_fields[2]],
    )
    b = make_idea(process, title="WLAN in Bussen", lat="52.45", lon="10.83")
    c = make_idea(process, title="Ohne Ort")
    services.idea_support(idea=b, visitor="v")
    return a, b, c


def test_the_list_is_paginated_and_has_no_personal_data(client, ideas):
    data = client.get("/api/v1/ideas").json()
    assert data["count"] == 3
    assert {i["title"] for i in data["items"]} == {"Sensoren im Park", "WLAN in Bussen", "Ohne Ort"}
    assert "a@example.org" not in str(data) and "submitter" not in str(data)


def test_the_list_filters_like_the_page(client, ideas, action_fields):
    data = client.get("/api/v1/ideas", {"field": action_fields[2].pk}).json()
    assert [i["title"] for i in data["items"]] == ["Sensoren im Park"]
    data = client.get("/api/v1/ideas", {"sort": "unterstuetzung", "process": "ideenaufruf"})
    assert data.json()["items"][0]["title"] == "WLAN in Bussen"
    assert client.get("/api/v1/ideas", {"process": "nichts"}).status_code == 404


def test_one_idea(client, ideas):
    data = client.get(f"/api/v1/ideas/{ideas[0].pk}").json()
    assert data["lat"] == 52.41 and data["fields"][0]["code"] == "UMW"
    assert data["url"].endswith(f"/ideen/{ideas[0].pk}/")
    assert client.get("/api/v1/ideas/99999").status_code == 404


def test_geojson_returns_markers_of_the_box_only(client, ideas):
    response = client.get("/api/v1/ideas.geojson", {"bbox": "10.70,52.40,10.78,52.43"})
    assert response["Content-Type"] == "application/geo+json"
    features = response.json()["features"]
    assert [f["properties"]["title"] for f in features] == ["Sensoren im Park"]
    assert features[0]["geometry"]["coordinates"] == [10.75, 52.41]
    everything = client.get("/api/v1/ideas.geojson").json()["features"]
    assert len(everything) == 2


@pytest.mark.parametrize(
    "bbox", ["1,2,3", "a,b,c,d", "10,50,9,51", "0,0,0,NaN", "-200,0,0,1", "1e999,0,0,0"]
)
def test_geojson_refuses_a_bad_box(client, ideas, bbox):
    assert client.get("/api/v1/ideas.geojson", {"bbox": bbox}).status_code == 400
