"""Server-side SVG charts for results, each with the equivalent data table.

Rendered on the server as plain strings so that the same chart serves the web page, exports
and, later, the PDF strategy document (WeasyPrint draws SVG), and works without JavaScript.

Accessibility rules kept here, so that no caller has to remember them:

* ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``;
  the numbers are in the table the chart returns, which the page shows next to it (KERN: every
  chart has a table), because a screen reader cannot read values off bars.
* Every colour that carries meaning has at least 3:1 contrast against white (WCAG 1.4.11);
  segments of a stacked bar are also separated by white gaps, and the legend follows the
  order of the segments.
* Lines (``line_chart``) differ by their dash pattern as well as their colour, and points a
  series marks (e.g. provisional values) are drawn hollow and named in the legend and the
  table, so that nothing depends on colour alone (WCAG 1.4.1).
* No ``style`` attributes (the Content-Security-Policy forbids inline styles); presentation
  attributes such as ``fill`` instead. All text is escaped.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape, quoteattr

from django.utils.formats import date_format, get_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

BAR_COLOUR = "#2044AA"
TEXT_COLOUR = "#131525"
GRID_COLOUR = "#DFE1EA"
# Diverging, from "disagree strongly" (red) through neutral (grey) to "agree strongly" (blue).
LIKERT_COLOURS = ("#A8201A", "#E07020", "#6E7597", "#4393C3", "#1A3DA5")
CATEGORY_COLOURS = (
    "#2044AA", "#C2410C", "#007155", "#7B3F99", "#925400", "#006B8C", "#A8201A", "#6E7597",
)  # fmt: skip

FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
FONT_SIZE = 13
CHAR_WIDTH = FONT_SIZE * 0.56  # average advance of a sans-serif character, for wrapping
LINE_HEIGHT = 16
BAR_HEIGHT = 18
ROW_GAP = 12
MIN_CONTRAST = 3.0

# The phone layout (``labels_above=True``): each label on its own line(s) above its bar, in a
# narrow coordinate system drawn at the width of its container (``width="100%"``). A 390 px
# phone leaves about 358 px for the chart: 400 units at 15 give labels of about 13 px there,
# and the page caps the chart's width so that they stay near body size on a desktop.
FLUID_WIDTH = 400
FLUID_FONT_SIZE = 15
FLUID_LINE_HEIGHT = 19
FLUID_BAR_HEIGHT = 16


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: ``value`` None means not shown (suppressed or no data), ``note`` says why."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    note: str = ""
    count: int | None = None  # how many chose it, for the table (plain counts beside shares)


@dataclass(frozen=True, slots=True)
class StackedBar:
    """One stacked bar: a share per category (summing to about 1), or None if not shown."""

    label: str
    shares: Sequence[float] | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Chart:
    """An SVG chart and the same data as a table (``caption``, ``headers``, ``rows``).

    ``{{ chart }}`` in a template inserts the SVG without ``|safe`` (``__str__`` returns it
    marked safe, ``__html__`` serves ``format_html``): it is built from escaped text only.
    """

    svg: str
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __html__(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return mark_safe(self.svg)  # every text in it went through escape()


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#RRGGBB`` colour."""
    match = re.fullmatch(r"#([0-9a-fA-F]{6})", colour)
    if match is None:
        raise ValueError(f"expected a #RRGGBB colour, not {colour!r}")
    channels = []
    for i in (0, 2, 4):
        c = int(match.group(1)[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast_ratio(first: str, second: str = "#FFFFFF") -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# How a percent sign follows the number, per language: German with a no-break space (DIN 5008),
# English without. Other languages take the German form until they are added here.
PERCENT_SUFFIX = {"de": "\u00a0%", "en": "%"}


def format_number(value: float, decimals: int = 1) -> str:
    """A number in the active language's notation: ``1.320,5`` in German, ``1,320.5`` in
    English (the separators are Django's format definitions of the language).

    Rounded half up from the shortest decimal form (DIN 1333, as official statistics do):
    0.545 gives 0,55 and 3.25 gives 3,3, where Python's format() rounds to even.
    """
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)  # no "-0,0"
    text = f"{rounded:,.{decimals}f}"
    decimal_mark = str(get_format("DECIMAL_SEPARATOR"))
    grouping = str(get_format("THOUSAND_SEPARATOR"))
    return text.replace(",", "\0").replace(".", decimal_mark).replace("\0", grouping)


def format_percent(share: float, decimals: int = 1) -> str:
    """A share in [0, 1] as a percentage of the active language: ``54,0 %`` (no-break space)
    in German, ``54.0%`` in English."""
    suffix = PERCENT_SUFFIX.get((get_language() or "de").split("-")[0], PERCENT_SUFFIX["de"])
    return f"{format_number(share * 100, decimals)}{suffix}"


def _format(value: float, percent: bool, decimals: int) -> str:
    return format_percent(value, decimals) if percent else format_number(value, decimals)


def _format_interval(low: float | None, high: float | None, percent: bool, decimals: int) -> str:
    if low is None or high is None:
        return "–"
    if percent:
        return f"{format_number(low * 100, decimals)}–{format_percent(high, decimals)}"
    return f"{format_number(low, decimals)}–{format_number(high, decimals)}"


def _nice_step(span: float, target_ticks: int = 5) -> float:
    raw = span / target_ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _ticks(low: float, high: float) -> list[float]:
    step = _nice_step(high - low)
    start = math.ceil(low / step - 1e-9) * step
    count = int(math.floor((high - start) / step + 1e-9)) + 1
    return [start + i * step for i in range(count)]


def _chart_id(id_prefix: str | None, *parts: object) -> str:
    if id_prefix is not None:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", id_prefix):
            raise ValueError("id_prefix must start with a letter and hold only A-Z, 0-9, _ and -")
        return id_prefix
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:10]
    return f"chart-{digest}"


