"""Export and import of whole frameworks: format, line-precise errors, all or nothing."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from leitbild.strategy import exchange, selectors, services
from leitbild.strategy.exchange import (
    FrameworkFileError,
    dump_framework_file,
    parse_framework_file,
    template_path,
)
from leitbild.strategy.models import ActionField, Goal, Indicator, Leitlinie, Strategy

from .factories import StrategyFactory

VALID = """{
  "format": "leitbild-framework",
  "format_version": 1,
  "strategy": {"title": "Smart City Neustadt", "slug": "neustadt", "edition": "2025"},
  "leitlinien": [
    {"title": "Offen", "text": "Daten sind offen."}
  ],
  "fields": [
    {
      "code": "MOB",
      "name": "Mobilität",
      "goals": [
        {
          "code": "MOB-1",
          "title": "Radverkehr stärken",
          "sdgs": [11],
          "indicators": [
            {"name": "Radanteil", "unit": "%", "baseline_value": 14.5, "baseline_year": 2022,
             "target_value": 25, "target_year": 2035}
          ]
        }
      ]
    }
  ]
}
"""


def _problems(text: str | bytes) -> list[tuple[int | None, str]]:
    with pytest.raises(FrameworkFileError) as exc:
        parse_framework_file(text)
    return [(p.line, p.message) for p in exc.value.problems]


def _replace(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new, 1)


# --- Reading and checking ------------------------------------------------------------------------


def test_a_valid_file_is_read_with_exact_decimals():
    file = parse_framework_file(VALID)
    indicator = file.data["fields"][0]["goals"][0]["indicators"][0]
    assert indicator["baseline_value"] == Decimal("14.5")
    assert file.line_of(("fields", 0, "goals", 0, "code")) == 14


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ('"code": "MOB-1"', '"code": "mob 1"', 14, "Kürzel aus Großbuchstaben"),
        ('"sdgs": [11]', '"sdgs": [11, 18]', 16, "höchstens 17"),
        ('"sdgs": [11]', '"sdgs": [11, 11]', 16, "doppelt"),
        ('"baseline_value": 14.5', '"baseline_value": 14.5555', 18, "3 Nachkommastellen"),
        ('"baseline_value": 14.5', '"baseline_value": "14,5"', 18, "eine Zahl oder null"),
        ('"target_year": 2035', '"target_year": 2035.5', 19, "ganze Zahl"),
        ('"target_year": 2035', '"target_year": 2020', 19, "vor dem Ausgangsjahr"),
        ('"name": "Mobilität"', '"name": "  "', 11, "nicht leer"),
        (
            '"name": "Mobilität"',
            '"name": "Mobilität", "farbe": "rot"',
            11,
            "Unbekannte Angabe „farbe“",
        ),
        ('"title": "Offen", ', "", 6, "Pflichtangabe „title“ fehlt"),
        ('"format_version": 1', '"format_version": 2', 3, "Erwartet wird 1"),
        ('"baseline_value": 14.5', '"baseline_value": NaN', 18, "nicht NaN"),
        ('"unit": "%"', '"unit": "%", "unit": "Prozent"', 18, "doppelt vor"),
    ],
)
def test_each_problem_names_its_line(old, new, line, message):
    problems = _problems(_replace(old, new))
    assert len(problems) == 1, problems
    assert problems[0][0] == line
    assert message in problems[0][1]


def test_all_problems_are_reported_at_once_in_line_order():
    text = _replace('"code": "MOB-1"', '"code": "mob"').replace(
        '"slug": "neustadt"', '"slug": "Neu Stadt"'
    )
    problems = _problems(text)
    assert [line for line, _message in problems] == [4, 14]


def test_codes_used_twice_are_reported_with_both_lines():
    text = _replace('"goals": [', '"goals": [\n{"code": "MOB-1", "title": "Doppelt"},')
    problems = _problems(text)
    assert problems == [
        (
            15,
            "Das Kürzel „MOB-1“ kommt schon in Zeile 13 vor; jedes Kürzel "
            "darf nur einmal vergeben werden.",
        )
    ]


def test_a_syntax_error_names_line_and_column():
    problems = _problems(_replace('"format_version": 1,', '"format_version": 1'))
    assert problems[0][0] == 4
    assert "Kein gültiges JSON (Spalte 3)" in problems[0][1]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"[" * 100_000, "zu tief verschachtelt"),
        (b'{"format": "\xff"}', "UTF-8"),
        (b" " * (exchange.MAX_FILE_BYTES + 1), "zu groß"),
        (b"1" * 5000, "Ungültige Zahl"),
        (b"[]", "Erwartet wird ein Objekt"),
        (b"", "Kein gültiges JSON"),
    ],
)
def test_malicious_or_broken_files_are_rejected_with_a_clear_message(raw, message):
    problems = _problems(raw)
    assert message in problems[0][1]


def test_absurd_sizes_are_refused():
    data = json.loads(VALID)
    data["fields"] = [{"code": f"F{i}", "name": "x"} for i in range(101)]
    assert "Höchstens 100 Einträge" in _problems(json.dumps(data))[0][1]


def test_the_shipped_templates_are_valid():
    charta = parse_framework_file(template_path("smart-city-charta").read_bytes())
    assert len(charta.data["leitlinien"]) == 4 and charta.data["fields"] == []
    musterstadt = parse_framework_file(template_path("musterstadt").read_bytes())
    assert len(musterstadt.data["fields"]) == 10


def test_the_schema_uses_only_keywords_the_validator_enforces():
    used: set[str] = set()

    def walk(rule):
        if isinstance(rule, dict):
            used.update(rule)
            for key, value in rule.items():
                if key in ("properties", "$defs"):
                    for sub in value.values():
                        walk(sub)
                elif key == "items":
                    walk(value)

    walk(exchange.load_schema())
    assert used <= exchange.KEYWORDS | exchange.ANNOTATIONS, used - exchange.KEYWORDS


def test_the_schema_is_documented():
    from pathlib import Path

    doc = Path(__file__).resolve().parents[3] / "docs" / "strategy-framework-schema.md"
    text = doc.read_text(encoding="utf-8")
    for name in [
        "format_version",
        "leitlinien",
        "charter_principles",
        "baseline_value",
        "qualitative",
        "framework.schema.json",
    ]:
        assert name in text


# --- Export and import ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_and_import_round_trip(framework, editor):
    text = dump_framework_file(selectors.framework_file_data(strategy=framework))

    copy = services.framework_import(
        actor=editor, file=parse_framework_file(text), slug="kopie", title="Kopie"
    )

    original = selectors.draft_snapshot(strategy=framework)
    imported = selectors.draft_snapshot(strategy=copy)

    def without_ids(value):
        if isinstance(value, dict):
            return {k: without_ids(v) for k, v in value.items() if k not in ("id", "slug", "title")}
        if isinstance(value, list):
            return [without_ids(v) for v in value]
        return value

    assert without_ids(original) == without_ids(imported)
    assert copy.title == "Kopie"


@pytest.mark.django_db
def test_numbers_are_exported_as_json_numbers(framework):
    data = json.loads(dump_framework_file(selectors.framework_file_data(strategy=framework)))
    indicator = data["fields"][0]["goals"][0]["indicators"][0]
    assert indicator["baseline_value"] == 10 and isinstance(indicator["baseline_value"], int)
    assert "id" not in data["fields"][0]


@pytest.mark.django_db
def test_import_needs_a_free_slug_and_names_its_line(editor):
    StrategyFactory(slug="neustadt")
    with pytest.raises(FrameworkFileError) as exc:
        services.framework_import(actor=editor, file=parse_framework_file(VALID))
    assert exc.value.problems[0].line == 4
    assert "gibt es schon" in exc.value.problems[0].message
    assert Strategy.objects.count() == 1


@pytest.mark.django_db
def test_a_failing_import_leaves_nothing_behind(editor, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Indicator.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        services.framework_import(actor=editor, file=parse_framework_file(VALID))

    assert not Strategy.objects.exists()
    assert not Leitlinie.objects.exists() and not ActionField.objects.exists()
    assert not Goal.objects.exists()


@pytest.mark.django_db
def test_staff_import_a_file_in_the_browser(editor_client):
    upload = SimpleUploadedFile("rahmen.json", VALID.encode(), "application/json")
    response = editor_client.post(reverse("strategy:staff_import"), {"file": upload})

    assert response.status_code == 302
    strategy = Strategy.objects.get(slug="neustadt")
    assert strategy.goals.get().code == "MOB-1"


@pytest.mark.django_db
def test_a_bad_upload_shows_every_problem_with_its_line_and_imports_nothing(editor_client):
    text = _replace('"code": "MOB-1"', '"code": "<b>mob</b>"')
    upload = SimpleUploadedFile("rahmen.json", text.encode(), "application/json")

    response = editor_client.post(reverse("strategy:staff_import"), {"file": upload})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Zeile 14 (fields[0].goals[0].code)" in page
    assert "&lt;b&gt;mob&lt;/b&gt;" in page and "<b>mob" not in page
    assert "nichts wurde geändert" in page
    assert not Strategy.objects.exists()


@pytest.mark.django_db
def test_the_command_exports_and_imports(tmp_path, framework):
    target = tmp_path / "rahmen.json"
    call_command(
        "framework", "export", str(target), "--strategy", framework.slug, stderr=StringIO()
    )
    assert json.loads(target.read_text())["strategy"]["slug"] == framework.slug

    out = StringIO()
    call_command("framework", "import", str(target), "--slug", "zweite", stdout=out)
    assert "zweite" in out.getvalue()
    assert Strategy.objects.get(slug="zweite").fields.count() == framework.fields.count()


@pytest.mark.django_db
def test_the_command_reports_problems_and_imports_nothing(tmp_path):
    source = tmp_path / "kaputt.json"
    source.write_text(_replace('"sdgs": [11]', '"sdgs": [99]'))
    err = StringIO()
    with pytest.raises(CommandError, match="nicht importiert"):
        call_command("framework", "import", str(source), stderr=err)
    assert "Zeile 16" in err.getvalue()
    assert not Strategy.objects.exists()


@pytest.mark.django_db
def test_an_invalid_slug_given_on_the_command_line_is_refused(tmp_path):
    source = tmp_path / "rahmen.json"
    source.write_text(VALID)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("framework", "import", str(source), "--slug", "Mit Leerzeichen", stderr=err)
    assert "strategy.slug" in err.getvalue()
    assert not Strategy.objects.exists()


@pytest.mark.django_db
def test_the_command_needs_a_strategy_when_it_cannot_guess(tmp_path):
    StrategyFactory(slug="a")
    StrategyFactory(slug="b")
    with pytest.raises(CommandError, match="--strategy"):
        call_command("framework", "export", str(tmp_path / "x.json"))
