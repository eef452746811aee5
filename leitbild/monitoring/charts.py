"""The trend chart of an indicator: its measurements, the path to the target and the target
(``core.charts.line_chart``: SVG with the same numbers as a table)."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from leitbild.core import charts

from .selectors import IndicatorStatus, decimals_of, expected_value
from .templatetags.monitoring import measure

MEASURED_COLOUR = "#2044AA"
PATH_COLOUR = "#6E7597"
TARGET_COLOUR = "#007155"


def trend_chart(status: IndicatorStatus) -> charts.Chart:
    facts = status.facts
    measured = [
        charts.Point(day=p.measured_on, value=float(p.value), marked=p.provisional)
        for p in status.points
    ]
    lines = [charts.Line(_("Messwert"), measured, colour=MEASURED_COLOUR)]
    description = _("Verlauf der Messwerte von „%(name)s“.") % {"name": facts.name}
    if facts.assessable and facts.path_start and facts.path_end:
        days = sorted({facts.path_start, facts.path_end, *(p.measured_on for p in status.points)})
        path = [
            charts.Point(day=day, value=float(expected_value(facts, day)))  # type: ignore[arg-type]
            for day in days
        ]
        lines.append(
            charts.Line(
                _("Zielpfad (erwarteter Wert)"),
                path,
                colour=PATH_COLOUR,
                dash="dash",
                markers=False,
            )  # fmt: skip
        )
        target = float(facts.target_value)  # type: ignore[arg-type]
        lines.append(
            charts.Line(
                _("Zielwert"),
                [charts.Point(facts.path_start, target), charts.Point(facts.path_end, target)],
                colour=TARGET_COLOUR,
                dash="long",
                markers=False,
                in_table=False,
            )
        )
        description += " " + _(
            "Der Zielpfad führt vom Ausgangswert %(baseline)s am %(start)s zum Zielwert "
            "%(target)s am %(end)s. Hohle Punkte sind vorläufige Werte."
        ) % {
            "baseline": measure(facts.baseline_value),
            "start": date_format(facts.path_start, "SHORT_DATE_FORMAT"),
            "target": measure(facts.target_value),
            "end": date_format(facts.path_end, "SHORT_DATE_FORMAT"),
        }
    return charts.line_chart(
        lines,
        title=_("Entwicklung: %(name)s") % {"name": facts.name},
        description=description,
        unit=facts.unit,
        decimals=decimals_of(
            [p.value for p in status.points]
            + [v for v in (facts.baseline_value, facts.target_value) if v is not None]
        ),
        id_prefix=f"trend-{facts.id}",
    )