def _wrap(label: str, width: float, char_width: float = CHAR_WIDTH) -> list[str]:
    columns = max(8, int(width / char_width))
    return textwrap.wrap(label, columns, break_long_words=True) or [""]


def _text(
    x: float, y: float, lines: Sequence[str], line_height: float = LINE_HEIGHT, **attributes: str
) -> str:
    """A ``<text>`` element; several lines become ``<tspan>``s under each other."""
    attrs = "".join(
        f" {name.replace('_', '-')}={quoteattr(value)}" for name, value in attributes.items()
    )
    if len(lines) == 1:
        return f'<text x="{x:g}" y="{y:g}"{attrs}>{escape(lines[0])}</text>'
    spans = "".join(
        f'<tspan x="{x:g}" dy="{0 if i == 0 else line_height:g}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{x:g}" y="{y:g}"{attrs}>{spans}</text>'


def _error_bar(low: float, high: float, centre: float) -> list[str]:
    """A confidence interval's whiskers: white halo under a dark line, so they show on the bar."""
    return [
        f'<path d="M{low:.2f} {centre:g}H{high:.2f}'
        f"M{low:.2f} {centre - 5:g}V{centre + 5:g}"
        f'M{high:.2f} {centre - 5:g}V{centre + 5:g}" fill="none" '
        f'stroke="{colour}" stroke-width="{stroke_width}"/>'
        for colour, stroke_width in (("#FFFFFF", 4), (TEXT_COLOUR, 1.5))
    ]


def _open_svg(
    chart_id: str,
    width: int,
    height: float,
    title: str,
    description: str,
    *,
    fluid: bool = False,
) -> str:
    # A fluid chart fills its container's width (the viewBox keeps its proportions); the
    # others are drawn at their own size and only shrink (CSS max-width) on small screens.
    size = 'width="100%"' if fluid else f'width="{width}" height="{height:g}"'
    font_size = FLUID_FONT_SIZE if fluid else FONT_SIZE
    css_class = "chart chart--fluid" if fluid else "chart"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'viewBox="0 0 {width} {height:g}" {size} '
        f'font-family={quoteattr(FONT_FAMILY)} font-size="{font_size}" fill="{TEXT_COLOUR}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str = "",
    percent: bool = True,
    decimals: int = 1,
    axis_min: float = 0.0,
    axis_max: float | None = None,
    label_header: str | None = None,
    value_header: str | None = None,
    width: int = 640,
    label_width: int = 200,
    id_prefix: str | None = None,
    labels_above: bool = False,
    count_header: str | None = None,
) -> Chart:
    """Horizontal bars with optional error bars (confidence intervals) and a data table.

    ``labels_above`` draws the phone layout (see ``FLUID_WIDTH``): each label above its bar,
    the chart as wide as its container. Bars with a ``count`` add a column of counts to the
    table, headed ``count_header`` ("Anzahl").

    ``percent`` formats values in [0, 1] as percentages; otherwise they are plain numbers
    (mean points, mean place, mean rating). Bars start at ``axis_min`` (0 by default, so that
    lengths compare honestly); the axis ends at ``axis_max`` or a round number above the
    largest value or upper bound. Bars without a value show their note instead.
    """
    chart_id = _chart_id(id_prefix, title, bars)
    label_header = label_header or gettext("Handlungsfeld")
    value_header = value_header or (gettext("Anteil") if percent else gettext("Mittelwert"))
    if not description:
        description = gettext(
            "Balkendiagramm mit %(count)d Balken. Die Werte stehen auch in der Tabelle."
        ) % {"count": len(bars)}

    highest = max(
        [v for bar in bars for v in (bar.value, bar.high) if v is not None] or [axis_min + 1]
    )
    if highest <= axis_min:  # all values at the start of the axis: still draw a scale
        highest = axis_min + (0.1 if percent else 1.0)
    if axis_max is None:
        step = _nice_step(highest - axis_min)
        axis_max = axis_min + math.ceil((highest - axis_min) / step - 1e-9) * step
        if percent:
            axis_max = min(axis_max, 1.0)
    elif axis_max <= axis_min:
        raise ValueError("axis_max must be greater than axis_min")
    if labels_above:
        svg = _bars_above(bars, chart_id, title, description, percent, decimals, axis_min, axis_max)
    else:
        svg = _bars_beside(
            bars,
            chart_id,
            title,
            description,
            percent,
            decimals,
            axis_min,
            axis_max,
            width,
            label_width,
        )
    headers, rows = _bar_table(bars, label_header, value_header, percent, decimals, count_header)
    return Chart(svg, title, headers, rows)


