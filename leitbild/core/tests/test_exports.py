import io

from openpyxl import load_workbook

from leitbild.core.exports import to_csv, to_xlsx

ROWS = [['=HYPERLINK("http://böse.example")', "Straße", None, 3]]


def test_csv_opens_in_german_spreadsheets_and_neutralises_formulas():
    data = to_csv(["Titel", "Ort", "leer", "Zahl"], ROWS).decode("utf-8")
    assert data.startswith("\ufeffTitel;Ort;leer;Zahl")
    assert "'=HYPERLINK" in data
    assert ";Straße;;3" in data


def test_xlsx_keeps_numbers_and_neutralises_formulas():
    sheet = load_workbook(
        io.BytesIO(to_xlsx(["Titel", "Ort", "leer", "Zahl"], ROWS, title="Ideen"))
    ).active
    assert sheet.title == "Ideen"
    assert sheet["A2"].value.startswith("'=")
    assert sheet["D2"].value == 3


def test_xlsx_drops_control_characters_that_openpyxl_refuses():
    text = "Bänke\x00 am\x07 Teich\x1b"
    data = to_xlsx([f"Titel\x0b{text}"], [[text], ["\x01=1+1"], ["Zeile\neins\tzwei"]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "TitelBänke am Teich"
    assert sheet["A2"].value == "Bänke am Teich"
    assert sheet["A3"].value == "'=1+1"
    assert sheet["A4"].value == "Zeile\neins\tzwei"


# --- One response and one table of formats ---------------------------------------------------
def test_every_format_has_one_media_type():
    from leitbild.core import exports, geojson

    assert exports.MEDIA_TYPES == {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "json": "application/json; charset=utf-8",
        "geojson": geojson.MEDIA_TYPE,
    }
    assert {fmt: media for fmt, (media, _w) in exports.FORMATS.items()} == {
        fmt: exports.MEDIA_TYPES[fmt] for fmt in ("csv", "xlsx")
    }


def test_a_table_download_is_named_and_typed_by_its_format(settings):
    from django.utils import timezone

    from leitbild.core.exports import export_response

    response = export_response(["Titel"], [["A"]], fmt="csv", name="gewichtung-3-ergebnisse")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="gewichtung-3-ergebnisse-{today}.csv"'
    )
    assert response.content.decode("utf-8-sig") == "Titel\r\nA\r\n"
    undated = export_response(["Titel"], [["A"]], fmt="xlsx", name="projekte", dated=False)
    assert undated["Content-Disposition"] == 'attachment; filename="projekte.xlsx"'
    assert load_workbook(io.BytesIO(undated.content)).active["A2"].value == "A"


def test_an_unknown_format_is_not_found():
    import pytest
    from django.http import Http404

    from leitbild.core.exports import attachment, export_response

    with pytest.raises(Http404):
        export_response(["Titel"], [], fmt="geojson", name="x")  # not a table format
    with pytest.raises(Http404):
        attachment(b"", fmt="exe", name="x")


def test_the_apps_download_through_it(client, db):
    """The idea export (open data) answers with the table's media type and a dated name."""
    from django.utils import timezone

    from leitbild.core.exports import MEDIA_TYPES
    from leitbild.participation.models import Process
    from leitbild.strategy.models import Strategy

    strategy = Strategy.objects.create(title="Musterstadt", slug="musterstadt")
    Process.objects.create(strategy=strategy, title="Ideen", slug="ideen")
    for fmt in ("csv", "xlsx", "geojson"):
        response = client.get(f"/beteiligung/ideen/ideen.{fmt}")
        assert response["Content-Type"] == MEDIA_TYPES[fmt]
        name = f"ideen-ideen-{timezone.localdate():%Y-%m-%d}.{fmt}"
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
