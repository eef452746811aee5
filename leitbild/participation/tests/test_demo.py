from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from leitbild.participation import demo
from leitbild.participation.models import (
    Comment,
    Idea,
    IdeaSource,
    IdeaStatus,
    Process,
    ReasonTemplate,
)


@pytest.fixture
def loaded(db):
    from leitbild.core.demo import demo_load

    demo_load()
    return Process.objects.get(slug=demo.PROCESS_SLUG)


def test_the_demo_has_a_finished_idea_call_with_many_ideas(loaded):
    ideas = Idea.objects.filter(process=loaded)
    assert ideas.count() >= 150
    assert not any(p.is_open() for p in loaded.phases.all())
    assert ideas.filter(status=IdeaStatus.REJECTED).exclude(status_reason="").count() >= 5
    assert ideas.filter(merged_into__isnull=False).count() >= 3
    assert ideas.filter(source=IdeaSource.WORKSHOP).values("workshop").distinct().count() == 2
    assert ideas.filter(source=IdeaSource.POSTCARD).exists()
    assert Comment.objects.filter(idea__process=loaded, parent__isnull=False).exists()


def test_demo_points_lie_in_the_fictional_area_and_spread_over_fields(loaded):
    ideas = Idea.objects.filter(process=loaded, lat__isnull=False)
    assert all(52.40 <= float(i.lat) <= 52.46 and 10.74 <= float(i.lon) <= 10.84 for i in ideas)
    used = set(
        Idea.fields.through.objects.filter(idea__process=loaded).values_list(
            "actionfield_id", flat=True
        )
    )
    assert len(used) == loaded.strategy.fields.count()


def test_demo_counters_match_the_rows(loaded):
    for idea in Idea.objects.filter(process=loaded)[:40]:
        assert idea.support_count == idea.supports.count()
        assert idea.comment_count == idea.comments.filter(state="visible").count()


def test_loading_twice_changes_nothing(loaded):
    before = Idea.objects.count()
    demo.load()
    assert Idea.objects.count() == before


def test_without_a_strategy_nothing_is_created(db):
    demo.load()
    assert not Process.objects.exists()


def test_the_demo_pages_answer(client, loaded):
    idea = Idea.objects.filter(process=loaded, merged_into__isnull=True).first()
    for path in [
        f"/beteiligung/{loaded.slug}/",
        f"/beteiligung/{loaded.slug}/ideen/",
        f"/beteiligung/{loaded.slug}/ideen/{idea.pk}/",
        f"/beteiligung/{loaded.slug}/karte/",
        "/api/v1/ideas.geojson",
    ]:
        assert client.get(path).status_code == 200, path


def test_url_samples_cover_every_participation_url(loaded):
    from django.urls import get_resolver

    from leitbild.participation.urls import urlpatterns

    samples = demo.url_samples()
    needing = [p.name for p in urlpatterns if p.pattern.converters]
    assert [n for n in needing if f"participation:{n}" not in samples] == []
    assert get_resolver()


# Writes in the demo module that do not go through a service, each with its reason.
# None are left: keep it so, or name the line and say why here.
ORM_WRITES_ALLOWED: dict[str, str] = {}


def test_the_demo_module_writes_only_through_services():
    from leitbild.core.tests.orm_writes import module_orm_writes

    writes = [code for _line, code in module_orm_writes(demo)]
    assert [w for w in writes if w not in ORM_WRITES_ALLOWED] == []


def test_the_orm_write_check_finds_writes():
    from leitbild.core.tests.orm_writes import orm_writes

    source = (
        "Idea.objects.create(title='x')\nidea.save()\nIdea.objects.filter().update(a=1)\n"
        "Support.objects.bulk_create([])\nservices.idea_submit(process=p)\n"
    )
    assert [line for line, _code in orm_writes(source)] == [1, 2, 3, 4]


def test_the_demo_was_written_by_the_moderation_and_the_visitors(loaded):
    from leitbild.accounts.models import User
    from leitbild.core.models import AuditEntry
    from leitbild.participation.models import IdeaStatusChange, Support

    moderator = User.objects.get(email="moderation@musterstadt.example")
    by_moderator = AuditEntry.objects.filter(actor=moderator)
    ideas = Idea.objects.filter(process=loaded)
    # Postcards, the Bürgerbüro's notes and workshop results are entered by staff; online
    # ideas are checked afterwards (the process is post-moderated): nothing waits unchecked.
    assert (
        by_moderator.filter(action="idea.create").count()
        == ideas.exclude(source=IdeaSource.ONLINE).count()
    )
    assert (
        by_moderator.filter(action="idea.approve").count()
        == ideas.filter(source=IdeaSource.ONLINE).count()
    )
    assert not ideas.filter(moderated_at__isnull=True).exists()
    assert by_moderator.filter(action="idea.merge").count() == 5
    # Residents took part while the call was open, as the rules allow.
    call = loaded.phases.get(kind="ideas")
    assert not Support.objects.filter(idea__process=loaded, created_at__gte=call.ends_at).exists()
    assert not Comment.objects.filter(idea__process=loaded, created_at__gte=call.ends_at).exists()
    merged = ideas.filter(merged_into__isnull=False)
    assert {IdeaStatusChange.objects.filter(idea=i).latest("pk").at for i in merged} == {
        demo.REVIEW_AT
    }


def test_generated_titles_and_texts_are_grammatical():
    """Every template with every place of every district: no "im Nordstadt", "am Stadtbibliothek"
    or "im Am See" (the demo had all three)."""
    feminine = sorted(demo.FEMININE)
    wrong = [f"{p} {name}" for name in feminine for p in ("im", "am", "vom", "Im", "Am", "den")]
    wrong += [f"{p} Am See" for p in ("im", "den", "Im", "der", "die")]
    texts = []
    for district, (_lat, _lon, places) in demo.DISTRICTS.items():
        for place in places:
            words = demo._words(place=place, district=district)
            for _codes, title, description in demo.TEMPLATES:
                texts += [title.format(**words), description.format(**words)]
            texts += [c.format(**words) for c in demo.COMMENTS]
    problems = [(w, t) for t in texts for w in wrong if f"{w} " in t or f"{w}." in t]
    assert problems == []
    assert "Carsharing-Station in der Nordstadt" in texts
    assert "Carsharing-Station im Stadtteil Am See" in texts
    assert "Sichere Fahrradstellplätze an der Stadtbibliothek" in texts


def test_the_call_ends_on_the_day_it_says_and_reasons_fit_the_ideas(loaded):
    call = loaded.phases.get(kind="ideas")
    local_end = timezone.localtime(call.ends_at, ZoneInfo("Europe/Berlin"))
    assert (local_end.day, local_end.month) == (15, 10)
    assert "bis 15. Oktober 2023" in loaded.description
    rejected = Idea.objects.filter(process=loaded, status=IdeaStatus.REJECTED)
    assert rejected.count() == 12
    texts = {r.title: r.text for r in ReasonTemplate.objects.all()}
    for idea in rejected:
        reason = next(
            name
            for template, name in demo.REJECTION_REASONS.items()
            if template.split("{")[0].strip() in idea.title
        )
        assert idea.status_reason == texts[reason]