def _bars_beside(
    bars: Sequence[Bar],
    chart_id: str,
    title: str,
    description: str,
    percent: bool,
    decimals: int,
    axis_min: float,
    axis_max: float,
    width: int,
    label_width: int,
) -> str:
    """Labels to the left of the bars, an axis with ticks below."""
    ticks = _ticks(axis_min, axis_max)
    span = axis_max - axis_min
    plot_left = label_width + 12
    plot_right = width - 80  # room for the value text after the longest bar
    plot_width = plot_right - plot_left

    def x_of(value: float) -> float:
        clipped = min(max(value, axis_min), axis_max)
        return plot_left + (clipped - axis_min) / span * plot_width

    parts: list[str] = []
    y = 8.0
    for bar in bars:
        lines = _wrap(bar.label, label_width)
        row_height = max(BAR_HEIGHT, len(lines) * LINE_HEIGHT)
        centre = y + row_height / 2
        first_baseline = centre - (len(lines) - 1) * LINE_HEIGHT / 2 + FONT_SIZE * 0.35
        parts.append(_text(label_width, first_baseline, lines, text_anchor="end"))
        if bar.value is None:
            parts.append(
                _text(
                    plot_left, centre + FONT_SIZE * 0.35, [bar.note or gettext("nicht ausgewiesen")]
                )
            )
        else:
            end = x_of(bar.value)
            parts.append(
                f'<rect x="{plot_left:g}" y="{centre - BAR_HEIGHT / 2:g}" '
                f'width="{max(end - plot_left, 0):.2f}" height="{BAR_HEIGHT}" '
                f'fill="{BAR_COLOUR}"/>'
            )
            text_x = end
            if bar.low is not None and bar.high is not None:
                low, high = x_of(bar.low), x_of(bar.high)
                text_x = max(end, high)
                parts.extend(_error_bar(low, high, centre))
            parts.append(
                _text(
                    text_x + 6, centre + FONT_SIZE * 0.35, [_format(bar.value, percent, decimals)]
                )
            )
        y += row_height + ROW_GAP
    plot_bottom = y - ROW_GAP / 2
    grid = [
        f'<path d="{"".join(f"M{x_of(t):.2f} 4V{plot_bottom:g}" for t in ticks)}" '
        f'stroke="{GRID_COLOUR}" stroke-width="1" fill="none"/>'
    ]
    scale = 100 if percent else 1
    tick_decimals = 0 if all(abs(t * scale - round(t * scale)) < 1e-9 for t in ticks) else 1
    axis = [
        _text(x_of(t), plot_bottom + 16, [_format(t, percent, tick_decimals)], text_anchor="middle")
        for t in ticks
    ]
    height = plot_bottom + 24
    svg = (
        _open_svg(chart_id, width, height, title, description)
        + "".join(grid)
        + "".join(parts)
        + "".join(axis)
        + "</svg>"
    )
    return svg


