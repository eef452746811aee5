import pytest

from leitbild.participation import demo
from leitbild.participation.models import Comment, Idea, IdeaSource, IdeaStatus, Process


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
