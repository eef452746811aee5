"""One definition of a public idea (``Idea.objects.public()``, ``Idea.is_public``): every
place that shows ideas to visitors — list, map, API, export, idea page — agrees with it."""

import pytest
from django.test import Client

from leitbild.participation import services
from leitbild.participation.models import Idea, IdeaStatus, Process


@pytest.fixture
def ideas(make_process, make_idea, moderator):
    """One idea per case, each with a place, titled by whether it is public."""
    process = make_process("vorab", moderation=Process.Moderation.PRE)
    public = {
        "sichtbar": make_idea(process, title="sichtbar eins", lat="52.41", lon="10.75"),
        "abgelehnt": make_idea(process, title="sichtbar abgelehnt", lat="52.41", lon="10.75"),
    }
    hidden = {
        "ungeprueft": make_idea(process, title="verborgen ungeprüft", lat="52.41", lon="10.75"),
        "entfernt": make_idea(process, title="verborgen entfernt", lat="52.41", lon="10.75"),
        "doppelt": make_idea(process, title="verborgen doppelt", lat="52.41", lon="10.75"),
    }
    for idea in [*public.values(), hidden["entfernt"], hidden["doppelt"]]:
        services.idea_approve(actor=moderator, idea=idea)
    services.idea_status_set(
        actor=moderator, idea=public["abgelehnt"], status=IdeaStatus.REJECTED, reason="Nein"
    )
    services.idea_status_set(
        actor=moderator, idea=hidden["entfernt"], status=IdeaStatus.REMOVED, reason="Spam"
    )
    services.idea_merge(actor=moderator, idea=hidden["doppelt"], into=public["sichtbar"])
    return process, public, hidden


def test_the_queryset_and_the_property_agree(ideas):
    _process, public, hidden = ideas
    assert set(Idea.objects.public()) == set(public.values())
    for idea in Idea.objects.all():
        assert idea.is_public == (idea in public.values())


def test_every_public_place_shows_public_ideas_only(ideas):
    process, public, hidden = ideas
    visitor = Client()
    pages = {
        "list": visitor.get(f"/beteiligung/{process.slug}/ideen/").content.decode(),
        "api": visitor.get("/api/v1/ideas", {"process": process.slug}).content.decode(),
        "map": visitor.get("/api/v1/ideas.geojson").content.decode(),
        "export": visitor.get(f"/beteiligung/{process.slug}/ideen.csv").content.decode(),
    }
    for place, text in pages.items():
        assert text.count("sichtbar") >= 2, place
        assert "verborgen" not in text, place
    for idea in hidden.values():
        page = visitor.get(f"/beteiligung/{process.slug}/ideen/{idea.pk}/")
        assert page.status_code in (301, 404)  # a merged idea redirects to the one kept
        assert visitor.get(f"/api/v1/ideas/{idea.pk}").status_code == 404
    for idea in public.values():
        assert visitor.get(f"/beteiligung/{process.slug}/ideen/{idea.pk}/").status_code == 200
