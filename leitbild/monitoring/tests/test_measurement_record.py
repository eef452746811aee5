"""Recording and deleting a measurement: validation with clear messages, audited."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from leitbild.core.models import AuditEntry
from leitbild.monitoring.models import Measurement
from leitbild.monitoring.services import measurement_delete, measurement_record, parse_value
from leitbild.strategy import services as strategy_services

from .conftest import measure

TODAY = datetime.date(2026, 6, 30)


def record(indicator, **values):
    return measurement_record(
        actor=None,
        indicator=indicator,
        **({"value": "12,5", "measured_on": datetime.date(2026, 3, 31), "today": TODAY} | values),
    )


def messages(exc: pytest.ExceptionInfo) -> dict[str, str]:
    return {field: " ".join(errors) for field, errors in exc.value.message_dict.items()}


def test_it_records_a_value_with_a_german_decimal_comma_and_audits_it(indicator):
    measurement = record(indicator, source="Zählung", provisional=True)

    assert measurement.value == Decimal("12.5")
    assert measurement.provisional and measurement.source == "Zählung"
    entry = AuditEntry.objects.get(action="monitoring.measurement.record")
    assert entry.object_id == str(measurement.pk)
    assert "created_by" not in entry.after


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.5", "12.5"),
        ("1.234,5", "1234.5"),
        ("-3", "-3"),
        (" 40 000 ", "40000"),
        ("0,125", "0.125"),
        ("0.125", "0.125"),
        ("1.234.567", "1234567"),
        ("12.34", "12.34"),
        ("1234.5", "1234.5"),
    ],
)
def test_it_reads_the_usual_ways_of_writing_a_number(text, expected):
    assert parse_value(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["zwölf", "1,2,3", "NaN", "Infinity", "1e5", "", "12,5 %"])
def test_a_value_that_is_not_a_number_is_refused_at_the_value(indicator, text):
    with pytest.raises(ValidationError) as exc:
        record(indicator, value=text)

    assert "value" in messages(exc)
    assert not Measurement.objects.exists()


def test_a_point_before_three_digits_is_refused_as_ambiguous(indicator):
    with pytest.raises(ValidationError) as exc:
        record(indicator, value="1.234")

    assert messages(exc)["value"] == (
        "„1.234“ ist mehrdeutig: Bitte ohne Tausenderpunkt (1234) oder mit Dezimalkomma (1,234) "
        "schreiben."
    )


def test_too_many_decimals_or_digits_are_refused(indicator):
    with pytest.raises(ValidationError) as exc:
        record(indicator, value="1,2345")
    assert "drei Nachkommastellen" in messages(exc)["value"]
    with pytest.raises(ValidationError) as exc:
        record(indicator, value="123456789012")
    assert "zu groß" in messages(exc)["value"]


def test_a_date_in_the_future_or_before_1900_is_refused_at_the_date(indicator):
    with pytest.raises(ValidationError) as exc:
        record(indicator, measured_on=datetime.date(2026, 7, 1))
    assert "in der Zukunft" in messages(exc)["measured_on"]
    with pytest.raises(ValidationError) as exc:
        record(indicator, measured_on=datetime.date(1899, 12, 31))
    assert "1900" in messages(exc)["measured_on"]
    assert not Measurement.objects.exists()


def test_today_is_allowed(indicator):
    assert record(indicator, measured_on=TODAY).measured_on == TODAY


def test_a_second_value_on_the_same_day_is_refused(indicator):
    record(indicator)

    with pytest.raises(ValidationError) as exc:
        record(indicator, value="13")

    assert "schon einen Messwert" in messages(exc)["measured_on"]
    assert Measurement.objects.count() == 1


def test_a_bad_value_and_a_bad_date_are_both_named(indicator):
    with pytest.raises(ValidationError) as exc:
        record(indicator, value="viel", measured_on=datetime.date(2030, 1, 1))

    assert set(messages(exc)) == {"value", "measured_on"}


def test_a_qualitative_indicator_takes_no_values(indicator):
    indicator.qualitative = True
    indicator.save()

    with pytest.raises(ValidationError) as exc:
        record(indicator)

    assert "qualitativer Indikator" in messages(exc)["indicator"]


def test_deleting_a_measurement_is_audited(indicator):
    measurement = measure(indicator, datetime.date(2025, 1, 1), 20)

    measurement_delete(actor=None, measurement=measurement)

    assert not Measurement.objects.exists()
    entry = AuditEntry.objects.get(action="monitoring.measurement.delete")
    assert Decimal(entry.before["value"]) == 20


def test_an_indicator_with_measurements_cannot_be_deleted_from_the_draft(indicator):
    measure(indicator, datetime.date(2025, 1, 1), 20)

    with pytest.raises(ValidationError, match="Messwerte"):
        strategy_services.draft_item_delete(actor=None, item=indicator)
    with pytest.raises(ValidationError, match="Messwerte"):
        strategy_services.draft_item_delete(actor=None, item=indicator.goal)

    assert Measurement.objects.count() == 1
