"""The line chart: values over time, accessible, with its data table."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from leitbild.core.charts import Line, Point, line_chart

SVG = "{http://www.w3.org/2000/svg}"
D = datetime.date


def chart(**kwargs):
    measured = Line(
        "Messwert",
        [Point(D(2024, 12, 31), 20.0), Point(D(2025, 6, 30), 24.5, marked=True)],
    )
    path = Line(
        "Zielpfad",
        [Point(D(2024, 1, 1), 10.0), Point(D(2025, 6, 30), 22.25), Point(D(2028, 12, 31), 50.0)],
        colour="#6E7597",
        dash="dash",
        markers=False,
    )
    target = Line(
        "Zielwert",
        [Point(D(2024, 1, 1), 50.0), Point(D(2028, 12, 31), 50.0)],
        colour="#007155",
        dash="long",
        markers=False,
        in_table=False,
    )
    return line_chart([measured, path, target], title="Radverkehr <Anteil>", **kwargs)


def test_a_line_chart_is_well_formed_and_named():
    root = ET.fromstring(chart(description="Steigt.").svg)

    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Radverkehr <Anteil>"
    assert root.find(f"{SVG}desc").text == "Steigt."
    assert "style" not in chart().svg


def test_its_table_has_a_row_per_day_a_column_per_line_and_marks_provisional_values():
    found = chart(decimals=2)

    assert found.headers == ("Stichtag", "Messwert", "Zielpfad", "Hinweis")
    assert found.rows == (
        ("01.01.2024", "–", "10,00", ""),
        ("31.12.2024", "20,00", "–", ""),
        ("30.06.2025", "24,50", "22,25", "vorläufig"),
        ("31.12.2028", "–", "50,00", ""),
    )


def test_marked_points_are_hollow_and_named_in_the_legend():
    root = ET.fromstring(chart().svg)
    hollow = [c for c in root.iter(f"{SVG}circle") if c.get("fill") == "#FFFFFF"]

    assert len(hollow) == 2  # the provisional value and its legend entry
    assert "vorläufig" in [t.text for t in root.iter(f"{SVG}text")]


def test_lines_differ_by_dash_as_well_as_colour():
    paths = ET.fromstring(chart().svg).iter(f"{SVG}path")
    dashes = {p.get("stroke-dasharray") for p in paths if p.get("stroke-width") == "2.5"}

    assert dashes == {None, "8 5", "14 6"}


def test_the_axis_shows_the_years():
    texts = [t.text for t in ET.fromstring(chart().svg).iter(f"{SVG}text")]

    assert {"2025", "2026", "2027", "2028"} <= set(texts)


def test_low_contrast_colours_are_refused():
    with pytest.raises(ValueError, match="contrast"):
        line_chart([Line("hell", [Point(D(2024, 1, 1), 1.0)], colour="#DDDDDD")], title="t")


def test_a_chart_without_points_says_so():
    found = line_chart([Line("Messwert", [])], title="leer")

    assert "keine Daten" in found.svg
    assert found.rows == ()
