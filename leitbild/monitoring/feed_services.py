"""Measurements fetched on a schedule from a CSV or JSON address (Datenquellen).

The Strategie-Redaktion enters a source: a name, an ``http``/``https`` address (the city's
statistics office, an open-data portal), the format and how often it is read. The task
worker reads it (``feed_tasks``; fetching in ``feed_fetch``: timeouts, no redirects, the size
bound of an upload) and imports it by the rules of the CSV upload (``services``: the same
columns, ``_parse_rows`` and so ``measurement_problems``).

**CSV** is exactly the upload's format (``services``' docstring). **JSON** is a list of
objects, or an object with that list under ``"messwerte"``, each with the CSV's columns as
keys::

    {"messwerte": [
      {"indikator_id": 12, "datum": "2026-06-30", "wert": 41.5,
       "quelle": "Statistikstelle", "kommentar": "", "vorlaeufig": false}
    ]}

``indikator_id``, ``datum`` and ``wert`` are required, the others optional; no other keys.
A JSON number is a number (``41.5``, never ambiguous), a string is read like a CSV cell
(``"41,5"``); ``vorlaeufig`` may be ``true``/``false`` or a word as in the CSV; ``null``
is an empty cell. In the messages, "Zeile n" of a JSON document is its n-th entry.

A source is read again and again, so the same data must not fail:

- a line equal to a stored measurement (same indicator, day and value) is skipped;
- a line for a stored day with another value (or another comment, source or provisional
  flag) updates that measurement if it was fetched from this same source, audited with
  before and after;
- a line for a day whose value was entered by hand (or fetched from another source) and
  differs from it is an error naming the line: a hand-entered value is never overwritten.

All or nothing: one bad line and nothing is written; the run is recorded as failed with
every bad line, it shows on the staff page and in the Strategie-Redaktion's inbox, and the
next scheduled run tries again.
"""

from __future__ import annotations

import datetime
import json
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leitbild.core.audit import audit_record, snapshot
from leitbild.core.progress import progress_start

from .audit import MonitoringAction
from .feed_fetch import FeedError, fetch, url_problem
from .models import Measurement, MeasurementFeed
from .services import (
    CSV_COLUMNS,
    CSV_REQUIRED,
    MAX_CSV_ROWS,
    CsvImportError,
    _parse_rows,
    _read_csv,
    row_measurement,
)

log = logging.getLogger(__name__)

FEED_FIELDS = ("name", "url", "format", "interval_hours", "enabled")


@dataclass(frozen=True)
class RunResult:
    ok: bool
    created: int = 0
    updated: int = 0
    skipped: int = 0
    error: str = ""

    def summary(self) -> str:
        if not self.ok:
            return self.error
        return _("{created} neu, {updated} aktualisiert, {skipped} unverändert.").format(
            created=self.created, updated=self.updated, skipped=self.skipped
        )


# --- reading JSON -------------------------------------------------------------------------------


def _cell(value) -> str | None:
    """A JSON value as the text of a CSV cell; None for one that cannot be a cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        # A JSON number has a decimal point; written with a comma it reads unambiguously
        # (``services.parse_value``: "1,234" is one and a bit, never a thousand).
        return format(value, "f").replace(".", ",")
    if isinstance(value, str):
        return value
    return None


def _read_json(data: bytes) -> tuple[list[dict[str, str]], list[int]]:
    """The entries of a JSON document as the CSV reader's rows (format in the docstring)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvImportError([_("Die Antwort ist nicht in UTF-8 kodiert.")]) from exc
    try:
        document = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise CsvImportError(
            [
                _("Die Antwort ist kein gültiges JSON (Zeile {line}, Spalte {column}).").format(
                    line=exc.lineno, column=exc.colno
                )
            ]
        ) from None
    if isinstance(document, dict) and isinstance(document.get("messwerte"), list):
        document = document["messwerte"]
    if not isinstance(document, list):
        raise CsvImportError(
            [_("Erwartet wird eine Liste von Messwerten oder ein Objekt mit „messwerte“.")]
        )
    if not document:
        raise CsvImportError([_("Die Antwort enthält keine Messwerte.")])
    if len(document) > MAX_CSV_ROWS:
        raise CsvImportError(
            [_("Die Antwort hat mehr als %(rows)d Messwerte.") % {"rows": MAX_CSV_ROWS}]
        )
    problems: list[str] = []
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    for number, entry in enumerate(document, start=1):
        if not isinstance(entry, dict):
            problems.append(_("Zeile %(line)d: kein Objekt.") % {"line": number})
            continue
        unknown = sorted(str(key) for key in entry if key not in CSV_COLUMNS)
        missing = [key for key in CSV_REQUIRED if key not in entry]
        if unknown:
            problems.append(
                _("Zeile %(line)d: unbekannte Felder %(unknown)s; erlaubt sind %(allowed)s.")
                % {
                    "line": number,
                    "unknown": ", ".join(unknown)[:200],
                    "allowed": ", ".join(CSV_COLUMNS),
                }
            )
        if missing:
            problems.append(
                _("Zeile %(line)d: es fehlen die Felder %(missing)s.")
                % {"line": number, "missing": ", ".join(missing)}
            )
        row = {}
        for key in CSV_COLUMNS:
            cell = _cell(entry.get(key))
            if cell is None:
                problems.append(
                    _("Zeile %(line)d, Feld „%(key)s“: eine Zahl, ein Text oder true/false.")
                    % {"line": number, "key": key}
                )
                cell = ""
            row[key] = cell
        rows.append(row)
        lines.append(number)
    if problems:
        raise CsvImportError(problems)
    return rows, lines


