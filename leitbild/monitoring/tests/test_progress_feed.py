"""The Atom feeds of progress reports: whole site and per project, parsed as Atom
(RFC 4287): the feed and each entry carry id, title and updated, each entry a link."""

import datetime
import xml.etree.ElementTree as ET

from django.urls import reverse
from django.utils import timezone

from leitbild.monitoring import progress_services as services

from .progress_fixtures import *  # noqa: F403 (fixtures)

ATOM = "{http://www.w3.org/2005/Atom}"


def _report(project, days_ago: int, text: str):
    return services.progress_update_create(
        actor=None,
        project=project,
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        percent=30,
        status="plan",
        text=text,
    )


def _feed(client, url) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def _check_atom(feed: ET.Element) -> list[ET.Element]:
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{name}") or "").strip(), name
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    datetime.datetime.fromisoformat(feed.findtext(f"{ATOM}updated") or "")
    entries = feed.findall(f"{ATOM}entry")
    ids = []
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
        datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated") or "")
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href", "").startswith("http")
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(set(ids)) == len(ids)
    return entries


def test_the_site_feed_is_atom_with_the_reports_of_public_projects(client, project, make_project):
    _report(project, 10, "Erster Bericht")
    _report(project, 2, "Zweiter <b>Bericht</b>")
    hidden = make_project("Geheim", is_public=False)
    _report(hidden, 1, "Nicht öffentlich")
    entries = _check_atom(_feed(client, reverse("monitoring:progress_feed")))
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Digitale Parkraumsteuerung: 30 Prozent, im Plan"
    ] * 2
    summary = entries[0].findtext(f"{ATOM}summary")
    assert "Zweiter &lt;b&gt;Bericht&lt;/b&gt;" in summary  # escaped HTML, no markup
    link = entries[0].find(f"{ATOM}link").get("href")
    assert reverse("monitoring:progress_project", args=[project.pk]) in link


def test_the_project_feed_has_only_that_project(client, project, make_project):
    other = make_project("Anderes Projekt")
    _report(project, 3, "Eigener Bericht")
    _report(other, 1, "Fremder Bericht")
    url = reverse("monitoring:progress_project_feed", args=[project.pk])
    entries = _check_atom(_feed(client, url))
    assert len(entries) == 1
    assert "Eigener Bericht" in entries[0].findtext(f"{ATOM}summary")


def test_an_empty_feed_is_still_valid_atom(client, project):
    assert _check_atom(_feed(client, reverse("monitoring:progress_feed"))) == []


def test_the_feed_of_an_unpublished_project_is_not_found(client, make_project):
    hidden = make_project("Geheim", is_public=False)
    url = reverse("monitoring:progress_project_feed", args=[hidden.pk])
    assert client.get(url).status_code == 404
