"""The framework file: the JSON format in which a strategic framework leaves and enters Leitbild.

The format is described by ``schema/framework.schema.json`` and docs/strategy-framework-schema.md.
This module only reads and writes files; it never touches the database (see
``services.framework_import`` and ``selectors.framework_file_data`` for that).

Reading a file happens in four steps, and every problem found names its line:

1. decode (UTF-8) and parse with :mod:`json`, which reports syntax errors with line and column;
2. scan the text once more to learn the line of every value by its path (``fields/0/code``),
   and to find keys that occur twice in one object, which :mod:`json` silently accepts;
3. check the data against the JSON Schema file, with a small validator for exactly the
   keywords that file uses (there is no JSON Schema library among our dependencies);
4. check what a schema cannot say: codes unique across the whole file.
"""

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leitbild.core.errors import InvalidInput

FORMAT = "leitbild-framework"
FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "framework.schema.json"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates_data"
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_PROBLEMS = 50

Path_ = tuple[str | int, ...]


class Problem(NamedTuple):
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = _("Zeile %(line)s") % {"line": self.line} if self.line else ""
        if self.path:
            where = f"{where} ({self.path})" if where else self.path
        return f"{where}: {self.message}" if where else self.message


class FrameworkFileError(InvalidInput):
    """A file that cannot be imported; ``problems`` says where and why (someone uploaded it,
    so it is a refusal of their input)."""

    code = "strategy.framework_file"

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.path))
        super().__init__("; ".join(str(p) for p in self.problems[:5]), field="file")


@dataclass
class FrameworkFile:
    """A parsed, valid framework file and the line of each of its values."""

    data: dict[str, Any]
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        return _line(self.lines, path)


def path_text(path: Path_) -> str:
    """``("fields", 0, "code")`` as ``fields[0].code``, the way people read JSON paths."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


# --- Reading ----------------------------------------------------------------------------------


class _NotANumber:
    """NaN and Infinity, which Python's json accepts and JSON does not."""

    def __init__(self, text: str):
        self.text = text


