"""The Strategie-Redaktion's pages for measurement sources: the list with the last outcome,
adding (an invalid address keeps the input), changing, "Jetzt abrufen", deleting."""

import pytest
from django.urls import reverse
from django.utils import timezone

from leitbild.core.models import AuditEntry, TaskProgress
from leitbild.core.roles import Role
from leitbild.monitoring.audit import MonitoringAction
from leitbild.monitoring.models import Measurement, MeasurementFeed

GOOD = {
    "name": "Statistikstelle: Radverkehr",
    "url": "https://statistik.musterstadt.example/radverkehr.csv",
    "format": "csv",
    "interval_hours": "24",
    "enabled": "on",
}


@pytest.fixture
def feed(db):
    return MeasurementFeed.objects.create(
        name="Open-Data-Portal: Ladepunkte",
        url="https://daten.musterstadt.invalid/ladepunkte.json",
        format="json",
        last_outcome="failed",
        last_run_at=timezone.now(),
        last_error="https://daten.musterstadt.invalid/ladepunkte.json: Keine Verbindung",
    )


@pytest.mark.parametrize("name", ["monitoring:feed_list", "monitoring:feed_create"])
def test_other_roles_are_refused(client_for, name):
    for role in (Role.MODERATOR, Role.ASSESSOR, Role.COUNCIL_OFFICE):
        assert client_for(role).get(reverse(name)).status_code == 403


def test_the_indicator_page_links_to_the_sources(editor_client):
    page = editor_client.get(reverse("monitoring:staff_indicators")).content.decode()

    assert reverse("monitoring:feed_list") in page


def test_the_list_shows_the_last_error(editor_client, feed):
    page = editor_client.get(reverse("monitoring:feed_list")).content.decode()

    assert feed.name in page and "fehlgeschlagen" in page and "Keine Verbindung" in page
    assert "Jetzt abrufen" in page


def test_a_source_is_added_and_audited(editor_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("monitoring:feed_create"), GOOD)

    assert response.status_code == 302
    feed = MeasurementFeed.objects.get()
    assert feed.url == GOOD["url"] and feed.interval_hours == 24 and feed.enabled
    assert feed.next_run_at is not None  # the chain of scheduled runs has begun
    assert AuditEntry.objects.filter(action=MonitoringAction.FEED_CREATE).count() == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://statistik.musterstadt.example/a.csv", "http:// oder https://"),
        ("javascript:alert(1)", "gültige Adresse"),
        ("https://nutzer:geheim@statistik.musterstadt.example/a.csv", "Kennwort"),
    ],
)
def test_an_invalid_address_keeps_the_input(editor_client, url, message):
    response = editor_client.post(reverse("monitoring:feed_create"), {**GOOD, "url": url})

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert GOOD["name"] in page
    assert not MeasurementFeed.objects.exists()


def test_a_source_is_changed(editor_client, feed):
    url = reverse("monitoring:feed_edit", args=[feed.pk])
    assert "Keine Verbindung" in editor_client.get(url).content.decode()

    response = editor_client.post(url, {**GOOD, "format": "csv", "interval_hours": "168"})

    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.name == GOOD["name"] and feed.interval_hours == 168
    assert AuditEntry.objects.filter(action=MonitoringAction.FEED_UPDATE).count() == 1


def test_jetzt_abrufen_queues_a_run_with_its_progress(editor_client, feed):
    response = editor_client.post(reverse("monitoring:feed_run", args=[feed.pk]))

    progress = TaskProgress.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:progress_detail", args=[progress.pk])
    assert feed.name in progress.label
    assert editor_client.get(reverse("monitoring:feed_run", args=[feed.pk])).status_code == 405


def test_a_source_is_deleted_and_its_values_stay(editor_client, feed, indicator):
    Measurement.objects.create(indicator=indicator, measured_on="2025-12-31", value=3, feed=feed)
    url = reverse("monitoring:feed_delete", args=[feed.pk])
    assert feed.name in editor_client.get(url).content.decode()

    response = editor_client.post(url)

    assert response.status_code == 302
    assert not MeasurementFeed.objects.exists()
    assert Measurement.objects.get().feed is None
    assert AuditEntry.objects.filter(action=MonitoringAction.FEED_DELETE).count() == 1


def test_a_missing_source_is_404(editor_client, db):
    assert editor_client.get(reverse("monitoring:feed_edit", args=[999])).status_code == 404


def test_the_list_makes_as_many_queries_for_many_sources_as_for_one(editor_client, feed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("monitoring:feed_list")
    editor_client.get(url)  # fills what the layout caches

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(url).status_code == 200
        return len(captured)

    one = count()
    for n in range(9):
        MeasurementFeed.objects.create(
            name=f"Quelle {n}", url=f"https://statistik.musterstadt.example/{n}.csv"
        )
    assert count() == one
