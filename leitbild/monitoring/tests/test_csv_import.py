"""Measurements from a CSV file: every line or none, every bad line named with its column."""

import datetime
from decimal import Decimal

import pytest

from leitbild.core.models import AuditEntry
from leitbild.monitoring import services
from leitbild.monitoring.models import Measurement
from leitbild.monitoring.services import CsvImportError, measurements_import_csv
from leitbild.strategy.tests.factories import IndicatorFactory

from .conftest import measure

TODAY = datetime.date(2026, 6, 30)


def run(text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    return measurements_import_csv(actor=None, data=data, today=TODAY)


def problems_of(text) -> list[str]:
    with pytest.raises(CsvImportError) as exc:
        run(text)
    return exc.value.problems


def test_a_good_file_with_semicolons_bom_and_decimal_commas_is_imported(indicator):
    other = IndicatorFactory()
    text = (
        "indikator_id;datum;wert;quelle;kommentar;vorlaeufig\n"
        f"{indicator.pk};31.12.2025;41,5;Statistikstelle;Jahreswert;nein\n"
        f"{indicator.pk};2026-03-31;1.234,5;;;ja\n"
        "\n"
        f"{other.pk};2026-03-31;7;;;\n"
    )

    created = run("\ufeff" + text)

    assert len(created) == 3
    first = Measurement.objects.get(indicator=indicator, measured_on=datetime.date(2025, 12, 31))
    assert (first.value, first.source, first.comment, first.provisional) == (
        Decimal("41.5"),
        "Statistikstelle",
        "Jahreswert",
        False,
    )
    assert Measurement.objects.get(
        measured_on=datetime.date(2026, 3, 31), indicator=indicator
    ).provisional
    entry = AuditEntry.objects.get(action="monitoring.measurements.import")
    assert entry.after["count"] == 3


def test_commas_separate_when_the_header_has_no_semicolon(indicator):
    run(
        f'datum,wert,indikator_id\n2026-01-31,"12,5",{indicator.pk}\n2026-02-28,13.5,{indicator.pk}\n'
    )

    assert sorted(Measurement.objects.values_list("value", flat=True)) == [
        Decimal("12.5"),
        Decimal("13.5"),
    ]


def test_every_bad_line_is_named_with_its_column_and_nothing_is_written(indicator):
    text = (
        "indikator_id;datum;wert;vorlaeufig\n"
        f"{indicator.pk};2026-01-31;12;nein\n"  # line 2: good
        f"{indicator.pk};2026-02-30;12;nein\n"  # line 3: no such day
        f"{indicator.pk};2026-03-31;zwölf;nein\n"  # line 4: not a number
        "999999;2026-03-31;12;nein\n"  # line 5: unknown indicator
        f"{indicator.pk};2027-01-01;12;vielleicht\n"  # line 6: future, bad flag
        f"{indicator.pk};2026-01-31;13;nein\n"  # line 7: same day as line 2
    )

    problems = problems_of(text)

    assert problems == [
        "Zeile 3, Spalte „datum“: „2026-02-30“ ist kein Datum (erwartet z. B. 2026-06-30 oder "
        "30.06.2026).",
        "Zeile 4, Spalte „wert“: „zwölf“ ist keine Zahl.",
        "Zeile 5, Spalte „indikator_id“: „999999“ ist kein bekannter Indikator.",
        "Zeile 6, Spalte „vorlaeufig“: „vielleicht“: bitte „ja“ oder „nein“.",
        "Zeile 6, Spalte „datum“: Der Stichtag liegt in der Zukunft; heute ist der 30.06.2026.",
        "Zeile 7, Spalte „datum“: Derselbe Indikator und Tag stehen schon in Zeile 2.",
    ]
    assert not Measurement.objects.exists()
    assert not AuditEntry.objects.filter(action="monitoring.measurements.import").exists()


def test_a_day_that_already_has_a_value_is_refused(indicator):
    measure(indicator, datetime.date(2026, 1, 31), 10)

    problems = problems_of(f"indikator_id;datum;wert\n{indicator.pk};31.01.2026;12\n")

    assert problems == [
        "Zeile 2, Spalte „datum“: Für den 31.01.2026 gibt es schon einen Messwert "
        "dieses Indikators."
    ]
    assert Measurement.objects.count() == 1


def test_the_header_must_name_the_required_columns_and_no_others(indicator):
    assert problems_of("indikator;datum\n1;2026-01-01\n") == [
        "Zeile 1: unbekannte Spalten indikator; erlaubt sind indikator_id, datum, wert, quelle, "
        "kommentar, vorlaeufig.",
        "Zeile 1: es fehlen die Spalten indikator_id, wert.",
    ]


def test_a_line_with_too_few_cells_is_named(indicator):
    assert problems_of(f"indikator_id;datum;wert\n{indicator.pk};2026-01-01\n") == [
        "Zeile 2: 2 Spalten statt 3."
    ]


def test_a_file_not_in_utf8_is_refused_with_its_line(indicator):
    data = f"indikator_id;datum;wert;quelle\n{indicator.pk};2026-01-01;1;Zählung\n".encode(
        "latin-1"
    )

    assert problems_of(data) == ["Zeile 2: Die Datei ist nicht in UTF-8 kodiert."]


def test_empty_files_and_files_without_data_are_refused(db):
    assert problems_of("") == ["Die Datei ist leer; erwartet wird eine Kopfzeile."]
    assert problems_of("indikator_id;datum;wert\n") == ["Die Datei enthält keine Messwerte."]


def test_size_and_rows_are_limited(indicator, monkeypatch):
    too_large = b"indikator_id;datum;wert\n" + b"x" * services.MAX_CSV_BYTES
    assert "zu groß" in problems_of(too_large)[0]

    monkeypatch.setattr(services, "MAX_CSV_ROWS", 2)
    lines = "".join(f"{indicator.pk};2026-01-0{d};1\n" for d in (1, 2, 3))
    assert problems_of("indikator_id;datum;wert\n" + lines) == [
        "Die Datei hat mehr als 2 Datenzeilen."
    ]
    assert not Measurement.objects.exists()
