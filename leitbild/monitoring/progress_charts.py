"""The Umsetzungsmonitor's charts (``core.charts``: SVG with its data table)."""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from leitbild.core.charts import Bar, Chart, StackedBar, bar_chart, stacked_bar_chart

from .progress_selectors import PUBLIC_STAGES, FieldRow, MonitorOverview

STAGE_COLOURS = ("#6E7597", "#2044AA", "#007155")  # planned, running, done: 3:1 on white


def stage_chart(overview: MonitorOverview) -> Chart | None:
    rows = [row for row in overview.fields if row.total]
    if not rows:
        return None
    return stacked_bar_chart(
        [StackedBar(row.label, [row.counts[s] / row.total for s in PUBLIC_STAGES]) for row in rows],
        [_("geplant"), _("in Umsetzung"), _("abgeschlossen")],
        title=_("Stand der Projekte je Handlungsfeld (Anteile)"),
        colours=STAGE_COLOURS,
        id_prefix="monitor-stand",
    )


def money_chart(overview: MonitorOverview) -> Chart | None:
    return field_money_chart(overview.fields)


def field_money_chart(fields: Sequence[FieldRow], *, year: int | None = None) -> Chart | None:
    """The share of the planned money spent, per field of action with planned money; with
    ``year`` the money of that year (the yearly report), otherwise of all years."""
    rows = [row for row in fields if row.planned]
    if not rows:
        return None
    if year is None:
        title = _("Ausgegebener Anteil der geplanten Mittel je Handlungsfeld")
    else:
        title = _("Ausgegebener Anteil der im Jahr %(year)d geplanten Mittel je Handlungsfeld") % {
            "year": year
        }
    return bar_chart(
        [Bar(row.label, row.spent_share) for row in rows],
        title=title,
        value_header=_("ausgegeben"),
        id_prefix="monitor-mittel" if year is None else f"monitor-mittel-{year}",
    )
