import csv
import io
import json

import pytest
from openpyxl import load_workbook

from leitbild.participation import services


@pytest.fixture
def exported(process, make_idea, moderator):
    idea = make_idea(
        process,
        title='=HYPERLINK("http://x")',
        email="geheim@example.org",
        lat="52.44",
        lon="10.80",
        address="Am See",
    )
    services.idea_support(idea=idea, visitor="v")
    services.comment_add(idea=idea, text="Kommentar", author_name="Heimlich Hans")
    make_idea(process, title="Ohne Ort")
    return idea


def get(client, process, fmt):
    response = client.get(f"/beteiligung/{process.slug}/ideen.{fmt}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return response.content


def test_csv_has_counts_and_no_personal_data(client, process, exported):
    text = get(client, process, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2
    row = next(r for r in rows if r["Nummer"] == str(exported.pk))
    assert row["Unterstützungen"] == "1" and row["Kommentare"] == "1"
    assert row["Titel"].startswith("'=")  # no formula injection
    assert "geheim@example.org" not in text and "Heimlich" not in text


def test_xlsx_has_the_same_rows(client, process, exported):
    workbook = load_workbook(io.BytesIO(get(client, process, "xlsx")))
    rows = list(workbook.active.values)
    assert rows[0][0] == "Nummer" and len(rows) == 3
    assert "geheim" not in str(rows)


def test_geojson_has_only_ideas_with_a_place(client, process, exported):
    data = json.loads(get(client, process, "geojson"))
    assert [f["id"] for f in data["features"]] == [exported.pk]
    assert data["features"][0]["geometry"]["coordinates"] == [10.8, 52.44]
    assert data["features"][0]["properties"]["support_count"] == 1
    assert "geheim" not in json.dumps(data)


def test_the_public_export_leaves_out_unpublished_ideas(client, make_process, make_idea):
    process = make_process("vorab", moderation="pre")
    make_idea(process, title="Noch nicht frei")
    assert "Noch nicht frei" not in get(client, process, "csv").decode("utf-8-sig")


def test_the_staff_export_includes_unmoderated_ideas(moderator_client, make_process, make_idea):
    process = make_process("vorab", moderation="pre")
    make_idea(process, title="Noch nicht frei", email="x@example.org")
    response = moderator_client.get(f"/beteiligung/verwaltung/verfahren/{process.slug}/export.csv")
    text = response.content.decode("utf-8-sig")
    assert "Noch nicht frei" in text and "x@example.org" not in text


def test_unknown_formats_are_not_found(client, process):
    assert client.get(f"/beteiligung/{process.slug}/ideen.exe").status_code == 404


def test_a_control_character_in_one_title_does_not_break_the_xlsx_for_everyone(
    client, process, idea
):
    # Old data and workshop imports can hold them even where the form refuses nothing.
    type(idea).objects.filter(pk=idea.pk).update(
        title="Klingel\x07 am Rathaus", description="Text mit \x1b Escape"
    )
    sheet = load_workbook(io.BytesIO(get(client, process, "xlsx"))).active
    assert [c.value for c in sheet[2]][1:3] == ["Klingel am Rathaus", "Text mit  Escape"]
