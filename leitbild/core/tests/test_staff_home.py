"""The staff home offers each role only what it may open, and takes a constant number of
queries."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from leitbild.core.roles import Role

# Links of the page frame (language switch, log-out) are not the staff home's offer.
FRAME = ("/sprache/", "/abmelden/")


@pytest.fixture
def demo_city(db):
    from leitbild.core.demo import demo_load

    demo_load()


def _main_links(html: str) -> list[str]:
    main = html[html.index('<main id="inhalt"') : html.index("</main>")]
    links = {href.split("#")[0] for href in re.findall(r'<a [^>]*href="([^"]+)"', main)}
    return sorted(h for h in links if h.startswith("/") and not h.startswith(FRAME))


def test_every_link_on_the_staff_home_answers_200_for_every_role(demo_city, staff_users):
    refused: list[str] = []
    offered: dict[str, list[str]] = {}
    for role in [*Role.values]:
        client = Client()
        client.force_login(staff_users[role])
        links = _main_links(client.get("/verwaltung/").content.decode())
        offered[role] = links
        for link in links:
            status = client.get(link).status_code
            if status != 200:
                refused.append(f"{role}: {link} answers {status}")
    assert refused == []
    # Bewertung and Ratsbüro used to be offered three areas that all answered 403.
    areas = ("/strategie/verwaltung/", "/umsetzung/verwaltung/", "/mitmachen/verwaltung/")
    for role in (Role.ASSESSOR, Role.COUNCIL_OFFICE):
        assert not set(areas) & set(offered[role]), offered[role]
    assert "/umsetzung/verwaltung/priorisierung/" in offered[Role.ASSESSOR]
    assert any(link.endswith("/beschluss/") for link in offered[Role.COUNCIL_OFFICE])
    assert len(offered[Role.ADMIN]) > len(offered[Role.EDITOR]) > len(offered[Role.ASSESSOR])


@pytest.mark.parametrize("role", list(Role.values))
def test_the_staff_home_takes_a_constant_number_of_queries(
    role, staff_users, django_assert_num_queries
):
    """As many queries on an empty instance as on the whole demo city (its processes, queues,
    phases, rounds and versions)."""
    from leitbild.core.demo import demo_load
    from leitbild.core.models import TaskProgress

    client = Client()
    client.force_login(staff_users[role])
    client.get("/verwaltung/")
    with CaptureQueriesContext(connection) as empty:
        client.get("/verwaltung/")
    queries = len(empty)  # now: the log is a bounded deque that the demo city overflows
    demo_load()
    for number in range(3):
        for status in ("running", "failed"):
            TaskProgress.objects.create(
                label=f"Aufgabe {number}", started_by=staff_users[role], status=status, total=5
            )
    client.get("/verwaltung/")  # the site settings' cache, emptied by the demo, filled again
    with django_assert_num_queries(queries):
        html = client.get("/verwaltung/").content.decode()
    assert html.count('class="lb-inbox__entry"') >= 6


def test_a_running_and_a_failed_task_are_shown_to_whom_started_them(client, staff_users):
    from leitbild.core.models import TaskProgress

    editor = staff_users[Role.EDITOR]
    TaskProgress.objects.create(
        label="Robustes Portfolio", started_by=editor, status="running", done=3, total=10
    )
    TaskProgress.objects.create(
        label="Import", started_by=editor, status="failed", message="Datei unlesbar"
    )
    TaskProgress.objects.create(label="Fertig", started_by=editor, status="done")
    client.force_login(editor)
    html = client.get("/verwaltung/").content.decode()
    runs = html[html.index('id="laeuft"') : html.index('id="fehlgeschlagen"')]
    failed = html[html.index('id="fehlgeschlagen"') : html.index("Bereiche")]
    assert "Robustes Portfolio" in runs and "3 von 10" in runs
    assert 'max="10" value="3"' in runs
    assert "Import" in failed and "Datei unlesbar" in failed
    assert "Fertig" not in html
    client.force_login(staff_users[Role.MODERATOR])
    assert "Robustes Portfolio" not in client.get("/verwaltung/").content.decode()
    client.force_login(staff_users[Role.ADMIN])
    assert "Robustes Portfolio" in client.get("/verwaltung/").content.decode()
