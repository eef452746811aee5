"""Writes of the indicator monitoring: measurements, one by one or from a CSV file.

Both paths check a measurement with the same rules (``measurement_problems``): the value a
number that fits the database (at most 11 digits before and 3 after the decimal mark), the
date neither in the future nor before 1900, one measurement per indicator and day, none for a
qualitative indicator. Every write is audited.

The CSV file (``measurements_import_csv``) has a header line and these columns, in any order:

========== ======== ==========================================================================
column     required meaning
========== ======== ==========================================================================
indikator_id  yes   the number of the indicator (shown on the staff page of each indicator)
datum      yes      the day measured: ``2026-06-30`` or ``30.06.2026``
wert       yes      the value: ``12.5``, ``12,5``, ``1.234,5`` or ``1.234.567`` (German
                    notation accepted); ``1.234`` is refused as ambiguous
quelle     no       where the value comes from
kommentar  no       a note
vorlaeufig no       ``ja``/``nein`` (also ``1``/``0``, ``true``/``false``, ``x``; empty: no)
========== ======== ==========================================================================

Separated by semicolons or commas (the header line decides), UTF-8 with or without BOM, at
most ``MAX_CSV_BYTES`` bytes and ``MAX_CSV_ROWS`` lines of data. A file with any bad line is
refused as a whole, naming every bad line and column; nothing is written then.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leitbild.core.audit import audit_record, snapshot
from leitbild.strategy.models import Indicator

from .audit import MonitoringAction
from .models import Measurement
from .templatetags.monitoring import measure

EARLIEST = datetime.date(1900, 1, 1)
MAX_DIGITS_BEFORE = 11  # max_digits 14 with 3 decimal places
MAX_DECIMALS = 3
MAX_CSV_BYTES = 1024 * 1024
MAX_CSV_ROWS = 5000
CSV_COLUMNS = ("indikator_id", "datum", "wert", "quelle", "kommentar", "vorlaeufig")
CSV_REQUIRED = ("indikator_id", "datum", "wert")
TRUE_WORDS = {"ja", "j", "1", "true", "wahr", "x", "yes", "y"}
FALSE_WORDS = {"", "nein", "n", "0", "false", "falsch", "no"}


def parse_value(text: str | Decimal | int | float) -> Decimal:
    """A number as staff type it: ``12.5``, ``12,5``, ``1.234,5``, ``-3``; raises
    ValueError with the reason otherwise."""
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int | float):
        value = Decimal(str(text))
    else:
        cleaned = re.sub(r"[\s\u00a0\u202f]", "", str(text))
        if not cleaned:
            raise ValueError(_("Bitte geben Sie einen Wert an."))
        if "," in cleaned:
            # German notation: the points group thousands, the comma is the decimal mark.
            if cleaned.count(",") > 1:
                raise ValueError(_("„%(text)s“ ist keine Zahl.") % {"text": text})
            cleaned = cleaned.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"[+-]?\d{1,3}(\.\d{3}){2,}", cleaned):
            cleaned = cleaned.replace(".", "")  # only thousands can have several points
        elif re.fullmatch(r"[+-]?[1-9]\d{0,2}\.\d{3}", cleaned):
            # "1.234": a thousand and more in German, one and a bit in English; a silent
            # factor of 1000 is worse than asking.
            raise ValueError(
                _(
                    "„%(text)s“ ist mehrdeutig: Bitte ohne Tausenderpunkt (%(whole)s) oder mit "
                    "Dezimalkomma (%(decimal)s) schreiben."
                )
                % {
                    "text": text,
                    "whole": cleaned.replace(".", ""),
                    "decimal": cleaned.replace(".", ","),
                }
            )
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", cleaned):
            raise ValueError(_("„%(text)s“ ist keine Zahl.") % {"text": text})
        try:
            value = Decimal(cleaned)
        except InvalidOperation as exc:
            raise ValueError(_("„%(text)s“ ist keine Zahl.") % {"text": text}) from exc
    if not value.is_finite():
        raise ValueError(_("Der Wert muss eine endliche Zahl sein."))
    if abs(value) >= Decimal(10) ** MAX_DIGITS_BEFORE:
        raise ValueError(_("Der Wert ist zu groß (höchstens 11 Stellen vor dem Komma)."))
    if value != value.quantize(Decimal("0.001")):
        raise ValueError(_("Bitte höchstens drei Nachkommastellen angeben."))
    return value.quantize(Decimal("0.001"))


def measurement_problems(
    *,
    indicator: Indicator | None,
    measured_on: datetime.date | None,
    today: datetime.date,
) -> dict[str, str]:
    """What is wrong with a measurement's indicator and date, field → message."""
    problems: dict[str, str] = {}
    if indicator is not None and indicator.qualitative:
        problems["indicator"] = _(
            "„%(name)s“ ist ein qualitativer Indikator; für ihn werden keine Messwerte erfasst."
        ) % {"name": indicator.name}
    if measured_on is not None:
        if measured_on > today:
            problems["measured_on"] = _(
                "Der Stichtag liegt in der Zukunft; heute ist der %(today)s."
            ) % {"today": date_format(today, "SHORT_DATE_FORMAT")}
        elif measured_on < EARLIEST:
            problems["measured_on"] = _("Der Stichtag darf nicht vor dem 1. Januar 1900 liegen.")
    return problems