def _bars_above(
    bars: Sequence[Bar],
    chart_id: str,
    title: str,
    description: str,
    percent: bool,
    decimals: int,
    axis_min: float,
    axis_max: float,
) -> str:
    """The phone layout: each label above its bar, the value after the bar; no tick axis
    (every bar carries its value, and the table has them all)."""
    width = FLUID_WIDTH
    char_width = FLUID_FONT_SIZE * 0.56
    plot_right = width - 76  # room for the value after the longest bar
    span = axis_max - axis_min

    def x_of(value: float) -> float:
        clipped = min(max(value, axis_min), axis_max)
        return (clipped - axis_min) / span * plot_right

    parts: list[str] = []
    y = 4.0
    for bar in bars:
        lines = _wrap(bar.label, width, char_width)
        baseline = y + FLUID_FONT_SIZE
        parts.append(_text(0, baseline, lines, FLUID_LINE_HEIGHT))
        y += len(lines) * FLUID_LINE_HEIGHT + 4
        centre = y + FLUID_BAR_HEIGHT / 2
        text_y = centre + FLUID_FONT_SIZE * 0.35
        if bar.value is None:
            parts.append(_text(0, text_y, [bar.note or gettext("nicht ausgewiesen")]))
        else:
            end = x_of(bar.value)
            parts.append(
                f'<rect x="0" y="{y:g}" width="{max(end, 0):.2f}" '
                f'height="{FLUID_BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
            )
            text_x = end
            if bar.low is not None and bar.high is not None:
                low, high = x_of(bar.low), x_of(bar.high)
                text_x = max(end, high)
                parts.extend(_error_bar(low, high, centre))
            parts.append(_text(text_x + 6, text_y, [_format(bar.value, percent, decimals)]))
        y += FLUID_BAR_HEIGHT + 14
    height = y
    baseline_axis = f'<path d="M0.5 0V{height - 10:g}" stroke="{GRID_COLOUR}" fill="none"/>'
    return (
        _open_svg(chart_id, width, height, title, description, fluid=True)
        + baseline_axis
        + "".join(parts)
        + "</svg>"
    )


