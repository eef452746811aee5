"""The financing plan's charts: the results charts' SVG helpers (``core.charts``),
each chart with its table, amounts in whole euros."""

from django.utils.translation import gettext as _

from leitbild.core.charts import Bar, Chart, bar_chart

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
