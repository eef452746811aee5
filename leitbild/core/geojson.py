"""One GeoJSON builder for everything on a map (ideas, projects): RFC 7946 points.

A feature is ``{"type": "Feature", "id": …, "geometry": {"type": "Point", "coordinates":
[lon, lat]}, "properties": {…}}`` — longitude first, as RFC 7946 says (Leaflet's ``[lat, lon]``
is the opposite). What goes into ``properties`` is one schema per kind of thing, kept next to
the thing (``participation.selectors.IDEA_MARKER_PROPERTIES``, ``portfolio.api``).

Long lists of markers are written as text feature by feature (``point_feature_text``), which
costs no dictionary per marker; it writes exactly what ``point_feature`` and ``dumps`` write.
"""

import json
from collections.abc import Iterable
from typing import Any

MEDIA_TYPE = "application/geo+json"

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

# The 200 response of every GeoJSON operation in the OpenAPI description.
OPENAPI_RESPONSE: dict[str, Any] = {
    "description": "GeoJSON FeatureCollection (RFC 7946), Punkte als [Länge, Breite]",
    "content": {
        MEDIA_TYPE: {
            "schema": {
                "type": "object",
                "required": ["type", "features"],
                "properties": {
                    "type": {"type": "string", "enum": ["FeatureCollection"]},
                    "features": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["type", "geometry", "properties"],
                            "properties": {
                                "type": {"type": "string", "enum": ["Feature"]},
                                "id": {"type": "integer"},
                                "geometry": {
                                    "type": "object",
                                    "required": ["type", "coordinates"],
                                    "properties": {
                                        "type": {"type": "string", "enum": ["Point"]},
                                        "coordinates": {
                                            "type": "array",
                                            "items": {"type": "number"},
                                            "minItems": 2,
                                            "maxItems": 2,
                                        },
                                    },
                                },
                                "properties": {"type": "object"},
                            },
                        },
                    },
                },
            }
        }
    },
}


def point_feature(*, lon: float, lat: float, properties: dict, id: int | None = None) -> dict:
    """A point feature; ``id`` is left out when None."""
    feature: dict[str, Any] = {"type": "Feature"}
    if id is not None:
        feature["id"] = id
    feature["geometry"] = {"type": "Point", "coordinates": [float(lon), float(lat)]}
    feature["properties"] = properties
    return feature


def feature_collection(features: Iterable[dict]) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def dumps(collection: dict) -> str:
    """The collection as compact UTF-8 JSON text."""
    return _encode(collection)


def encode(value: Any) -> str:
    """One JSON value as ``dumps`` writes it (for ``point_feature_text``)."""
    return _encode(value)


def point_feature_text(*, lon: float, lat: float, properties_text: str, id: int | None) -> str:
    """``dumps(point_feature(...))`` for properties already encoded as a JSON object text."""
    head = '{"type":"Feature",' if id is None else f'{{"type":"Feature","id":{id:d},'
    return (
        f'{head}"geometry":{{"type":"Point","coordinates":[{float(lon)!r},{float(lat)!r}]}},'
        f'"properties":{properties_text}}}'
    )


def feature_collection_text(feature_texts: Iterable[str]) -> str:
    """``dumps(feature_collection(...))`` for features written by ``point_feature_text``."""
    return '{"type":"FeatureCollection","features":[' + ",".join(feature_texts) + "]}"
