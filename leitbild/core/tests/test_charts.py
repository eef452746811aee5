"""SVG charts: well-formed, accessible, escaped, and always with a data table."""

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leitbild.core.charts import (
    BAR_COLOUR,
    CATEGORY_COLOURS,
    LIKERT_COLOURS,
    TEXT_COLOUR,
    Bar,
    StackedBar,
    bar_chart,
    contrast_ratio,
    format_number,
    format_percent,
    stacked_bar_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
LIKERT = ["sehr unwichtig", "unwichtig", "teils, teils", "wichtig", "sehr wichtig"]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def shares_chart(**kwargs):
    bars = [
        Bar("Mobilität", 0.54, 0.4426, 0.6344),
        Bar("Energie", 0.31, 0.2286, 0.4051),
        Bar("Gesundheit", None, note="weniger als 5 Stimmzettel"),
    ]
    return bar_chart(bars, title="Anteil der Stimmzettel je Handlungsfeld", **kwargs)


def test_a_bar_chart_is_well_formed_and_accessible():
    chart = shares_chart(description="Mobilität liegt vorn.")
    root = parse(chart.svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title.text == "Anteil der Stimmzettel je Handlungsfeld"
    assert desc.text == "Mobilität liegt vorn."
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert root.get("viewBox").startswith("0 0 ")


def test_a_chart_describes_itself_when_not_told():
    desc = parse(shares_chart().svg).find(f"{SVG}desc").text
    assert "3 Balken" in desc and "Tabelle" in desc


def test_a_bar_chart_returns_the_same_numbers_as_a_table():
    chart = shares_chart()
    assert chart.caption == "Anteil der Stimmzettel je Handlungsfeld"
    assert chart.headers == ("Handlungsfeld", "Anteil", "95-%-Konfidenzintervall", "Hinweis")
    assert chart.rows[0] == ("Mobilität", "54,0\u00a0%", "44,3–63,4\u00a0%", "")
    assert chart.rows[2] == ("Gesundheit", "–", "–", "weniger als 5 Stimmzettel")


def test_a_bar_without_a_value_shows_its_note_instead_of_a_bar():
    root = parse(shares_chart().svg)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "weniger als 5 Stimmzettel" in texts
    assert len(root.findall(f"{SVG}rect")) == 2


def test_error_bars_span_the_confidence_interval():
    root = parse(bar_chart([Bar("A", 0.5, 0.25, 0.75)], title="t", axis_max=1.0).svg)
    paths = [p for p in root.iter(f"{SVG}path") if p.get("stroke") == TEXT_COLOUR]
    assert len(paths) == 1
    # The plot runs from x = 212 to 560; a quarter and three quarters of it.
    start, end = re.match(r"M([\d.]+) [\d.]+H([\d.]+)", paths[0].get("d")).groups()
    assert float(start) == pytest.approx(212 + 0.25 * 348)
    assert float(end) == pytest.approx(212 + 0.75 * 348)


def test_the_axis_reaches_beyond_the_highest_upper_bound():
    root = parse(bar_chart([Bar("A", 0.54, 0.51, 0.57)], title="t").svg)
    ticks = [
        "".join(t.itertext()) for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "middle"
    ]
    assert ticks[0] == "0\u00a0%"
    assert ticks[-1] == "60\u00a0%"


def test_means_are_plain_numbers():
    chart = bar_chart(
        [Bar("Mobilität", 3.25, 2.9, 3.6)],
        title="Mittlere Bewertung",
        percent=False,
        axis_min=1,
        axis_max=5,
    )
    assert chart.headers[1] == "Mittelwert"
    assert chart.rows[0][1:] == ("3,3", "2,9–3,6")
    parse(chart.svg)


def test_labels_are_escaped():
    label = '<script>alert("x")</script> & Co'
    chart = bar_chart([Bar(label, 0.5)], title="<b>Titel</b>", description="a < b")
    assert "<script>" not in chart.svg and "<b>" not in chart.svg
    assert "&lt;script&gt;" in chart.svg
    root = parse(chart.svg)
    texts = "".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert '<script>alert("x")</script>' in texts
    assert root.find(f"{SVG}title").text == "<b>Titel</b>"


def test_charts_use_no_style_attributes():
    for chart in (
        shares_chart(),
        stacked_bar_chart([StackedBar("A", [0.2] * 5)], LIKERT, title="t"),
    ):
        assert "style=" not in chart.svg
        for element in parse(chart.svg).iter():
            assert "style" not in element.attrib


def test_all_colours_have_at_least_three_to_one_contrast_against_white():
    for colour in (BAR_COLOUR, TEXT_COLOUR, *LIKERT_COLOURS, *CATEGORY_COLOURS):
        assert contrast_ratio(colour) >= 3.0, colour


def test_contrast_ratio_matches_the_wcag_extremes():
    assert contrast_ratio("#000000") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)


def test_a_stacked_bar_chart_has_a_segment_per_share_and_a_legend():
    chart = stacked_bar_chart(
        [
            StackedBar("Mobilität", [0.1, 0.2, 0.3, 0.25, 0.15]),
            StackedBar("Energie", None, note="unterdrückt"),
        ],
        LIKERT,
        title="Wie wichtig ist Ihnen …?",
    )
    root = parse(chart.svg)
    fills = [rect.get("fill") for rect in root.iter(f"{SVG}rect")]
    assert fills == list(LIKERT_COLOURS) * 2  # legend, then the five segments
    assert chart.headers == ("Handlungsfeld", *LIKERT, "Hinweis")
    assert chart.rows[0] == (
        "Mobilität",
        "10\u00a0%",
        "20\u00a0%",
        "30\u00a0%",
        "25\u00a0%",
        "15\u00a0%",
        "",
    )
    assert chart.rows[1] == ("Energie", "–", "–", "–", "–", "–", "unterdrückt")
    widths = [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")][5:]
    assert sum(widths) == pytest.approx(640 - 212 - 8, abs=0.05)
    assert widths[2] == pytest.approx(3 * widths[0], abs=0.05)


def test_a_stacked_chart_refuses_low_contrast_colours_and_wrong_lengths():
    with pytest.raises(ValueError):
        stacked_bar_chart(
            [StackedBar("A", [0.5, 0.5])], ["a", "b"], title="t", colours=["#2044AA", "#FFFF00"]
        )
    with pytest.raises(ValueError):
        stacked_bar_chart([StackedBar("A", [1.0])], ["a", "b"], title="t")


def test_chart_ids_are_stable_and_may_be_given():
    assert shares_chart().svg == shares_chart().svg
    root = parse(shares_chart(id_prefix="ergebnis").svg)
    assert root.find(f"{SVG}title").get("id") == "ergebnis-title"
    with pytest.raises(ValueError):
        shares_chart(id_prefix='x" onload="alert(1)')


def test_a_chart_renders_as_its_svg_in_templates():
    from django.template import Context, Template

    chart = shares_chart()
    assert Template("{{ chart }}").render(Context({"chart": chart})) == chart.svg


def test_numbers_are_formatted_the_german_way():
    assert format_number(1320.5) == "1.320,5"
    assert format_percent(0.054) == "5,4\u00a0%"
    # Half up, as in official statistics, and no negative zero.
    assert format_number(3.25) == "3,3"
    assert format_number(0.545, 2) == "0,55"
    assert format_number(-0.04) == "0,0"


@given(
    bars=st.lists(
        st.builds(
            Bar,
            label=st.text(max_size=80),
            value=st.none() | st.floats(0, 1),
            low=st.none() | st.floats(0, 1),
            high=st.none() | st.floats(0, 1),
            note=st.text(max_size=30),
        ),
        max_size=12,
    ),
    title=st.text(max_size=60),
)
def test_any_labels_give_a_well_formed_chart(bars, title):
    # Text that XML 1.0 cannot hold at all (control characters) is out of scope here.
    def printable(text):
        return all(
            c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd") for c in text
        )

    if not all(printable(bar.label) and printable(bar.note) for bar in bars) or not printable(
        title
    ):
        return
    chart = bar_chart(bars, title=title)
    parse(chart.svg)
    assert len(chart.rows) == len(bars)


def test_the_phone_layout_fills_its_container_with_labels_above_the_bars():
    chart = bar_chart(
        [Bar("Mobilität und Verkehr in der ganzen Stadt", 0.6, count=6), Bar("Bildung", 0.4)],
        title="t",
        labels_above=True,
    )
    root = parse(chart.svg)
    assert root.get("width") == "100%" and root.get("height") is None
    assert root.get("viewBox").startswith("0 0 400 ")
    assert root.get("font-size") == "15"
    texts = [t for t in root.iter(f"{SVG}text")]
    rects = root.findall(f"{SVG}rect")
    # Each label stands above its bar, at the left edge.
    assert float(texts[0].get("y")) < float(rects[0].get("y"))
    assert texts[0].get("x") == "0" and rects[0].get("x") == "0"
    stacked = stacked_bar_chart([StackedBar("A", [0.2] * 5)], LIKERT, title="t", labels_above=True)
    assert parse(stacked.svg).get("width") == "100%"


def test_counts_stand_beside_the_shares_in_the_table():
    chart = bar_chart(
        [Bar("Mobilität", 0.6, count=6), Bar("Bildung", None, note="zu wenige")],
        title="t",
        count_header="Stimmzettel",
    )
    assert chart.headers == ("Handlungsfeld", "Stimmzettel", "Anteil", "Hinweis")
    assert chart.rows == (("Mobilität", "6", "60,0\u00a0%", ""), ("Bildung", "–", "–", "zu wenige"))
