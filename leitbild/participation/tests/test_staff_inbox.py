"""The staff home is a work inbox: moderation sees what waits in each process's queue, with
counts linked to the queue, and the idea phases that run; other roles do not."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leitbild.core.roles import Role
from leitbild.participation import services
from leitbild.participation.models import Process


@pytest.fixture
def waiting(make_process, make_idea, moderator):
    """A pre-moderated process: two ideas, one comment and one report wait."""
    process = make_process("vormoderiert", moderation=Process.Moderation.PRE)
    released = make_idea(process, title="Schon frei")
    released = services.idea_approve(actor=moderator, idea=released)
    make_idea(process, title="Neu eins")
    make_idea(process, title="Neu zwei")
    services.comment_add(idea=released, text="Wartet")
    services.report_create(idea=released, reason="spam")
    return process


def _entries(html: str) -> list[tuple[str, str]]:
    """(link, text) of each inbox entry."""
    found = re.findall(
        r'<li class="lb-inbox__entry">\s*<a class="kern-link" href="([^"]+)">(.*?)</a>', html, re.S
    )
    return [(href, re.sub(r"<[^>]+>", "", text).strip()) for href, text in found]


def test_moderation_sees_the_waiting_counts_linked_to_the_queue(moderator_client, waiting):
    html = moderator_client.get("/verwaltung/").content.decode()
    queue = "/beteiligung/verwaltung/verfahren/vormoderiert/moderation/"
    entries = _entries(html)
    assert (f"{queue}#ideen", "Ungeprüfte Ideen in „Ideenaufruf“: 2") in entries
    assert (f"{queue}#kommentare", "Wartende Kommentare in „Ideenaufruf“: 1") in entries
    assert (f"{queue}#meldungen", "Offene Meldungen in „Ideenaufruf“: 1") in entries
    queue_page = moderator_client.get(queue).content.decode()
    assert 'id="ideen"' in queue_page and 'id="kommentare"' in queue_page
    assert 'id="meldungen"' in queue_page
    # The idea phase that is open now runs, linked to its settings.
    phase = waiting.phases.get()
    assert (f"/beteiligung/verwaltung/phasen/{phase.pk}/", "Ideen sammeln (Ideenaufruf)") in entries


def test_a_process_with_nothing_waiting_is_not_listed(moderator_client, process, make_idea):
    idea = make_idea(process)
    services.idea_approve(actor=None, idea=idea)
    html = moderator_client.get("/verwaltung/").content.decode()
    assert "Ungeprüfte Ideen" not in html and "Nichts wartet auf Sie." in html


def test_the_editor_is_not_shown_the_moderation_queue(client, make_user, waiting):
    client.force_login(make_user("redaktion@stadt.example", roles=[Role.EDITOR]))
    html = client.get("/verwaltung/").content.decode()
    assert "Ungeprüfte Ideen" not in html
    assert "Ideen sammeln (Ideenaufruf)" in html  # editors may open the phase too


def test_the_inbox_takes_the_same_number_of_queries_however_much_waits(
    client, make_user, make_process, make_idea, waiting, django_assert_num_queries
):
    user = make_user("alle@stadt.example", roles=[Role.MODERATOR, Role.EDITOR])
    client.force_login(user)
    client.get("/verwaltung/")  # session and caches warm
    with CaptureQueriesContext(connection) as first:
        assert client.get("/verwaltung/").status_code == 200
    for number in range(3):
        process = make_process(f"weitere-{number}", moderation=Process.Moderation.PRE)
        for title in ("A", "B", "C"):
            idea = make_idea(process, title=f"{title} {number}")
        idea = services.idea_approve(actor=None, idea=idea)
        services.comment_add(idea=idea, text="Noch einer")
        services.report_create(idea=idea, reason="spam")
    with django_assert_num_queries(len(first)):
        html = client.get("/verwaltung/").content.decode()
    assert html.count("Ungeprüfte Ideen in") == 4 and html.count("Offene Meldungen in") == 4


def test_a_phase_that_is_over_does_not_run(moderator_client, make_process):
    make_process("vorbei", open_now=False)
    html = moderator_client.get("/verwaltung/").content.decode()
    assert "Gerade läuft nichts." in html


def test_a_phase_that_starts_later_does_not_run_yet(moderator_client, process):
    phase = process.phases.get()
    phase.starts_at = timezone.now() + timedelta(days=1)
    phase.ends_at = timezone.now() + timedelta(days=2)
    phase.save()
    assert "Gerade läuft nichts." in moderator_client.get("/verwaltung/").content.decode()
