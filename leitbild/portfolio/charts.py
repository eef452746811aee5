"""The financing plan's charts: the results charts' SVG helpers (``core.charts``),
each chart with its table, amounts in whole euros."""

from django.utils.translation import gettext as _

from leitbild.core.charts import Bar, Chart, StackedBar, bar_chart, stacked_bar_chart

from .selectors import FinancingPlan


def financing_charts(plan: FinancingPlan) -> list[Chart]:
    if not plan.years:
        return []
    totals = plan.totals
    own = plan.by_source.get("own", {})
    year_bars = [Bar(str(y), float(totals[y])) for y in plan.years]
    own_bars = [
        Bar(str(y), float(own.get(y, 0)), note=_("über den Haushaltsmitteln") if over else "")
        for y, _own, _budget, over in plan.own_rows()
    ]
    field_bars = [Bar(label, float(total)) for label, _values, total in plan.by_field]
    return [
        bar_chart(
            year_bars,
            title=_("Kosten aller Projekte je Jahr (€)"),
            percent=False,
            decimals=0,
            label_header=_("Jahr"),
            value_header=_("Kosten (€)"),
            id_prefix="kosten-jahr",
        ),
        bar_chart(
            own_bars,
            title=_("Eigenanteil der Stadt je Jahr (€)"),
            percent=False,
            decimals=0,
            label_header=_("Jahr"),
            value_header=_("Eigenanteil (€)"),
            id_prefix="eigenanteil-jahr",
        ),
        bar_chart(
            field_bars,
            title=_("Kosten nach Handlungsfeld (€)"),
            percent=False,
            decimals=0,
            label_header=_("Handlungsfeld"),
            value_header=_("Kosten (€)"),
            id_prefix="kosten-feld",
        ),
    ]


# Ordered from rank 1 (dark blue) to the last ranks (red); each has 3:1 contrast on white.
RANK_COLOURS = (
    "#1A3DA5", "#2F6DB5", "#007155", "#4D7A1F", "#925400", "#C2410C", "#A8201A", "#6E7597",
)  # fmt: skip


def rank_groups(n: int) -> list[tuple[int, int]]:
    """Ranks 1..n in at most eight groups: every rank while there are few, then 4–5, 6–10,
    11–20, 21–50 and the rest, so that the chart stays readable for many projects."""
    if n <= len(RANK_COLOURS):
        return [(r, r) for r in range(1, n + 1)]
    edges = [1, 2, 3, 4, 6, 11, 21, 51]
    groups = []
    for i, start in enumerate(edges):
        if start > n:
            break
        end = edges[i + 1] - 1 if i + 1 < len(edges) else n
        groups.append((start, min(end, n)))
    return groups


def rank_label(group: tuple[int, int]) -> str:
    start, end = group
    if start == end:
        return _("Rang %(rank)d") % {"rank": start}
    return _("Rang %(start)d–%(end)d") % {"start": start, "end": end}


def rank_acceptability_chart(projects: list, *, id_prefix: str = "rangwahrscheinlichkeit") -> Chart:
    """Per project (in the order of the ranking) how probable each rank is under all plausible
    weights and the assessors' disagreement: the rank acceptability of SMAA.

    ``projects`` are dicts or objects with ``title`` and ``acceptability`` (one probability per
    rank). The table the chart returns holds the same numbers."""

    def get(item, name):
        return item[name] if isinstance(item, dict) else getattr(item, name)

    if not projects:
        return stacked_bar_chart([], [], title=_("Rangwahrscheinlichkeiten"), id_prefix=id_prefix)
    n = len(get(projects[0], "acceptability"))
    groups = rank_groups(n)
    categories = [rank_label(g) for g in groups]
    bars = [
        StackedBar(
            get(item, "title"),
            [sum(get(item, "acceptability")[s - 1 : e]) for s, e in groups],
        )
        for item in projects
    ]
    return stacked_bar_chart(
        bars,
        categories,
        title=_("Rangwahrscheinlichkeiten der Projekte"),
        description=_(
            "Gestapeltes Balkendiagramm: für jedes der %(count)d Projekte die "
            "Wahrscheinlichkeit, mit der es bei allen plausiblen Gewichtungen und "
            "Bewertungen einen bestimmten Rang erreicht (%(names)s). Die Werte stehen auch in "
            "der Tabelle."
        )
        % {"count": len(bars), "names": ", ".join(categories)},
        colours=RANK_COLOURS,
        label_header=_("Projekt"),
        id_prefix=id_prefix,
    )
