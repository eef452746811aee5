"""The Atom feeds of progress reports, whole site and per project: valid Atom by RFC 4287's
RELAX NG schema and the RFC's further rules (``atom_check``), with reports like the demo's
and the edge cases: no entries, HTML and script in a report, a photo, no lead unit."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import etree, html
from PIL import Image

from leitbild.monitoring import progress_services as services
from leitbild.monitoring.progress_models import ProgressStatus, ProgressUpdate
from leitbild.participation.images import photo_clean
from leitbild.portfolio.models import Project

from .atom_check import ATOM, atom_problems
from .progress_fixtures import *  # noqa: F403 (fixtures)

A = {"a": ATOM}


def _report(project, days_ago: int, text: str, **extra) -> ProgressUpdate:
    return services.progress_update_create(
        actor=None,
        project=project,
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        percent=extra.pop("percent", 30),
        status=extra.pop("status", ProgressStatus.ON_TRACK),
        text=text,
        notify=False,
        **extra,
    )


def _photo() -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (48, 32), (40, 110, 160)).save(out, format="PNG")
    return photo_clean(ContentFile(out.getvalue(), name="laterne.png"))


def _valid_feed(client, url) -> etree._Element:
    """The feed at ``url``, asserted to be valid Atom."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert atom_problems(response.content) == []
    return etree.fromstring(response.content)


def _site(client) -> etree._Element:
    return _valid_feed(client, reverse("monitoring:progress_feed"))


def _of(client, project) -> etree._Element:
    return _valid_feed(client, reverse("monitoring:progress_project_feed", args=[project.pk]))


def _entries(feed) -> list[etree._Element]:
    return feed.findall("a:entry", A)


def _summary_html(entry) -> etree._Element:
    """The entry's summary (type html, escaped once in the XML) parsed as HTML."""
    assert entry.find("a:summary", A).get("type") == "html"
    summary = entry.findtext("a:summary", namespaces=A)
    return html.fragment_fromstring(summary, create_parent="div")


@pytest.fixture
def several(project, make_project):
    """Reports like the demo's: three projects in different states, one not public."""
    _report(project, 200, "Ausschreibung veröffentlicht.", percent=10)
    _report(project, 90, "Pilot im Stadtteil Nord.", percent=35, status=ProgressStatus.DELAYED)
    energy = make_project("Smarte Straßenbeleuchtung", goal=1)
    _report(energy, 30, "Erste 200 Leuchten umgerüstet.\n\nNächster Schritt: Süd.", percent=60)
    stopped = make_project("Bürger-App")
    _report(stopped, 5, "Gestoppt wegen Fördermitteln.", status=ProgressStatus.STOPPED)
    hidden = make_project("Geheim", is_public=False)
    _report(hidden, 1, "Nicht öffentlich")
    return [project, energy, stopped]


def test_the_site_feed_is_valid_atom_with_the_reports_of_public_projects(client, several):
    feed = _site(client)
    titles = [e.findtext("a:title", namespaces=A) for e in _entries(feed)]
    assert titles == [
        "Bürger-App: 30 Prozent, gestoppt",
        "Smarte Straßenbeleuchtung: 60 Prozent, im Plan",
        "Digitale Parkraumsteuerung: 35 Prozent, verzögert",
        "Digitale Parkraumsteuerung: 10 Prozent, im Plan",
    ]
    newest = _entries(feed)[0]
    assert feed.findtext("a:updated", namespaces=A) == newest.findtext("a:updated", namespaces=A)
    self_link = feed.find("a:link[@rel='self']", A).get("href")
    assert self_link == "http://testserver" + reverse("monitoring:progress_feed")
    link = newest.find("a:link[@rel='alternate']", A).get("href")
    assert link.startswith(
        "http://testserver" + reverse("monitoring:progress_project", args=[several[2].pk])
    )
    assert newest.findtext("a:author/a:name", namespaces=A) == "Amt für Digitalisierung"