def _bar_table(
    bars: Sequence[Bar],
    label_header: str,
    value_header: str,
    percent: bool,
    decimals: int,
    count_header: str | None,
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    has_intervals = any(bar.low is not None and bar.high is not None for bar in bars)
    has_notes = any(bar.note for bar in bars)
    has_counts = any(bar.count is not None for bar in bars)
    headers = [label_header]
    if has_counts:
        headers.append(count_header or gettext("Anzahl"))
    headers.append(value_header)
    if has_intervals:
        headers.append(gettext("95-%-Konfidenzintervall"))
    if has_notes:
        headers.append(gettext("Hinweis"))
    rows = []
    for bar in bars:
        row = [bar.label]
        if has_counts:
            row.append("–" if bar.count is None else format_number(bar.count, 0))
        row.append("–" if bar.value is None else _format(bar.value, percent, decimals))
        if has_intervals:
            row.append(_format_interval(bar.low, bar.high, percent, decimals))
        if has_notes:
            row.append(bar.note)
        rows.append(tuple(row))
    return tuple(headers), tuple(rows)


def stacked_bar_chart(
    bars: Sequence[StackedBar],
    categories: Sequence[str],
    *,
    title: str,
    description: str = "",
    colours: Sequence[str] | None = None,
    decimals: int = 0,
    label_header: str | None = None,
    width: int = 640,
    label_width: int = 200,
    id_prefix: str | None = None,
    labels_above: bool = False,
) -> Chart:
    """100 % stacked bars, e.g. the distribution of ratings 1–5 per field (Likert).

    ``categories`` name the segments in order; five categories use a diverging red–grey–blue
    palette, others the categorical one. The table has one column per category.
    """
    if colours is None:
        colours = LIKERT_COLOURS if len(categories) == 5 else CATEGORY_COLOURS
    if len(categories) > len(colours):
        raise ValueError(f"{len(categories)} categories but only {len(colours)} colours")
    for colour in colours[: len(categories)]:
        if contrast_ratio(colour) < MIN_CONTRAST:
            raise ValueError(f"{colour} has less than 3:1 contrast against white")
    for bar in bars:
        if bar.shares is not None and len(bar.shares) != len(categories):
            raise ValueError(f"bar {bar.label!r} needs one share per category")
    chart_id = _chart_id(id_prefix, title, bars, categories)
    label_header = label_header or gettext("Handlungsfeld")
    if not description:
        description = gettext(
            "Gestapeltes Balkendiagramm mit %(count)d Balken zu je %(categories)d Anteilen "
            "(%(names)s). Die Werte stehen auch in der Tabelle."
        ) % {"count": len(bars), "categories": len(categories), "names": ", ".join(categories)}

    char_width, line_height = CHAR_WIDTH, LINE_HEIGHT
    if labels_above:  # the phone layout, as in bar_chart
        width, label_width = FLUID_WIDTH, 0
        char_width, line_height = FLUID_FONT_SIZE * 0.56, FLUID_LINE_HEIGHT
    # Legend, wrapped into as many lines as needed.
    legend: list[str] = []
    x, y = 0.0, 8.0
    for category, colour in zip(categories, colours, strict=False):
        item_width = 14 + 6 + len(category) * char_width + 18
        if x > 0 and x + item_width > width:
            x, y = 0.0, y + line_height + 6
        legend.append(f'<rect x="{x:g}" y="{y:g}" width="14" height="14" fill="{colour}"/>')
        legend.append(_text(x + 20, y + 11, [category]))
        x += item_width
    y += line_height + 14

    plot_left = 0 if labels_above else label_width + 12
    plot_width = width - plot_left - 8
    parts: list[str] = []
    for bar in bars:
        if labels_above:
            lines = _wrap(bar.label, width, char_width)
            parts.append(_text(0, y + FLUID_FONT_SIZE, lines, line_height))
            y += len(lines) * line_height + 4
            row_height = bar_height = FLUID_BAR_HEIGHT
            centre = y + row_height / 2
        else:
            lines = _wrap(bar.label, label_width)
            row_height, bar_height = max(BAR_HEIGHT, len(lines) * LINE_HEIGHT), BAR_HEIGHT
            centre = y + row_height / 2
            first_baseline = centre - (len(lines) - 1) * LINE_HEIGHT / 2 + FONT_SIZE * 0.35
            parts.append(_text(label_width, first_baseline, lines, text_anchor="end"))
        if bar.shares is None:
            parts.append(
                _text(
                    plot_left, centre + FONT_SIZE * 0.35, [bar.note or gettext("nicht ausgewiesen")]
                )
            )
        else:
            total = sum(max(share, 0.0) for share in bar.shares) or 1.0
            left = float(plot_left)
            for share, colour in zip(bar.shares, colours, strict=False):
                segment = max(share, 0.0) / total * plot_width
                if segment > 0:
                    parts.append(
                        f'<rect x="{left:.2f}" y="{centre - bar_height / 2:g}" '
                        f'width="{segment:.2f}" height="{bar_height}" fill="{colour}" '
                        f'stroke="#FFFFFF" stroke-width="1"/>'
                    )
                left += segment
        y += row_height + ROW_GAP
    height = y
    svg = (
        _open_svg(chart_id, width, height, title, description, fluid=labels_above)
        + "".join(legend)
        + "".join(parts)
        + "</svg>"
    )

    headers = (label_header, *categories) + (
        (gettext("Hinweis"),) if any(bar.note for bar in bars) else ()
    )
    rows = []
    for bar in bars:
        values = (
            ["–"] * len(categories)
            if bar.shares is None
            else [format_percent(share, decimals) for share in bar.shares]
        )
        row = (bar.label, *values) + ((bar.note,) if len(headers) > len(categories) + 1 else ())
        rows.append(row)
    return Chart(svg, title, headers, tuple(rows))


# --- Line charts: values over time ---------------------------------------------------------------

LINE_DASHES = {"solid": "", "dash": "8 5", "dot": "2 4", "long": "14 6"}


@dataclass(frozen=True, slots=True)
class Point:
    """One value of a line on a day; ``marked`` draws it hollow (e.g. a provisional value)."""

    day: datetime.date
    value: float
    marked: bool = False


@dataclass(frozen=True, slots=True)
class Line:
    """A series of points joined by straight lines.

    ``dash`` is one of ``LINE_DASHES``; ``markers`` draws a dot at each point; ``in_table``
    gives the line a column in the data table (a constant target line may say it in the
    description instead).
    """

    label: str
    points: Sequence[Point]
    colour: str = BAR_COLOUR
    dash: str = "solid"
    markers: bool = True
    in_table: bool = True


def _year_ticks(first: datetime.date, last: datetime.date) -> list[int]:
    years = list(range(first.year + (0 if first == datetime.date(first.year, 1, 1) else 1),
                       last.year + 1))  # fmt: skip
    if not years:
        return []
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if len(years) / s <= 8)
    return [y for y in years if y % step == 0] or years[:1]