# --- importing ----------------------------------------------------------------------------------


def feed_import(
    *, actor, feed: MeasurementFeed, data: bytes, today: datetime.date | None = None
) -> RunResult:
    """Imports what ``feed`` answered, every line or none (raises CsvImportError then).

    Call inside a transaction that holds ``feed`` locked (``feed_run`` does)."""
    today = today or timezone.localdate()
    if feed.format == MeasurementFeed.Format.JSON:
        rows, lines = _read_json(data)
    else:
        rows, lines = _read_csv(data)
    parsed = _parse_rows(rows, lines, today, feed_id=feed.pk)
    new = [row for row in parsed if row.replaces is None and not row.unchanged]
    changed = {row.replaces: row for row in parsed if row.replaces is not None}
    created_by = actor if getattr(actor, "is_authenticated", False) else None
    Measurement.objects.bulk_create(
        [row_measurement(row, created_by=created_by, feed=feed) for row in new]
    )
    for measurement in Measurement.objects.filter(pk__in=list(changed)).order_by("pk"):
        row = changed[measurement.pk]
        before = snapshot(measurement, exclude=("created_by",))
        measurement.value, measurement.source = row.value, row.source
        measurement.comment, measurement.provisional = row.comment, row.provisional
        measurement.save(update_fields=["value", "source", "comment", "provisional"])
        audit_record(
            actor=actor,
            action=MonitoringAction.MEASUREMENT_FEED_UPDATE,
            obj=measurement,
            before=before,
            after=snapshot(measurement, exclude=("created_by",)),
        )
    return RunResult(
        ok=True,
        created=len(new),
        updated=len(changed),
        skipped=len(parsed) - len(new) - len(changed),
    )


def _failure_text(url: str, problems: list[str]) -> str:
    head = ngettext(
        "Die Daten von %(url)s wurden nicht importiert, nichts wurde gespeichert. Ein Fehler:",
        "Die Daten von %(url)s wurden nicht importiert, nichts wurde gespeichert. "
        "%(count)d Fehler:",
        len(problems),
    ) % {"url": url, "count": len(problems)}
    return "\n".join([head, *problems])


def feed_run(*, actor, feed: MeasurementFeed, today: datetime.date | None = None) -> RunResult:
    """Fetches ``feed`` and imports it, all or nothing; records the outcome on the source
    (and in the audit log) either way. Never raises for what the server or its data do."""
    started = timezone.now()
    try:
        data = fetch(feed.url, fmt=feed.format)  # outside any transaction: may take seconds
        with transaction.atomic():
            locked = MeasurementFeed.objects.select_for_update().get(pk=feed.pk)
            if (locked.url, locked.format) != (feed.url, feed.format):
                raise FeedError(feed.url, _("Die Datenquelle wurde während des Abrufs geändert."))
            result = feed_import(actor=actor, feed=locked, data=data, today=today)
            _record(actor=actor, feed=locked, started=started, result=result)
    except FeedError as exc:
        result = RunResult(ok=False, error=str(exc))
    except CsvImportError as exc:
        result = RunResult(ok=False, error=_failure_text(feed.url, exc.problems))
    except IntegrityError:  # a value entered by hand for the same day at the same moment
        result = RunResult(
            ok=False,
            error=_(
                "{url}: Während des Abrufs wurde ein Messwert für denselben Tag eingetragen; "
                "nichts wurde gespeichert, der nächste Abruf versucht es erneut."
            ).format(url=feed.url),
        )
    except MeasurementFeed.DoesNotExist:
        return RunResult(ok=False, error=_("Die Datenquelle wurde gelöscht."))
    if not result.ok:
        log.warning("measurement feed failed", extra={"feed": feed.pk, "url": feed.url})
        with transaction.atomic():
            still = MeasurementFeed.objects.select_for_update().filter(pk=feed.pk).first()
            if still is None:
                return result
            _record(actor=actor, feed=still, started=started, result=result)
    feed.refresh_from_db()
    return result