def parse_framework_file(raw: bytes | str) -> FrameworkFile:
    """Read and check a framework file; raise ``FrameworkFileError`` listing every problem."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_FILE_BYTES:
            raise FrameworkFileError(
                [
                    Problem(
                        None,
                        "",
                        _("Die Datei ist zu groß (höchstens %(mb)s MB).")
                        % {"mb": MAX_FILE_BYTES // 2**20},
                    )
                ]
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            raise FrameworkFileError(
                [Problem(line, "", _("Die Datei ist nicht in UTF-8 kodiert."))]
            ) from None
    else:
        text = raw
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=_NotANumber)
    except json.JSONDecodeError as exc:
        raise FrameworkFileError(
            [
                Problem(
                    exc.lineno,
                    "",
                    _("Kein gültiges JSON (Spalte %(col)s): %(msg)s.")
                    % {"col": exc.colno, "msg": exc.msg},
                )
            ]
        ) from None
    except RecursionError:
        raise FrameworkFileError(
            [Problem(None, "", _("Die Datei ist zu tief verschachtelt."))]
        ) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise FrameworkFileError(
            [Problem(None, "", _("Ungültige Zahl: %(msg)s") % {"msg": exc})]
        ) from None
    lines, duplicates = _scan_lines(text)
    problems = [
        Problem(
            line,
            path_text(p),
            _("Die Angabe „%(key)s“ kommt in diesem Objekt doppelt vor.") % {"key": p[-1]},
        )
        for p, line in duplicates
    ]
    found = _validate(data) + _check_semantics(data, lines)
    problems += [Problem(_line(lines, p), path_text(p), message) for p, message in found]
    if problems:
        if len(problems) > MAX_PROBLEMS:
            rest = len(problems) - MAX_PROBLEMS
            more = ngettext(
                "… und ein weiteres Problem.", "… und %(n)s weitere Probleme.", rest
            ) % {"n": rest}
            problems = problems[:MAX_PROBLEMS] + [Problem(None, "", more)]
        raise FrameworkFileError(problems)
    return FrameworkFile(data=data, lines=lines)


def _line(lines: dict[Path_, int], path: Path_) -> int | None:
    """The line of ``path``, or of its nearest ancestor (a missing key: the object's line)."""
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_LITERALS = ("true", "false", "null", "NaN", "Infinity", "-Infinity")


def _scan_lines(text: str) -> tuple[dict[Path_, int], list[tuple[Path_, int]]]:
    """The line of each value (or of its key) by path, and the paths of repeated keys.

    Only called for text that :func:`json.loads` accepted, so it can assume valid JSON. It
    keeps its own stack instead of recursing, so deep nesting cannot exhaust Python's.
    """
    newlines = [m.start() for m in re.finditer("\n", text)]

    def line(pos: int) -> int:
        return bisect_right(newlines, pos - 1) + 1

    def ws(pos: int) -> int:
        return _WS.match(text, pos).end()

    lines: dict[Path_, int] = {}
    duplicates: list[tuple[Path_, int]] = []
    stack: list[list] = []  # [kind, path, index or set of keys seen]
    path: Path_ = ()
    i = ws(0)

    def read_key(pos: int, container: list) -> tuple[Path_, int]:
        key, pos = json.decoder.scanstring(text, pos + 1)
        key_path = container[1] + (key,)
        if key in container[2]:
            duplicates.append((key_path, line(pos)))
        else:
            container[2].add(key)
            lines[key_path] = line(pos)
        pos = ws(pos)  # at ':'
        return key_path, ws(pos + 1)

    while True:
        lines.setdefault(path, line(i))
        char = text[i]
        if char == "{":
            i = ws(i + 1)
            if text[i] != "}":
                container = ["object", path, set()]
                stack.append(container)
                path, i = read_key(i, container)
                continue
            i += 1
        elif char == "[":
            i = ws(i + 1)
            if text[i] != "]":
                stack.append(["array", path, 0])
                path = path + (0,)
                continue
            i += 1
        elif char == '"':
            _value, i = json.decoder.scanstring(text, i + 1)
        else:
            match = _NUMBER.match(text, i)
            if match:
                i = match.end()
            else:
                i += next(len(lit) for lit in _LITERALS if text.startswith(lit, i))
        # After a value: close finished containers, then move on to the next member.
        while True:
            i = ws(i)
            if not stack:
                return lines, duplicates
            top = stack[-1]
            if text[i] == ",":
                i = ws(i + 1)
                if top[0] == "object":
                    path, i = read_key(i, top)
                else:
                    top[2] += 1
                    path = top[1] + (top[2],)
                break
            i += 1  # '}' or ']'
            stack.pop()


# --- The schema validator ----------------------------------------------------------------------

# Annotations carry no rule; every other keyword must be one this validator implements, which
# test_exchange checks, so the schema file cannot promise more than is enforced.
ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs", "$comment", "default"}
KEYWORDS = {
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "maxItems",
    "uniqueItems",
    "minLength",
    "maxLength",
    "pattern",
    "enum",
    "const",
    "minimum",
    "maximum",
    "multipleOf",
    "$ref",
}


@cache
def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"), parse_float=Decimal)


def _type_names() -> dict[str, str]:
    return {
        "object": _("ein Objekt {…}"),
        "array": _("eine Liste […]"),
        "string": _("ein Text"),
        "integer": _("eine ganze Zahl"),
        "number": _("eine Zahl"),
        "boolean": _("true oder false"),
        "null": _("null"),
    }


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, Decimal):
        return "integer" if value == value.to_integral_value() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "invalid"  # _NotANumber


def _has_type(value: Any, wanted: str) -> bool:
    actual = _json_type(value)
    return actual == wanted or (wanted == "number" and actual == "integer")


def _validate(data: Any) -> list[tuple[Path_, str]]:
    schema = load_schema()
    problems: list[tuple[Path_, str]] = []
    _check(data, schema, schema, (), problems)
    return problems


