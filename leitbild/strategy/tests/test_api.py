"""The read-only JSON API under /api/v1/strategy."""

import pytest

from leitbild.strategy import services

from .conftest import adopt
from .factories import StrategyFactory, build_framework

pytestmark = pytest.mark.django_db


def test_nothing_published_is_a_404_with_a_clear_message(client, framework, editor):
    services.draft_freeze(actor=editor, strategy=framework)  # Entwurf: not public

    response = client.get("/api/v1/strategy")

    assert response.status_code == 404
    assert response.json() == {
        "detail": "Es ist noch keine Version des strategischen Rahmens veröffentlicht.",
        "parameter": None,
    }
    assert client.get("/api/v1/strategy/versions").json() == []
    assert client.get("/api/v1/strategy/versions/1").status_code == 404


def test_the_current_version_is_served_nested(client, adopted):
    data = client.get("/api/v1/strategy").json()

    assert (data["number"], data["status"], data["decision_reference"]) == (
        1,
        "adopted",
        "Drucksache 2024/0412",
    )
    assert data["decided_on"] == "2024-03-21"
    assert data["strategy"]["slug"] == adopted.strategy.slug
    field = data["fields"][0]
    row = adopted.strategy.fields.first()
    assert (field["id"], field["code"]) == (row.pk, row.code)
    indicator = field["goals"][0]["indicators"][0]
    assert indicator["baseline_value"] == 10.0 and indicator["target_year"] == 2030
    assert field["goals"][0]["charter_principles"] == ["ziele"]


def test_versions_are_listed_newest_first_without_internal_drafts(client, adopted, editor):
    goal = adopted.strategy.goals.first()
    services.goal_update(actor=editor, goal=goal, code=goal.code, title="neu")
    second = services.draft_freeze(actor=editor, strategy=adopted.strategy)
    services.version_set_status(actor=editor, version=second, status="consultation")
    services.goal_update(actor=editor, goal=goal, code=goal.code, title="neuer")
    services.draft_freeze(actor=editor, strategy=adopted.strategy)

    data = client.get("/api/v1/strategy/versions").json()

    assert [(v["number"], v["status"]) for v in data] == [(2, "consultation"), (1, "adopted")]
    assert data[0]["status_label"] == "in Beratung"
    assert client.get("/api/v1/strategy/versions/3").status_code == 404
    assert (
        client.get("/api/v1/strategy/versions/2").json()["fields"][0]["goals"][0]["title"] == "neu"
    )


def test_another_strategy_can_be_named(client, adopted, editor):
    other = build_framework(strategy=StrategyFactory(slug="alt"))
    version = services.draft_freeze(actor=editor, strategy=other)
    services.version_set_status(actor=editor, version=version, status="consultation")

    data = client.get("/api/v1/strategy/versions/1", {"strategy": "alt"}).json()
    assert data["strategy"]["slug"] == "alt" and data["status"] == "consultation"
    assert client.get("/api/v1/strategy/versions", {"strategy": "gibt-es-nicht"}).json() == []


def test_the_openapi_document_describes_the_nested_schemas(client):
    spec = client.get("/api/v1/openapi.json").json()

    assert "/api/v1/strategy" in spec["paths"]
    assert "/api/v1/strategy/versions/{number}" in spec["paths"]
    schemas = spec["components"]["schemas"]
    assert {"VersionOut", "FieldOut", "GoalOut", "IndicatorOut"} <= set(schemas)
    assert set(schemas["IndicatorOut"]["properties"]["direction"]["enum"]) == {"higher", "lower"}
    assert "404" in spec["paths"]["/api/v1/strategy"]["get"]["responses"]


def test_the_api_runs_a_constant_number_of_queries(client, editor, django_assert_max_num_queries):
    strategy = build_framework(fields=15, goals_per_field=5)
    adopt(services.draft_freeze(actor=editor, strategy=strategy))
    for path in ["/api/v1/strategy", "/api/v1/strategy/versions", "/api/v1/strategy/versions/1"]:
        # The version(s), their strategy, the published state, the generated documents and
        # the consultation sequence.
        with django_assert_max_num_queries(5):
            assert client.get(path).status_code == 200