def line_chart(
    lines: Sequence[Line],
    *,
    title: str,
    description: str = "",
    decimals: int = 1,
    unit: str = "",
    date_header: str | None = None,
    marked_label: str | None = None,
    width: int = 640,
    height: int = 300,
    id_prefix: str | None = None,
) -> Chart:
    """Values over time (a date axis with years, a value axis with round ticks), a legend
    above and a data table with one row per day and one column per line in the table.

    Points a line ``marked`` are drawn hollow, named ``marked_label`` ("vorläufig") in the
    legend and flagged in the table's last column.
    """
    for line in lines:
        if contrast_ratio(line.colour) < MIN_CONTRAST:
            raise ValueError(f"{line.colour} has less than 3:1 contrast against white")
        if line.dash not in LINE_DASHES:
            raise ValueError(f"unknown dash {line.dash!r}")
    chart_id = _chart_id(id_prefix, title, lines)
    date_header = date_header or gettext("Stichtag")
    marked_label = marked_label or gettext("vorläufig")
    points = [p for line in lines for p in line.points]
    has_marked = any(p.marked for line in lines if line.markers for p in line.points)
    if not description:
        description = gettext(
            "Liniendiagramm mit %(count)d Linien über die Zeit. Die Werte stehen auch in der "
            "Tabelle."
        ) % {"count": len(lines)}

    # Legend, wrapped like the stacked bars' legend.
    legend: list[str] = []
    x, y = 0.0, 8.0
    items = [(line.label, line.colour, line.dash, line.markers, False) for line in lines]
    if has_marked:
        items.append((marked_label, TEXT_COLOUR, "solid", True, True))
    for label, colour, dash, markers, hollow in items:
        item_width = 28 + 6 + len(label) * CHAR_WIDTH + 18
        if x > 0 and x + item_width > width:
            x, y = 0.0, y + LINE_HEIGHT + 6
        if not hollow:
            legend.append(_line_path([(x, y + 7), (x + 28, y + 7)], colour, dash))
        if markers:
            legend.append(_marker(x + 14, y + 7, colour, hollow))
        legend.append(_text(x + 34, y + 11, [label]))
        x += item_width
    plot_top = y + LINE_HEIGHT + (34 if unit else 16)
    plot_left, plot_right = 64.0, width - 16.0
    plot_bottom = height - 28.0

    svg_parts: list[str] = []
    if points:
        first = min(p.day for p in points)
        last = max(p.day for p in points)
        if first == last:
            first, last = first - datetime.timedelta(days=182), last + datetime.timedelta(days=183)
        low = min(p.value for p in points)
        high = max(p.value for p in points)
        if high - low < 1e-9:
            low, high = low - 1, high + 1
        step = _nice_step(high - low)
        low = math.floor(low / step + 1e-9) * step
        high = math.ceil(high / step - 1e-9) * step
        span_days = (last - first).days

        def x_of(day: datetime.date) -> float:
            return plot_left + (day - first).days / span_days * (plot_right - plot_left)

        def y_of(value: float) -> float:
            return plot_bottom - (value - low) / (high - low) * (plot_bottom - plot_top)

        ticks = _ticks(low, high)
        tick_decimals = 0 if all(abs(t - round(t)) < 1e-9 for t in ticks) else decimals
        grid = "".join(f"M{plot_left:g} {y_of(t):.2f}H{plot_right:g}" for t in ticks)
        svg_parts.append(f'<path d="{grid}" stroke="{GRID_COLOUR}" stroke-width="1" fill="none"/>')
        svg_parts.extend(
            _text(
                plot_left - 6,
                y_of(t) + FONT_SIZE * 0.35,
                [format_number(t, tick_decimals)],
                text_anchor="end",
            )  # fmt: skip
            for t in ticks
        )
        if unit:
            svg_parts.append(_text(0, plot_top - 14, [unit]))
        for year in _year_ticks(first, last):
            tx = x_of(datetime.date(year, 1, 1))
            svg_parts.append(
                f'<path d="M{tx:.2f} {plot_bottom:g}V{plot_bottom + 5:g}" stroke="{TEXT_COLOUR}" '
                f'fill="none"/>'
            )
            svg_parts.append(_text(tx, plot_bottom + 19, [str(year)], text_anchor="middle"))
        svg_parts.append(
            f'<path d="M{plot_left:g} {plot_bottom:g}H{plot_right:g}" stroke="{TEXT_COLOUR}" '
            f'fill="none"/>'
        )
        for line in lines:
            coords = [(x_of(p.day), y_of(p.value)) for p in sorted(line.points, key=_day)]
            if len(coords) > 1:
                svg_parts.append(_line_path(coords, line.colour, line.dash))
            if line.markers:
                svg_parts.extend(
                    _marker(cx, cy, line.colour, p.marked)
                    for (cx, cy), p in zip(coords, sorted(line.points, key=_day), strict=True)
                )
    else:
        svg_parts.append(_text(plot_left, (plot_top + plot_bottom) / 2, [gettext("keine Daten")]))
    svg = (
        _open_svg(chart_id, width, height, title, description)
        + "".join(legend)
        + "".join(svg_parts)
        + "</svg>"
    )
    headers, rows = _line_table(lines, date_header, marked_label, decimals, has_marked)
    return Chart(svg, title, headers, rows)