def _record(*, actor, feed: MeasurementFeed, started: datetime.datetime, result: RunResult):
    feed.last_run_at = started
    feed.last_outcome = MeasurementFeed.Outcome.OK if result.ok else MeasurementFeed.Outcome.FAILED
    feed.last_created, feed.last_updated = result.created, result.updated
    feed.last_skipped, feed.last_error = result.skipped, result.error[:20_000]
    feed.save(
        update_fields=[
            "last_run_at",
            "last_outcome",
            "last_created",
            "last_updated",
            "last_skipped",
            "last_error",
        ]
    )
    audit_record(
        actor=actor,
        action=MonitoringAction.FEED_RUN if result.ok else MonitoringAction.FEED_RUN_FAILED,
        obj=feed,
        after={
            "url": feed.url,
            "created": result.created,
            "updated": result.updated,
            "skipped": result.skipped,
            "error": result.error[:2000],
        },
    )


# --- the sources --------------------------------------------------------------------------------


def _check(feed: MeasurementFeed) -> None:
    problem = url_problem(feed.url)
    if problem:
        raise ValidationError({"url": problem})
    feed.full_clean()


@transaction.atomic
def feed_create(*, actor, **values) -> MeasurementFeed:
    feed = MeasurementFeed(**{name: values[name] for name in FEED_FIELDS if name in values})
    feed.name, feed.url = feed.name.strip(), feed.url.strip()
    _check(feed)
    feed.save()
    audit_record(actor=actor, action=MonitoringAction.FEED_CREATE, obj=feed, after=snapshot(feed))
    transaction.on_commit(lambda: feed_schedule(feed))
    return feed


@transaction.atomic
def feed_update(*, actor, feed: MeasurementFeed, **values) -> MeasurementFeed:
    feed = MeasurementFeed.objects.select_for_update().get(pk=feed.pk)
    before = snapshot(feed)
    timing = (feed.url, feed.interval_hours, feed.enabled)
    for name in FEED_FIELDS:
        if name in values:
            setattr(
                feed, name, values[name].strip() if isinstance(values[name], str) else values[name]
            )
    _check(feed)
    feed.save()
    audit_record(
        actor=actor,
        action=MonitoringAction.FEED_UPDATE,
        obj=feed,
        before=before,
        after=snapshot(feed),
    )
    if timing != (feed.url, feed.interval_hours, feed.enabled):
        transaction.on_commit(lambda: feed_schedule(feed))
    return feed


@transaction.atomic
def feed_delete(*, actor, feed: MeasurementFeed) -> None:
    """Deletes the source; the measurements fetched from it stay (as if entered by hand)."""
    audit_record(actor=actor, action=MonitoringAction.FEED_DELETE, obj=feed, before=snapshot(feed))
    feed.delete()


def feed_schedule(feed: MeasurementFeed, *, now: datetime.datetime | None = None) -> None:
    """Queues the source's next run after its interval; a newer schedule supersedes an older
    one (the task compares its token), so there is one chain per source however often this is
    called. A source not enabled is not scheduled."""
    from .feed_tasks import feed_scheduled_run

    if not MeasurementFeed.objects.filter(pk=feed.pk, enabled=True).exists():
        MeasurementFeed.objects.filter(pk=feed.pk).update(next_run_at=None)
        return
    run_at = (now or timezone.now()) + datetime.timedelta(hours=feed.interval_hours)
    MeasurementFeed.objects.filter(pk=feed.pk).update(next_run_at=run_at)
    feed_scheduled_run.using(run_after=run_at).enqueue(feed.pk, run_at.isoformat())


def feed_run_start(*, actor, feed: MeasurementFeed):
    """ "Jetzt abrufen": a run by the task worker, with its progress page."""
    from .feed_tasks import feed_run_task

    audit_record(actor=actor, action=MonitoringAction.FEED_RUN_START, obj=feed)
    return progress_start(
        label=_("Abruf der Datenquelle „{name}“").format(name=feed.name),
        started_by=actor,
        task=feed_run_task,
        args=(feed.pk,),
    )