def _check(
    value: Any, rule: dict, root: dict, path: Path_, problems: list[tuple[Path_, str]]
) -> None:
    if "$ref" in rule:
        target = root
        for part in rule["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        before = len(problems)
        _check(value, target, root, path, problems)
        if len(problems) > before:
            return
    if "const" in rule and value != rule["const"]:
        problems.append(
            (path, _("Erwartet wird %(value)s.") % {"value": json.dumps(rule["const"])})
        )
        return
    if "enum" in rule and value not in rule["enum"]:
        problems.append(
            (
                path,
                _("Erlaubt sind: %(values)s.")
                % {"values": ", ".join(json.dumps(v) for v in rule["enum"])},
            )
        )
        return
    if "type" in rule:
        wanted = rule["type"] if isinstance(rule["type"], list) else [rule["type"]]
        if not any(_has_type(value, t) for t in wanted):
            names = _type_names()
            found = value.text if isinstance(value, _NotANumber) else names[_json_type(value)]
            problems.append(
                (
                    path,
                    _("Erwartet wird %(wanted)s, nicht %(found)s.")
                    % {"wanted": _(" oder ").join(names[t] for t in wanted), "found": found},
                )
            )
            return
    if isinstance(value, dict):
        _check_object(value, rule, root, path, problems)
    elif isinstance(value, list):
        _check_array(value, rule, root, path, problems)
    elif isinstance(value, str):
        _check_string(value, rule, path, problems)
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        _check_number(value, rule, path, problems)


def _check_object(value: dict, rule: dict, root: dict, path: Path_, problems: list) -> None:
    for key in rule.get("required", []):
        if key not in value:
            problems.append((path, _("Die Pflichtangabe „%(key)s“ fehlt.") % {"key": key}))
    properties = rule.get("properties", {})
    for key, item in value.items():
        if key in properties:
            _check(item, properties[key], root, path + (key,), problems)
        elif rule.get("additionalProperties") is False:
            problems.append(
                (
                    path + (key,),
                    _("Unbekannte Angabe „%(key)s“. Erlaubt sind: %(keys)s.")
                    % {"key": key, "keys": ", ".join(properties)},
                )
            )


def _check_array(value: list, rule: dict, root: dict, path: Path_, problems: list) -> None:
    if "maxItems" in rule and len(value) > rule["maxItems"]:
        problems.append(
            (
                path,
                _("Höchstens %(max)s Einträge erlaubt, hier sind es %(n)s.")
                % {"max": rule["maxItems"], "n": len(value)},
            )
        )
        return
    if rule.get("uniqueItems"):
        seen: list = []
        for index, item in enumerate(value):
            if item in seen:
                problems.append(
                    (
                        path + (index,),
                        _("Der Wert %(value)s steht doppelt in der Liste.")
                        % {"value": json.dumps(item, default=str)},
                    )
                )
            seen.append(item)
    if "items" in rule:
        for index, item in enumerate(value):
            _check(item, rule["items"], root, path + (index,), problems)


def _check_string(value: str, rule: dict, path: Path_, problems: list) -> None:
    if "minLength" in rule and len(value) < rule["minLength"]:
        problems.append((path, _("Darf nicht leer sein.")))
    elif "maxLength" in rule and len(value) > rule["maxLength"]:
        problems.append(
            (
                path,
                _("Höchstens %(max)s Zeichen, hier sind es %(n)s.")
                % {"max": rule["maxLength"], "n": len(value)},
            )
        )
    elif "pattern" in rule and not re.search(rule["pattern"], value):
        if rule["pattern"] == r"\S":
            problems.append((path, _("Darf nicht leer sein.")))
        else:
            problems.append(
                (
                    path,
                    _("Ungültiger Wert %(value)s. %(hint)s")
                    % {
                        "value": json.dumps(value[:40], ensure_ascii=False),
                        "hint": rule.get("description", ""),
                    },
                )
            )


def _check_number(value: int | Decimal, rule: dict, path: Path_, problems: list) -> None:
    if "minimum" in rule and value < rule["minimum"]:
        problems.append(
            (path, _("Der Wert muss mindestens %(min)s sein.") % {"min": rule["minimum"]})
        )
    elif "maximum" in rule and value > rule["maximum"]:
        problems.append(
            (path, _("Der Wert darf höchstens %(max)s sein.") % {"max": rule["maximum"]})
        )
    elif "multipleOf" in rule and Decimal(value) % rule["multipleOf"] != 0:
        problems.append(
            (
                path,
                _("Höchstens %(places)s Nachkommastellen.")
                % {"places": -rule["multipleOf"].as_tuple().exponent},
            )
        )


def _check_semantics(data: dict, lines: dict[Path_, int]) -> list[tuple[Path_, str]]:
    """What the schema cannot say: codes identify fields and goals, so each may occur only
    once in a strategy; a value needs its year, and a target cannot precede its baseline."""
    problems: list[tuple[Path_, str]] = []
    seen: dict[tuple[str, str], Path_] = {}

    def note(kind: str, code: str, path: Path_) -> None:
        if (kind, code) in seen:
            problems.append(
                (
                    path,
                    _(
                        "Das Kürzel „%(code)s“ kommt schon in Zeile %(line)s vor; "
                        "jedes Kürzel darf nur einmal vergeben werden."
                    )
                    % {"code": code, "line": _line(lines, seen[(kind, code)])},
                )
            )
        else:
            seen[(kind, code)] = path

    def items(value: Any) -> list[tuple[int, dict]]:
        # Tolerant of a malformed file: the schema check reports what is malformed.
        return (
            [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]
            if isinstance(value, list)
            else []
        )

    for f_index, field_data in items(data.get("fields") if isinstance(data, dict) else None):
        if isinstance(field_data.get("code"), str):
            note("field", field_data["code"], ("fields", f_index, "code"))
        for g_index, goal in items(field_data.get("goals")):
            if isinstance(goal.get("code"), str):
                note("goal", goal["code"], ("fields", f_index, "goals", g_index, "code"))
            for i_index, indicator in items(goal.get("indicators")):
                path = ("fields", f_index, "goals", g_index, "indicators", i_index)
                problems.extend(_check_indicator(indicator, path))
    return problems


def _check_indicator(indicator: dict, path: Path_) -> list[tuple[Path_, str]]:
    """The same rules as ``services._check_indicator`` applies to the staff forms."""
    problems = []
    for value_key, year_key in (
        ("baseline_value", "baseline_year"),
        ("target_value", "target_year"),
    ):
        if indicator.get(value_key) is not None and indicator.get(year_key) is None:
            problems.append(
                (
                    path + (value_key,),
                    _("Zu einem Wert gehört das Jahr, auf das er sich bezieht (%(key)s).")
                    % {"key": year_key},
                )
            )
    start, end = indicator.get("baseline_year"), indicator.get("target_year")
    if isinstance(start, int | Decimal) and isinstance(end, int | Decimal) and end < start:
        problems.append((path + ("target_year",), _("Das Zieljahr liegt vor dem Ausgangsjahr.")))
    return problems


# --- Writing -----------------------------------------------------------------------------------


def file_data_from_snapshot(snapshot: dict) -> dict:
    """A framework file's content from a version snapshot (or the draft's, which is the same
    shape): the instance's row ids are left out, numbers become JSON numbers."""

    def number(text: str | None) -> Decimal | None:
        return None if text is None else Decimal(text)

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "strategy": {
            key: snapshot["strategy"][key] for key in ("title", "slug", "edition", "summary")
        },
        "leitlinien": [
            {"title": item["title"], "text": item["text"]} for item in snapshot["leitlinien"]
        ],
        "fields": [
            {
                "code": f["code"],
                "name": f["name"],
                "description": f["description"],
                "colour": f["colour"],
                "icon": f["icon"],
                "goals": [
                    {
                        "code": g["code"],
                        "title": g["title"],
                        "description": g["description"],
                        "charter_principles": g["charter_principles"],
                        "sdgs": g["sdgs"],
                        "indicators": [
                            {
                                "name": i["name"],
                                "unit": i["unit"],
                                "direction": i["direction"],
                                "baseline_value": number(i["baseline_value"]),
                                "baseline_year": i["baseline_year"],
                                "target_value": number(i["target_value"]),
                                "target_year": i["target_year"],
                                "source": i["source"],
                                "qualitative": i["qualitative"],
                            }
                            for i in g["indicators"]
                        ],
                    }
                    for g in f["goals"]
                ],
            }
            for f in snapshot["fields"]
        ],
    }


def dump_framework_file(data: dict) -> str:
    """The file's text: indented UTF-8 JSON, numbers without quotes."""

    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            # At most 14 significant digits (the model's limit), which a float keeps exactly.
            return int(value) if value == value.to_integral_value() else float(value)
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    return json.dumps(plain(data), ensure_ascii=False, indent=2) + "\n"


def template_path(name: str) -> Path:
    return TEMPLATES_DIR / f"{name}.json"