def _day(point: Point) -> datetime.date:
    return point.day


def _line_path(coords: Sequence[tuple[float, float]], colour: str, dash: str) -> str:
    d = "M" + "L".join(f"{cx:.2f} {cy:.2f}" for cx, cy in coords)
    dasharray = f' stroke-dasharray="{LINE_DASHES[dash]}"' if LINE_DASHES[dash] else ""
    return f'<path d="{d}" stroke="{colour}" stroke-width="2.5" fill="none"{dasharray}/>'


def _marker(cx: float, cy: float, colour: str, hollow: bool) -> str:
    fill = "#FFFFFF" if hollow else colour
    return (
        f'<circle cx="{cx:.2f}" cy="{cy:.2f}" r="{5 if hollow else 4}" fill="{fill}" '
        f'stroke="{colour}" stroke-width="2"/>'
    )


def _line_table(
    lines: Sequence[Line], date_header: str, marked_label: str, decimals: int, has_marked: bool
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    shown = [line for line in lines if line.in_table]
    days = sorted({p.day for line in shown for p in line.points})
    values = [{p.day: p for p in line.points} for line in shown]
    headers = [date_header, *(line.label for line in shown)]
    if has_marked:
        headers.append(gettext("Hinweis"))
    rows = []
    for day in days:
        found = [by_day.get(day) for by_day in values]
        row = [date_format(day, "SHORT_DATE_FORMAT")]
        row += ["–" if p is None else format_number(p.value, decimals) for p in found]
        if has_marked:
            row.append(marked_label if any(p is not None and p.marked for p in found) else "")
        rows.append(tuple(row))
    return tuple(headers), tuple(rows)
