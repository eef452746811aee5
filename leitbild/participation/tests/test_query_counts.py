"""List, map and API pages cost the same number of queries for 10 or 200 ideas."""

import pytest
from django.utils import timezone

from leitbild.participation import services
from leitbild.participation.models import Comment, Idea, IdeaStatus, Support


def seed(process, fields, count: int) -> None:
    now = timezone.now()
    ideas = Idea.objects.bulk_create(
        [
            Idea(
                process=process,
                title=f"Idee {n}",
                description="Beschreibung " * 5,
                status=IdeaStatus.PUBLISHED,
                published_at=now,
                created_at=now,
                lat=52.40 + n / 10000,
                lon=10.74 + n / 10000,
                support_count=n % 7,
                comment_count=n % 3,
            )
            for n in range(count)
        ]
    )
    through = Idea.fields.through
    through.objects.bulk_create(
        [
            through(idea_id=i.pk, actionfield_id=fields[n % len(fields)].pk)
            for n, i in enumerate(ideas)
        ]
        + [
            through(idea_id=i.pk, actionfield_id=fields[-1].pk)
            for i in ideas[::2]
            if fields[-1] != fields[0]
        ]
    )
    Support.objects.bulk_create([Support(idea=i, visitor=f"v{i.pk}") for i in ideas])
    Comment.objects.bulk_create([Comment(idea=i, text="Kommentar") for i in ideas[:20]])


PATHS = [
    "/beteiligung/{slug}/ideen/",
    "/beteiligung/{slug}/ideen/?sortierung=unterstuetzung&feld={field}",
    "/beteiligung/{slug}/ideen/?suche=Idee&sortierung=diskussion&seite=2",
    "/beteiligung/{slug}/",
    "/api/v1/ideas?process={slug}",
    "/api/v1/ideas.geojson?bbox=10.7,52.3,10.9,52.5",
]


@pytest.mark.parametrize("count", [10, 200])
@pytest.mark.parametrize("path", PATHS)
def test_pages_cost_a_constant_number_of_queries(
    client, process, action_fields, count, path, django_assert_max_num_queries
):
    seed(process, action_fields, count)
    url = path.format(slug=process.slug, field=action_fields[0].pk)
    # Warm caches that are not per request (e.g. the demo flag) on another page, so that the
    # measured request renders the page instead of taking it from the page cache.
    client.get("/beteiligung/")
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    assert response.get("X-Leitbild-Cache", "miss") == "miss"


def test_the_detail_page_costs_a_constant_number_of_queries(
    client, process, action_fields, django_assert_max_num_queries
):
    seed(process, action_fields, 5)
    idea = Idea.objects.first()
    for n in range(30):
        top = services.comment_add(idea=idea, text=f"Kommentar {n}")
        services.comment_add(idea=idea, text=f"Antwort {n}", parent=top)
    url = f"/beteiligung/{process.slug}/ideen/{idea.pk}/"
    client.get(url)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
