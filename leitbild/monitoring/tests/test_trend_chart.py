"""The trend chart of an indicator: measurements, the path and the target."""

import datetime
from decimal import Decimal

from leitbild.core.charts import contrast_ratio
from leitbild.monitoring.charts import MEASURED_COLOUR, PATH_COLOUR, TARGET_COLOUR, trend_chart
from leitbild.monitoring.selectors import Facts, IndicatorStatus, Point, assess


def status(points) -> IndicatorStatus:
    facts = Facts(
        id=7,
        name="Radverkehr",
        unit="%",
        baseline_value=Decimal(14),
        baseline_year=2022,
        target_value=Decimal(25),
        target_year=2035,
    )
    return IndicatorStatus(facts=facts, assessment=assess(facts, points[-1]), points=points)


def test_the_table_has_the_measurements_and_the_expected_values_on_their_days():
    points = [
        Point(id=1, value=Decimal("15.5"), measured_on=datetime.date(2024, 12, 31)),
        Point(id=2, value=Decimal("16"), measured_on=datetime.date(2025, 12, 31), provisional=True),
    ]

    chart = trend_chart(status(points))

    assert chart.headers == ("Stichtag", "Messwert", "Zielpfad (erwarteter Wert)", "Hinweis")
    assert chart.rows[0] == ("01.01.2022", "–", "14,0", "")
    assert chart.rows[2][1:] == ("16,0", "17,1", "vorläufig")
    assert chart.rows[-1] == ("31.12.2035", "–", "25,0", "")
    assert "Zielwert 25 am 31.12.2035" in chart.svg
    assert 'id="trend-7-title"' in chart.svg


def test_the_monitoring_colours_have_three_to_one_contrast():
    for colour in (MEASURED_COLOUR, PATH_COLOUR, TARGET_COLOUR):
        assert contrast_ratio(colour) >= 3.0
