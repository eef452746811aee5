"""Measurements fetched on a schedule from a CSV or JSON address, against a server on
loopback: every line or none, the same data fetched again changes nothing, a changed value of
the same source is updated, a hand-entered one never; every fault of the server is a clear
message naming the address, with nothing written."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leitbild.core.inbox import staff_inbox
from leitbild.core.models import AuditEntry, TaskProgress
from leitbild.core.roles import Role
from leitbild.monitoring import feed_services
from leitbild.monitoring.audit import MonitoringAction
from leitbild.monitoring.feed_tasks import FeedRunFailed, feed_run_task, feed_scheduled_run
from leitbild.monitoring.models import Measurement, MeasurementFeed
from leitbild.monitoring.services import MAX_CSV_BYTES
from leitbild.strategy.tests.factories import IndicatorFactory

from .conftest import measure
from .feed_server import Answer, FeedTestServer, free_port

HEADER = "indikator_id;datum;wert;quelle;kommentar;vorlaeufig\n"
JSON_TYPE = "application/json; charset=utf-8"


@pytest.fixture(autouse=True)
def _short_timeout(settings):
    settings.LEITBILD_MEASUREMENT_FEED_TIMEOUT = 0.5


@pytest.fixture
def server():
    with FeedTestServer() as running:
        yield running


def csv_feed(server, path="/messwerte.csv", **extra) -> MeasurementFeed:
    return MeasurementFeed.objects.create(
        name="Statistikstelle", url=server.url(path), format="csv", **extra
    )


def json_feed(server, path="/messwerte.json") -> MeasurementFeed:
    return MeasurementFeed.objects.create(
        name="Open-Data-Portal", url=server.url(path), format="json"
    )


def serve_csv(server, text: str, path="/messwerte.csv") -> None:
    server.answers[path] = Answer((HEADER + text).encode())


def run(feed):
    return feed_services.feed_run(actor=None, feed=feed)


# --- importing ---------------------------------------------------------------------------------


def test_a_csv_source_is_imported_and_the_run_recorded(server, indicator):
    serve_csv(server, f"{indicator.pk};31.12.2025;41,5;Statistikstelle;Jahreswert;nein\n")
    feed = csv_feed(server)

    result = run(feed)

    assert result.ok and result.created == 1
    stored = Measurement.objects.get()
    assert stored.value == Decimal("41.5") and stored.feed == feed
    assert feed.last_outcome == "ok" and feed.last_created == 1 and feed.last_error == ""
    assert feed.last_run_at is not None
    assert AuditEntry.objects.filter(action=MonitoringAction.FEED_RUN).count() == 1


def test_a_json_source_takes_numbers_strings_and_booleans(server, indicator):
    other = IndicatorFactory()
    document = {
        "messwerte": [
            {"indikator_id": indicator.pk, "datum": "2025-12-31", "wert": 1.234},
            {
                "indikator_id": str(other.pk),
                "datum": "31.03.2026",
                "wert": "1.234,5",
                "quelle": "Portal",
                "kommentar": None,
                "vorlaeufig": True,
            },
        ]
    }
    server.answers["/messwerte.json"] = Answer(json.dumps(document).encode(), JSON_TYPE)

    result = run(json_feed(server))

    assert result.ok and result.created == 2
    first = Measurement.objects.get(indicator=indicator)
    second = Measurement.objects.get(indicator=other)
    assert first.value == Decimal("1.234")  # a JSON number is never read as a thousand
    assert second.value == Decimal("1234.5") and second.provisional and second.source == "Portal"


def test_a_bare_json_list_is_read_too(server, indicator):
    body = json.dumps([{"indikator_id": indicator.pk, "datum": "2025-12-31", "wert": 7}])
    server.answers["/messwerte.json"] = Answer(body.encode(), JSON_TYPE)

    assert run(json_feed(server)).created == 1


def test_json_entries_with_wrong_keys_are_named_and_nothing_is_written(server, indicator):
    document = [
        {"indikator_id": indicator.pk, "datum": "2025-12-31", "wert": 7},
        {"indikator_id": indicator.pk, "datum": "2025-11-30", "wert": 7, "einheit": "%"},
        {"indikator_id": indicator.pk, "wert": [1]},
    ]
    server.answers["/messwerte.json"] = Answer(json.dumps(document).encode(), JSON_TYPE)
    feed = json_feed(server)

    result = run(feed)

    assert not result.ok
    assert "Zeile 2: unbekannte Felder einheit" in result.error
    assert "Zeile 3: es fehlen die Felder datum" in result.error
    assert "Zeile 3, Feld „wert“" in result.error
    assert not Measurement.objects.exists()
    assert feed.last_outcome == "failed"


def test_one_bad_line_and_nothing_is_written(server, indicator):
    serve_csv(
        server,
        f"{indicator.pk};31.12.2025;41,5;;;\n{indicator.pk};31.12.2099;42;;;\n"
        f"{indicator.pk};30.09.2025;viel;;;\n",
    )
    feed = csv_feed(server)

    result = run(feed)

    assert not result.ok
    assert not Measurement.objects.exists()
    assert feed.last_outcome == "failed" and feed.last_created == 0
    assert feed.url in feed.last_error and "nichts wurde gespeichert" in feed.last_error
    assert "Zeile 3, Spalte „datum“" in feed.last_error
    assert "Zeile 4, Spalte „wert“" in feed.last_error
    assert AuditEntry.objects.filter(action=MonitoringAction.FEED_RUN_FAILED).count() == 1


def test_fetching_the_same_data_again_changes_nothing(server, indicator):
    serve_csv(server, f"{indicator.pk};31.12.2025;41,5;Statistikstelle;;nein\n")
    feed = csv_feed(server)
    run(feed)
    entries = AuditEntry.objects.count()

    again = run(feed)

    assert again.ok and (again.created, again.updated, again.skipped) == (0, 0, 1)
    assert Measurement.objects.count() == 1
    assert AuditEntry.objects.count() == entries + 1  # only the run itself
    assert feed.last_skipped == 1


def test_a_changed_value_of_the_same_source_updates_it_with_an_audit_entry(server, indicator):
    serve_csv(server, f"{indicator.pk};31.12.2025;41,5;;vorläufig;ja\n")
    feed = csv_feed(server)
    run(feed)
    stored = Measurement.objects.get()
    serve_csv(server, f"{indicator.pk};31.12.2025;42;;endgültig;nein\n")

    result = run(feed)

    assert result.ok and result.updated == 1 and result.created == 0
    stored.refresh_from_db()
    assert stored.value == Decimal("42") and not stored.provisional
    assert stored.comment == "endgültig"
    entry = AuditEntry.objects.get(action=MonitoringAction.MEASUREMENT_FEED_UPDATE)
    assert entry.before["value"] == "41.500" and entry.after["value"] == "42.000"


def test_a_hand_entered_value_is_never_overwritten(server, indicator):
    hand = measure(indicator, datetime.date(2025, 12, 31), 40)
    serve_csv(
        server,
        f"{indicator.pk};30.09.2025;39;;;\n{indicator.pk};31.12.2025;41,5;;;\n",
    )
    feed = csv_feed(server)

    result = run(feed)

    assert not result.ok
    assert "Zeile 3, Spalte „wert“" in result.error and "von Hand" in result.error
    assert Measurement.objects.get() == hand  # nor the good line before it
    hand.refresh_from_db()
    assert hand.value == Decimal(40) and hand.feed is None


def test_a_hand_entered_value_equal_to_the_line_is_skipped(server, indicator):
    measure(indicator, datetime.date(2025, 12, 31), "41.5")
    serve_csv(server, f"{indicator.pk};31.12.2025;41,5;Statistik;;\n")

    result = run(csv_feed(server))

    assert result.ok and result.skipped == 1
    assert Measurement.objects.get().feed is None


def test_a_value_of_another_source_is_not_overwritten(server, indicator):
    serve_csv(server, f"{indicator.pk};31.12.2025;41,5;;;\n")
    run(csv_feed(server))
    serve_csv(server, f"{indicator.pk};31.12.2025;44;;;\n", path="/anderes.csv")

    result = run(csv_feed(server, path="/anderes.csv"))

    assert not result.ok and "anderen Datenquelle" in result.error
    assert Measurement.objects.get().value == Decimal("41.5")


def test_a_day_twice_in_the_answer_is_an_error(server, indicator):
    serve_csv(server, f"{indicator.pk};31.12.2025;41;;;\n{indicator.pk};2025-12-31;42;;;\n")

    result = run(csv_feed(server))

    assert not result.ok and "schon in Zeile 2" in result.error
    assert not Measurement.objects.exists()


# --- what the server does ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (Answer(b"x", status=500), "Status 500"),
        (Answer(b"x", status=503), "Status 503"),
        (Answer(b"x", status=403), "verweigert"),
        (
            Answer(b"", status=302, headers={"Location": "https://anderswo.example/a.csv"}),
            "Weiterleitungen werden nicht verfolgt",
        ),
        (Answer(b"<!DOCTYPE html><h1>Portal</h1>", "text/html; charset=utf-8"), "HTML-Seite"),
        (Answer(huge=MAX_CSV_BYTES + 10), "größer als 1024 KB"),
        (Answer(b"x" * 10, headers={"Content-Length": str(MAX_CSV_BYTES + 1)}), "größer als"),
        (Answer(HEADER.encode() + b"1;2025-12-31;\xff;;;\n"), "nicht in UTF-8"),
        (Answer(b"", delay=1.5), "nicht innerhalb von 0.5 Sekunden"),
        (Answer(HEADER.encode() * 3, trickle=0.2), "nicht innerhalb"),
    ],
    ids=["500", "503", "403", "redirect", "html", "huge", "declared", "utf8", "slow", "trickle"],
)
def test_a_fault_of_the_server_is_named_and_nothing_is_written(server, indicator, answer, expected):
    measure(indicator, datetime.date(2025, 6, 30), 20)
    server.answers["/messwerte.csv"] = answer
    feed = csv_feed(server)

    result = run(feed)

    assert not result.ok
    assert expected in result.error and feed.url in result.error
    assert feed.last_outcome == "failed" and expected in feed.last_error
    assert Measurement.objects.count() == 1


def test_a_redirect_is_not_followed(server, indicator):
    serve_csv(server, f"{indicator.pk};31.12.2025;41;;;\n", path="/ziel.csv")
    server.answers["/messwerte.csv"] = Answer(
        b"", status=301, headers={"Location": server.url("/ziel.csv")}
    )

    result = run(csv_feed(server))

    assert not result.ok and server.url("/ziel.csv") in result.error
    assert server.requests == ["/messwerte.csv"]
    assert not Measurement.objects.exists()


def test_a_missing_file_is_404(db, server):
    result = run(csv_feed(server, path="/gibt-es-nicht.csv"))

    assert not result.ok and "Status 404" in result.error


def test_no_connection_is_named(db):
    feed = MeasurementFeed.objects.create(
        name="Weg", url=f"http://127.0.0.1:{free_port()}/a.csv", format="csv"
    )

    result = run(feed)

    assert not result.ok and "Keine Verbindung" in result.error and feed.url in result.error


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"messwerte": [', "kein gültiges JSON (Zeile 1, Spalte 16)"),
        (b'{"daten": []}', "Liste von Messwerten"),
        (b"[]", "keine Messwerte"),
        (b'["a"]', "Zeile 1: kein Objekt"),
        (b"\xff\xfe[]", "nicht in UTF-8"),
    ],
)
def test_bad_json_is_named(db, server, body, expected):
    server.answers["/messwerte.json"] = Answer(body, JSON_TYPE)

    result = run(json_feed(server))

    assert not result.ok and expected in result.error
    assert not Measurement.objects.exists()


# --- the tasks and the schedule ------------------------------------------------------------------


def test_the_task_run_by_staff_reports_its_progress(server, indicator, make_user):
    user = make_user("redaktion@stadt.example", roles=[Role.EDITOR])
    serve_csv(server, f"{indicator.pk};31.12.2025;41,5;;;\n")
    feed = csv_feed(server)
    progress = feed_services.feed_run_start(actor=user, feed=feed)

    assert feed_run_task.call(str(progress.pk), feed.pk) == 1

    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.DONE
    assert "1 neu" in progress.message
    assert AuditEntry.objects.get(action=MonitoringAction.FEED_RUN).actor == user


def test_a_failed_task_shows_why_and_waits_in_the_editors_inbox(server, indicator, make_user):
    user = make_user("redaktion@stadt.example", roles=[Role.EDITOR])
    server.answers["/messwerte.csv"] = Answer(b"x", status=500)
    feed = csv_feed(server)
    progress = feed_services.feed_run_start(actor=user, feed=feed)

    with pytest.raises(FeedRunFailed):
        feed_run_task.call(str(progress.pk), feed.pk)

    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.FAILED and "Status 500" in progress.message
    failed = staff_inbox(user)["failed"]
    assert any("Statistikstelle" in entry.label for entry in failed)
    moderator = make_user("moderation@stadt.example", roles=[Role.MODERATOR])
    assert not any("Datenquelle" in e.label for e in staff_inbox(moderator)["failed"])


def test_the_schedule_runs_one_chain_per_source(server, indicator):
    serve_csv(server, f"{indicator.pk};31.12.2025;41,5;;;\n")
    feed = csv_feed(server, interval_hours=6)
    assert feed_scheduled_run.call(feed.pk, "2000-01-01T00:00:00+00:00") == "superseded"
    past = timezone.now() - datetime.timedelta(minutes=1)
    MeasurementFeed.objects.filter(pk=feed.pk).update(next_run_at=past)

    assert feed_scheduled_run.call(feed.pk, past.isoformat()) == "ok"

    feed.refresh_from_db()
    assert Measurement.objects.count() == 1
    assert feed.next_run_at > timezone.now() + datetime.timedelta(hours=5)
    queued = DBTaskResult.objects.filter(task_path__endswith="feed_scheduled_run")
    assert (
        queued.count() == 1 and queued.get().args_kwargs["args"][1] == feed.next_run_at.isoformat()
    )


def test_a_run_not_yet_due_is_put_back(db, server):
    feed = csv_feed(server)
    later = timezone.now() + datetime.timedelta(hours=2)
    MeasurementFeed.objects.filter(pk=feed.pk).update(next_run_at=later)

    assert feed_scheduled_run.call(feed.pk, later.isoformat()) == "not due"

    assert server.requests == []
    assert DBTaskResult.objects.filter(task_path__endswith="feed_scheduled_run").count() == 1


def test_a_disabled_source_is_not_run_nor_scheduled(db, server):
    feed = csv_feed(server, enabled=False)
    past = timezone.now() - datetime.timedelta(minutes=1)
    MeasurementFeed.objects.filter(pk=feed.pk).update(next_run_at=past)

    assert feed_scheduled_run.call(feed.pk, past.isoformat()) == "disabled"
    feed_services.feed_schedule(feed)

    feed.refresh_from_db()
    assert feed.next_run_at is None and server.requests == []
    assert not DBTaskResult.objects.filter(task_path__endswith="feed_scheduled_run").exists()


def test_a_failed_scheduled_run_schedules_the_next(db, server):
    server.answers["/messwerte.csv"] = Answer(b"x", status=500)
    feed = csv_feed(server)
    past = timezone.now() - datetime.timedelta(minutes=1)
    MeasurementFeed.objects.filter(pk=feed.pk).update(next_run_at=past)

    assert feed_scheduled_run.call(feed.pk, past.isoformat()) == "failed"

    feed.refresh_from_db()
    assert feed.last_outcome == "failed" and feed.next_run_at > timezone.now()


def test_the_command_runs_due_sources_only(server, indicator, capsys):
    serve_csv(server, f"{indicator.pk};31.12.2025;41,5;;;\n")
    due = csv_feed(server)
    later = csv_feed(server, path="/spaeter.csv")
    MeasurementFeed.objects.filter(pk=later.pk).update(
        next_run_at=timezone.now() + datetime.timedelta(hours=3)
    )

    call_command("measurements_fetch")

    assert "1 neu" in capsys.readouterr().out
    assert server.requests == ["/messwerte.csv"]
    due.refresh_from_db()
    assert due.next_run_at is not None
    with pytest.raises(CommandError, match="Statistikstelle"):
        call_command("measurements_fetch", "--source", str(later.pk))
    assert "Status 404" in capsys.readouterr().out