def test_each_project_feed_is_valid_atom_with_only_that_project(client, several):
    counts = [len(_entries(_of(client, p))) for p in several]
    assert counts == [2, 1, 1]
    entry = _entries(_of(client, several[1]))[0]
    paragraphs = _summary_html(entry).findall("p")
    assert [p.text for p in paragraphs] == [
        "Erste 200 Leuchten umgerüstet.",
        "Nächster Schritt: Süd.",
    ]


def test_feeds_without_entries_are_valid_atom(client, project):
    for feed in (_site(client), _of(client, project)):
        assert _entries(feed) == []
        assert feed.findtext("a:author/a:name", namespaces=A)  # RFC 4287 4.1.1
        assert feed.findtext("a:updated", namespaces=A)


def test_html_and_script_in_a_report_stay_text(client, project):
    text = 'Kosten < 5 € & "Ampel" > alt\n<script>alert(1)</script><b>fett</b>'
    _report(project, 1, text)
    for feed in (_site(client), _of(client, project)):
        (entry,) = _entries(feed)
        summary = entry.findtext("a:summary", namespaces=A)
        assert "<script" not in summary and "<b>" not in summary
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in summary
        shown = _summary_html(entry)
        assert shown.find(".//script") is None and shown.find(".//b") is None
        assert "".join(shown.itertext()).strip() == text.replace("\n", "")


def test_a_report_with_a_photo_shows_it_with_its_description(client, project):
    update = _report(project, 1, "Sensor montiert.", photo=_photo(), photo_description="Laterne")
    plain = _report(project, 2, "Ohne Bild.")
    for feed in (_site(client), _of(client, project)):
        with_photo, without = _entries(feed)
        (image,) = _summary_html(with_photo).iter("img")
        assert image.get("src") == "http://testserver" + update.photo.url
        assert image.get("alt") == "Laterne"
        assert not list(_summary_html(without).iter("img"))
    assert plain.photo.name == ""


def test_a_photo_without_description_gets_a_dated_alternative_text(client, project):
    _report(project, 0, "Baustelle.", photo=_photo())
    (entry,) = _entries(_site(client))
    (image,) = _summary_html(entry).iter("img")
    assert image.get("alt").startswith("Foto zum Bericht vom ")


def test_a_project_without_lead_unit_takes_the_feeds_author(client, project, make_project):
    orphan = make_project("Ohne Federführung", lead_unit=None)
    assert Project.objects.get(pk=orphan.pk).lead_unit is None
    _report(orphan, 1, "Noch niemand zuständig.")
    _report(project, 2, "Mit Amt.")
    for feed in (_site(client), _of(client, orphan)):
        entry = _entries(feed)[0]
        assert entry.find("a:author", A) is None
        assert feed.findtext("a:author/a:name", namespaces=A).startswith("Stadt ")
    assert _entries(_site(client))[1].findtext("a:author/a:name", namespaces=A) == (
        "Amt für Digitalisierung"
    )


def test_a_feed_takes_the_same_queries_for_one_report_or_many(client, project, make_project):
    _report(project, 3, "Eins.")
    url = reverse("monitoring:progress_feed")
    client.get(url)  # the first request of a process caches what every page needs
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(3):
        _report(make_project(f"Projekt {number}"), number, "Mehr.")
    with CaptureQueriesContext(connection) as many:
        _site(client)
    assert len(many) == len(one) == 1


def test_the_feed_of_an_unpublished_project_is_not_found(client, make_project):
    hidden = make_project("Geheim", is_public=False)
    url = reverse("monitoring:progress_project_feed", args=[hidden.pk])
    assert client.get(url).status_code == 404


def test_the_feeds_of_the_demo_city_are_valid_atom(db, client, settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    from leitbild.core.demo import demo_load
    from leitbild.monitoring import progress_demo, progress_selectors

    demo_load()
    progress_demo.load()
    site = _site(client)
    assert _entries(site)
    assert any(list(_summary_html(e).iter("img")) for e in _entries(site))
    projects = list(progress_selectors.public_projects())
    assert projects
    for project in projects:
        _of(client, project)
