"""The city's outline and districts, from the GeoJSON file named by ``MAP_DISTRICTS``.

They are the base layer of every map (drawn without any tile server, labelled with the
districts' names) and can be the answers of the demographic question "Stadtteil".

The file is a FeatureCollection (RFC 7946, longitude first) of Polygon or MultiPolygon
features with a ``name`` property; a feature with ``"kind": "city"`` is the city's outline,
every other one a district, in the order of the file. Setting ``LEITBILD_MAP_DISTRICTS`` to
an empty value turns the layer off. A file that cannot be read or does not follow these rules
stops start-up (``core.checks``) with a message naming the problem.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Musterstadt's districts, invented for the demo around the points of its ideas.
DEMO_FILE = Path(__file__).resolve().parent / "data" / "musterstadt-stadtteile.geojson"

Ring = list[tuple[float, float]]
Polygon = list[Ring]  # exterior ring first, then holes


@dataclass(frozen=True)
class Area:
    name: str
    polygons: tuple[Polygon, ...]

    def contains(self, lon: float, lat: float) -> bool:
        return any(_in_polygon(polygon, lon, lat) for polygon in self.polygons)


@dataclass(frozen=True)
class CityMap:
    city: Area | None
    districts: tuple[Area, ...]
    text: str  # the file's GeoJSON as compact text, as served to the maps

    def names(self) -> list[str]:
        return [district.name for district in self.districts]

    def district_at(self, *, lon: float, lat: float) -> str | None:
        return next((d.name for d in self.districts if d.contains(lon, lat)), None)


def _in_ring(ring: Ring, lon: float, lat: float) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _in_polygon(polygon: Polygon, lon: float, lat: float) -> bool:
    exterior, *holes = polygon
    return _in_ring(exterior, lon, lat) and not any(_in_ring(h, lon, lat) for h in holes)


def _ring(value: object, where: str) -> Ring:
    if not isinstance(value, list) or len(value) < 4:
        raise ValueError(f"{where}: a ring needs at least four positions")
    ring: Ring = []
    for position in value:
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(isinstance(c, int | float) for c in position[:2])
        ):
            raise ValueError(f"{where}: a position is [longitude, latitude]")
        lon, lat = float(position[0]), float(position[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError(f"{where}: {position} lies outside longitude/latitude")
        ring.append((lon, lat))
    return ring


def _polygons(geometry: object, where: str) -> tuple[Polygon, ...]:
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        raise ValueError(f"{where}: the geometry must be a Polygon or MultiPolygon")
    coordinates = geometry.get("coordinates")
    parts = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(parts, list) or not parts:
        raise ValueError(f"{where}: the geometry has no coordinates")
    polygons = []
    for part in parts:
        if not isinstance(part, list) or not part:
            raise ValueError(f"{where}: a polygon needs an exterior ring")
        polygons.append([_ring(ring, where) for ring in part])
    return tuple(polygons)


def parse(text: str) -> CityMap:
    """The outline and districts of a GeoJSON text; ValueError says what is wrong."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValueError("the file must be a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list):
        raise ValueError("the FeatureCollection has no list of features")
    city, districts = None, []
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            properties = {}
        name = properties.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"feature {number}: the property 'name' is missing")
        where = f"feature {number} ({name.strip()})"
        area = Area(name=name.strip()[:200], polygons=_polygons(feature.get("geometry"), where))
        if properties.get("kind") == "city":
            if city is not None:
                raise ValueError(f"{where}: only one feature may have the kind 'city'")
            city = area
        else:
            districts.append(area)
    names = [d.name for d in districts]
    if len(set(names)) != len(names):
        raise ValueError("two districts have the same name")
    return CityMap(city=city, districts=tuple(districts), text=json.dumps(data, **_COMPACT))


_COMPACT: dict = {"ensure_ascii": False, "separators": (",", ":")}


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> CityMap:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeError) as exc:
        raise ImproperlyConfigured(f"LEITBILD_MAP_DISTRICTS {path}: {exc}") from None
    try:
        return parse(text)
    except ValueError as exc:
        raise ImproperlyConfigured(f"LEITBILD_MAP_DISTRICTS {path}: {exc}") from None


def city_map() -> CityMap | None:
    """The configured outline and districts, or None when no file is set. Read once per
    process and again when the file changes."""
    path = getattr(settings, "MAP_DISTRICTS", "")
    if not path:
        return None
    try:
        mtime = Path(path).stat().st_mtime
    except OSError as exc:
        raise ImproperlyConfigured(f"LEITBILD_MAP_DISTRICTS {path}: {exc}") from None
    return _load(str(path), mtime)


def district_names() -> list[str]:
    """The districts' names in the order of the file; empty when none are configured."""
    found = city_map()
    return found.names() if found else []