def _duplicate_message(day: datetime.date) -> str:
    return _("Für den %(day)s gibt es schon einen Messwert dieses Indikators.") % {
        "day": date_format(day, "SHORT_DATE_FORMAT")
    }


@transaction.atomic
def measurement_record(
    *,
    actor,
    indicator: Indicator,
    value: str | Decimal,
    measured_on: datetime.date,
    source: str = "",
    comment: str = "",
    provisional: bool = False,
    today: datetime.date | None = None,
) -> Measurement:
    """Records one measurement; raises ValidationError naming the field that is wrong."""
    today = today or timezone.localdate()
    problems = measurement_problems(indicator=indicator, measured_on=measured_on, today=today)
    try:
        number = parse_value(value)
    except ValueError as exc:
        problems["value"] = str(exc)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if Measurement.objects.filter(indicator=indicator, measured_on=measured_on).exists():
        problems.setdefault("measured_on", _duplicate_message(measured_on))
    if problems:
        raise ValidationError(problems)
    measurement = Measurement(
        indicator=indicator,
        value=number,
        measured_on=measured_on,
        source=source.strip(),
        comment=comment.strip(),
        provisional=provisional,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    measurement.full_clean()
    measurement.save()
    audit_record(
        actor=actor,
        action=MonitoringAction.MEASUREMENT_RECORD,
        obj=measurement,
        after=snapshot(measurement, exclude=("created_by",)),
    )
    return measurement


@transaction.atomic
def measurement_delete(*, actor, measurement: Measurement) -> None:
    before = snapshot(measurement, exclude=("created_by",))
    audit_record(
        actor=actor, action=MonitoringAction.MEASUREMENT_DELETE, obj=measurement, before=before
    )
    measurement.delete()


def indicator_check_unmeasured(item) -> None:
    """Refuses deleting a draft indicator (or the goal or field above it) that has
    measurements: deleting it would silently delete them.

    Registered with ``strategy.services.register_delete_guard`` (``MonitoringConfig.ready``).
    """
    from leitbild.strategy.models import ActionField, Goal

    if isinstance(item, Indicator):
        measured = Indicator.objects.filter(pk=item.pk)
    elif isinstance(item, Goal):
        measured = Indicator.objects.filter(goal=item)
    elif isinstance(item, ActionField):
        measured = Indicator.objects.filter(goal__field=item)
    else:
        return
    names = list(
        measured.filter(measurements__isnull=False).distinct().values_list("name", flat=True)
    )
    if names:
        raise ValidationError(
            _(
                "„%(item)s“ kann nicht gelöscht werden, weil es Messwerte zu diesen Indikatoren "
                "gibt: %(names)s. Löschen Sie zuerst die Messwerte im Monitoring."
            )
            % {"item": item, "names": ", ".join(f"„{n}“" for n in sorted(names))}
        )


def _conflict_message(before: Measurement) -> str:
    if before.feed_id is None:
        return _(
            "Für den %(day)s gibt es schon einen von Hand eingetragenen Messwert (%(value)s) "
            "dieses Indikators; er wird nicht überschrieben. Löschen Sie ihn, wenn der Wert "
            "der Datenquelle gelten soll."
        ) % {
            "day": date_format(before.measured_on, "SHORT_DATE_FORMAT"),
            "value": measure(before.value),
        }
    return _(
        "Für den %(day)s gibt es schon einen Messwert (%(value)s) dieses Indikators aus einer "
        "anderen Datenquelle; er wird nicht überschrieben."
    ) % {
        "day": date_format(before.measured_on, "SHORT_DATE_FORMAT"),
        "value": measure(before.value),
    }


# --- CSV import ---------------------------------------------------------------------------------


class CsvImportError(Exception):
    """The file was refused as a whole; ``problems`` name every bad line and column."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class _Row:
    line: int
    indicator_id: int
    measured_on: datetime.date
    value: Decimal
    source: str
    comment: str
    provisional: bool
    # Only for a scheduled source (``feed_services``): the measurement of the same source
    # this line changes, or ``unchanged`` if one with the same value exists already.
    replaces: int | None = None
    unchanged: bool = False


def _line_problem(line: int, column: str, message: str) -> str:
    return _("Zeile %(line)d, Spalte „%(column)s“: %(message)s") % {
        "line": line,
        "column": column,
        "message": message,
    }


def _parse_date(text: str) -> datetime.date:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(
        _("„%(text)s“ ist kein Datum (erwartet z. B. 2026-06-30 oder 30.06.2026).") % {"text": text}
    )


def _read_csv(data: bytes) -> tuple[list[dict[str, str]], list[int]]:
    """The data lines as dicts and their line numbers; raises CsvImportError for a file
    that cannot be read at all."""
    if len(data) > MAX_CSV_BYTES:
        raise CsvImportError(
            [_("Die Datei ist zu groß: höchstens %(kb)d KB.") % {"kb": MAX_CSV_BYTES // 1024}]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvImportError(
            [_("Zeile %(line)d: Die Datei ist nicht in UTF-8 kodiert.") % {"line": line}]
        ) from exc
    if "\x00" in text:
        raise CsvImportError([_("Die Datei ist keine Textdatei.")])
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise CsvImportError([_("Zeile 1: %(error)s") % {"error": exc}]) from exc
    if not header or not any(cell.strip() for cell in header):
        raise CsvImportError([_("Die Datei ist leer; erwartet wird eine Kopfzeile.")])
    names = [cell.strip().lower() for cell in header]
    problems = []
    unknown = [n for n in names if n not in CSV_COLUMNS]
    if unknown:
        problems.append(
            _("Zeile 1: unbekannte Spalten %(unknown)s; erlaubt sind %(allowed)s.")
            % {"unknown": ", ".join(unknown), "allowed": ", ".join(CSV_COLUMNS)}
        )
    missing = [n for n in CSV_REQUIRED if n not in names]
    if missing:
        problems.append(
            _("Zeile 1: es fehlen die Spalten %(missing)s.") % {"missing": ", ".join(missing)}
        )
    if len(set(names)) != len(names):
        problems.append(_("Zeile 1: eine Spalte kommt doppelt vor."))
    if problems:
        raise CsvImportError(problems)
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # blank lines are skipped
            if len(rows) >= MAX_CSV_ROWS:
                raise CsvImportError(
                    [_("Die Datei hat mehr als %(rows)d Datenzeilen.") % {"rows": MAX_CSV_ROWS}]
                )
            if len(cells) != len(names):
                problems.append(
                    _("Zeile %(line)d: %(found)d Spalten statt %(expected)d.")
                    % {"line": reader.line_num, "found": len(cells), "expected": len(names)}
                )
                continue
            rows.append(dict(zip(names, cells, strict=True)))
            lines.append(reader.line_num)
    except csv.Error as exc:
        problems.append(_("Zeile %(line)d: %(error)s") % {"line": reader.line_num, "error": exc})
    if problems:
        raise CsvImportError(problems)
    if not rows:
        raise CsvImportError([_("Die Datei enthält keine Messwerte.")])
    return rows, lines


def _parse_rows(
    rows: list[dict[str, str]],
    lines: list[int],
    today: datetime.date,
    *,
    feed_id: int | None = None,
) -> list[_Row]:
    """The lines checked by ``measurement_problems`` and parsed, or CsvImportError naming
    every bad one.

    Without ``feed_id`` (an upload) a day that already has a value is an error. With it (a
    scheduled source, ``feed_services``) a line equal in value to the existing measurement is
    ``unchanged``, one with another value ``replaces`` the existing one if that came from the
    same source, and is an error otherwise (a value entered by hand is never overwritten).
    """
    problems: list[str] = []
    raw_ids = {}
    for row, line in zip(rows, lines, strict=True):
        text = row["indikator_id"].strip()
        if text.isdigit() and 0 < int(text) < 2**63:
            raw_ids[line] = int(text)
    indicators = Indicator.objects.in_bulk(set(raw_ids.values()))
    existing = {
        (m.indicator_id, m.measured_on): m
        for m in Measurement.objects.filter(indicator_id__in=list(indicators)).only(
            "pk",
            "indicator_id",
            "measured_on",
            "value",
            "feed_id",
            "source",
            "comment",
            "provisional",
        )
    }
    seen: dict[tuple[int, datetime.date], int] = {}
    parsed = []
    for row, line in zip(rows, lines, strict=True):
        bad = len(problems)
        indicator = indicators.get(raw_ids.get(line, 0))
        if indicator is None:
            problems.append(
                _line_problem(
                    line,
                    "indikator_id",
                    _("„%(text)s“ ist kein bekannter Indikator.") % {"text": row["indikator_id"]},
                )
            )
        measured_on = None
        try:
            measured_on = _parse_date(row["datum"])
        except ValueError as exc:
            problems.append(_line_problem(line, "datum", str(exc)))
        value = None
        try:
            value = parse_value(row["wert"])
        except ValueError as exc:
            problems.append(_line_problem(line, "wert", str(exc)))
        flag = row.get("vorlaeufig", "").strip().lower()
        if flag not in TRUE_WORDS | FALSE_WORDS:
            problems.append(
                _line_problem(
                    line, "vorlaeufig", _("„%(text)s“: bitte „ja“ oder „nein“.") % {"text": flag}
                )
            )
        column_of = {"indicator": "indikator_id", "measured_on": "datum"}
        for name, message in measurement_problems(
            indicator=indicator, measured_on=measured_on, today=today
        ).items():
            problems.append(_line_problem(line, column_of[name], message))
        before = None
        if indicator is not None and measured_on is not None:
            key = (indicator.pk, measured_on)
            before = existing.get(key)
            if before is not None and feed_id is None:
                problems.append(_line_problem(line, "datum", _duplicate_message(measured_on)))
            elif key in seen:
                problems.append(
                    _line_problem(
                        line,
                        "datum",
                        _("Derselbe Indikator und Tag stehen schon in Zeile %(other)d.")
                        % {"other": seen[key]},
                    )
                )
            else:
                seen[key] = line
                if before is not None and value is not None:
                    if before.value != value and before.feed_id != feed_id:
                        problems.append(_line_problem(line, "wert", _conflict_message(before)))
        for column, limit in (("quelle", 300), ("kommentar", 1000)):
            if len(row.get(column, "")) > limit:
                problems.append(
                    _line_problem(
                        line, column, _("höchstens %(limit)d Zeichen.") % {"limit": limit}
                    )
                )
        if len(problems) == bad:
            assert indicator is not None and measured_on is not None and value is not None
            parsed_row = _Row(
                line=line,
                indicator_id=indicator.pk,
                measured_on=measured_on,
                value=value,
                source=row.get("quelle", "").strip(),
                comment=row.get("kommentar", "").strip(),
                provisional=flag in TRUE_WORDS,
            )
            if before is not None:
                same = (before.value, before.source, before.comment, before.provisional) == (
                    value,
                    parsed_row.source,
                    parsed_row.comment,
                    parsed_row.provisional,
                )
                if before.value == value and (same or before.feed_id != feed_id):
                    parsed_row.unchanged = True
                else:
                    parsed_row.replaces = before.pk
            parsed.append(parsed_row)
    if problems:
        raise CsvImportError(problems)
    return parsed


def row_measurement(row: _Row, *, created_by, feed=None) -> Measurement:
    """The new measurement of a checked import line (an upload's, or a source's)."""
    return Measurement(
        indicator_id=row.indicator_id,
        measured_on=row.measured_on,
        value=row.value,
        source=row.source,
        comment=row.comment,
        provisional=row.provisional,
        created_by=created_by,
        feed=feed,
    )


@transaction.atomic(durable=True)
def measurements_import_csv(
    *, actor, data: bytes, today: datetime.date | None = None
) -> list[Measurement]:
    """Imports every line of a CSV file (format in this module's docstring) or none.

    Raises CsvImportError listing every bad line with its column; then nothing is written.
    """
    today = today or timezone.localdate()
    rows, lines = _read_csv(data)
    parsed = _parse_rows(rows, lines, today)
    created_by = actor if getattr(actor, "is_authenticated", False) else None
    created = Measurement.objects.bulk_create(
        [row_measurement(row, created_by=created_by) for row in parsed]
    )
    audit_record(
        actor=actor,
        action=MonitoringAction.MEASUREMENTS_IMPORT,
        object_type=Measurement._meta.label,
        object_repr=ngettext("%(count)d Messwert", "%(count)d Messwerte", len(created))
        % {"count": len(created)},
        after={
            "count": len(created),
            "indicators": sorted({row.indicator_id for row in parsed}),
        },
    )
    return created
