"""The OpenAPI document names each response schema after its class: two apps' classes of the
same name would be one component, and the document would describe one of them wrongly."""

import importlib
import inspect

from ninja import Schema

APPS = ["strategy", "participation", "consultation", "portfolio", "council", "monitoring"]


def test_every_api_schema_has_a_name_of_its_own():
    seen: dict[str, str] = {}
    clashes = []
    for app in APPS:
        try:
            module = importlib.import_module(f"leitbild.{app}.api")
        except ModuleNotFoundError:
            continue
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, Schema)
                and obj.__module__ == module.__name__
            ):
                if name in seen:
                    clashes.append(f"{name}: {seen[name]} and {module.__name__}")
                seen[name] = module.__name__
    assert seen, "no API schema found"
    assert clashes == []


def test_the_openapi_document_has_each_apps_schema(client, db):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert set(schemas["IndicatorOut"]["properties"]["direction"]["enum"]) == {"higher", "lower"}
    assert "state" in schemas["MonitoredIndicatorOut"]["properties"]
    assert "field_code" in schemas["ProjectGoalOut"]["properties"]
    assert "description" in schemas["GoalOut"]["properties"]
