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
