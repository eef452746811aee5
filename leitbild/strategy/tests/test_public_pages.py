"""The public pages: what visitors see, what they do not, escaping, and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leitbild.strategy import services
from leitbild.strategy.models import Goal, Leitlinie

from .conftest import adopt
from .factories import LeitlinieFactory, StrategyFactory, build_framework

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def _change_a_goal(strategy, editor, title="Geänderter Zieltitel"):
    goal = Goal.objects.filter(strategy=strategy).first()
    services.goal_update(actor=editor, goal=goal, code=goal.code, title=title)
    return goal


def test_the_overview_says_so_while_nothing_is_published(client, framework, editor):
    services.draft_freeze(actor=editor, strategy=framework)  # status Entwurf: internal

    page = client.get(reverse("strategy:overview"))

    assert page.status_code == 200
    assert "wird gerade erarbeitet" in _text(page)
    assert framework.leitlinien.first().title not in _text(page)


def test_the_overview_shows_the_adopted_version_with_fields_as_cards(client, adopted):
    page = _text(client.get(reverse("strategy:overview")))

    snapshot = adopted.snapshot
    assert snapshot["strategy"]["title"] in page
    assert "beschlossen" in page and "Drucksache 2024/0412" in page
    for field in snapshot["fields"]:
        assert field["name"] in page
        assert (
            reverse("strategy:version_field", args=[adopted.strategy.slug, 1, field["code"]])
            in page
        )
    assert "2 strategische Ziele" in page
    assert page.count('class="kern-card kern-card--interactive"') == 2
    assert page.count("<h1") == 1
    assert 'style="' not in page and "<script>" not in page


def test_a_draft_under_consultation_is_marked_and_reachable_next_to_the_adopted_one(
    client, adopted, editor
):
    _change_a_goal(adopted.strategy, editor)
    draft = services.draft_freeze(actor=editor, strategy=adopted.strategy)
    services.version_set_status(actor=editor, version=draft, status="consultation")

    page = _text(client.get(reverse("strategy:overview")))

    assert "Ein neuer Entwurf ist in Beratung (Version 2)" in page
    assert reverse("strategy:version_detail", args=[adopted.strategy.slug, 2]) in page
    assert "Geänderter Zieltitel" not in page  # the overview shows the adopted content
    draft_page = _text(
        client.get(reverse("strategy:version_detail", args=[adopted.strategy.slug, 2]))
    )
    assert "Entwurf in Beratung (Version 2)" in draft_page
    assert "noch nicht beschlossen" in draft_page


def test_a_draft_under_consultation_is_shown_when_nothing_is_adopted_yet(client, framework, editor):
    version = services.draft_freeze(actor=editor, strategy=framework)
    services.version_set_status(actor=editor, version=version, status="consultation")

    page = _text(client.get(reverse("strategy:overview")))

    assert "Entwurf in Beratung (Version 1)" in page
    assert framework.leitlinien.first().title in page


def test_versions_with_status_entwurf_are_not_public(client, framework, editor):
    services.draft_freeze(actor=editor, strategy=framework)
    slug = framework.slug
    code = framework.fields.first().code
    for url in [
        reverse("strategy:version_detail", args=[slug, 1]),
        reverse("strategy:version_field", args=[slug, 1, code]),
        reverse("strategy:history", args=[slug]),
        reverse("strategy:field_detail", args=[code]),
    ]:
        assert client.get(url).status_code == 404, url


def test_the_field_page_lists_goals_and_indicators_with_baseline_and_target(client, adopted):
    field = adopted.snapshot["fields"][0]
    goal = field["goals"][0]
    goal_row = Goal.objects.get(pk=goal["id"])
    indicator = goal_row.indicators.get()
    indicator.baseline_value, indicator.target_value = 12.5, 40  # draft only: not shown

    page = _text(client.get(reverse("strategy:field_detail", args=[field["code"]])))

    assert f"{goal['code']} · {goal['title']}" in page
    assert goal["indicators"][0]["name"] in page
    assert "10 (2023)" in page and "50 (2030)" in page
    assert "höher ist besser" in page
    assert 'scope="col"' in page and 'scope="row"' in page
    assert "Smart City Charta: Ziele, Strategien und Strukturen" in page
    assert "SDG</abbr> 11" in page
    assert page.count("<h1") == 1


def test_decimal_values_are_shown_in_german_notation(client, framework, editor):
    goal = Goal.objects.filter(strategy=framework).first()
    indicator = goal.indicators.get()
    services.indicator_update(
        actor=editor,
        indicator=indicator,
        name=indicator.name,
        baseline_value="7.8",
        baseline_year=2021,
        target_value="2.5",
        target_year=2040,
    )
    adopt(services.draft_freeze(actor=editor, strategy=framework))

    page = _text(client.get(reverse("strategy:field_detail", args=[goal.field.code])))
    assert "7,8 (2021)" in page and "2,5 (2040)" in page


def test_an_unknown_field_or_version_is_404(client, adopted):
    assert client.get(reverse("strategy:field_detail", args=["NOPE"])).status_code == 404
    unknown = reverse("strategy:version_detail", args=[adopted.strategy.slug, 9])
    assert client.get(unknown).status_code == 404
    assert client.get(reverse("strategy:history", args=["gibt-es-nicht"])).status_code == 404


def test_the_history_lists_public_versions_with_links_to_their_differences(client, adopted, editor):
    strategy = adopted.strategy
    _change_a_goal(strategy, editor)
    second = services.draft_freeze(actor=editor, strategy=strategy)
    services.version_set_status(actor=editor, version=second, status="consultation")
    _change_a_goal(strategy, editor, "Noch einmal")
    services.draft_freeze(actor=editor, strategy=strategy)  # version 3: Entwurf, internal

    page = _text(client.get(reverse("strategy:history", args=[strategy.slug])))

    assert "Version 2" in page and "Version 1" in page and "Version 3" not in page
    assert f"{reverse('strategy:compare', args=[strategy.slug])}?von=1&amp;mit=2" in page
    assert "in Beratung" in page and "beschlossen" in page


def test_the_compare_page_shows_the_differences_highlighted(client, adopted, editor):
    strategy = adopted.strategy
    _change_a_goal(strategy, editor)
    second = services.draft_freeze(actor=editor, strategy=strategy)
    services.version_set_status(actor=editor, version=second, status="consultation")

    page = client.get(reverse("strategy:compare", args=[strategy.slug]), {"von": 1, "mit": 2})

    assert page.status_code == 200
    text = _text(page)
    assert "Version 1 und Version 2 im Vergleich" in text
    assert "Geänderter</ins>" in text or "Geänderter Zieltitel</ins>" in text
    assert "<del>" in text


def test_the_compare_page_refuses_unpublished_versions(client, adopted, editor):
    _change_a_goal(adopted.strategy, editor)
    services.draft_freeze(actor=editor, strategy=adopted.strategy)

    page = client.get(
        reverse("strategy:compare", args=[adopted.strategy.slug]), {"von": 1, "mit": 2}
    )

    assert page.status_code == 400
    assert "<del>" not in _text(page)


def test_html_typed_by_editors_is_shown_as_text_everywhere(client, editor):
    strategy = StrategyFactory(title="<i>Strategie</i>")
    LeitlinieFactory(
        strategy=strategy, title="<script>alert(1)</script>", text="<img src=x onerror=alert(2)>"
    )
    field = services.field_create(
        actor=editor, strategy=strategy, code="MOB", name="<b>Mobilität</b>", colour="#000000"
    )
    services.goal_create(actor=editor, field=field, code="MOB-1", title="<em>Ziel</em>")
    adopt(services.draft_freeze(actor=editor, strategy=strategy))
    Leitlinie.objects.filter(strategy=strategy).update(text="<u>neu</u> Text")
    services.draft_freeze(actor=editor, strategy=strategy)

    pages = [
        client.get(reverse("strategy:overview")),
        client.get(reverse("strategy:field_detail", args=["MOB"])),
        client.get(reverse("strategy:history", args=[strategy.slug])),
    ]
    for page in pages:
        text = _text(page)
        for raw in ["<script>alert(1)", "<img src=x", "<b>Mobilität", "<em>Ziel", "<i>Strat"]:
            assert raw not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in _text(pages[0])
    assert "&lt;b&gt;Mobilität&lt;/b&gt;" in _text(pages[1])


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _published(size: int, editor, slug: str):
    strategy = build_framework(
        fields=size, goals_per_field=size, leitlinien=size, strategy=StrategyFactory(slug=slug)
    )
    version = adopt(services.draft_freeze(actor=editor, strategy=strategy))
    return strategy, version


@pytest.mark.parametrize("page", ["overview", "version", "field", "history", "compare"])
def test_public_pages_run_a_constant_number_of_queries(
    client, editor, page, django_assert_max_num_queries
):
    counts = []
    for size, slug in [(1, "klein"), (12, "gross")]:
        strategy, version = _published(size, editor, slug)
        goal = Goal.objects.filter(strategy=strategy).first()
        services.goal_update(actor=editor, goal=goal, code=goal.code, title="anders")
        services.draft_freeze(actor=editor, strategy=strategy)
        services.version_set_status(
            actor=editor, version=strategy.versions.first(), status="consultation"
        )
        url = {
            "overview": reverse("strategy:overview"),
            "version": reverse("strategy:version_detail", args=[slug, 1]),
            "field": reverse("strategy:field_detail", args=[strategy.fields.last().code]),
            "history": reverse("strategy:history", args=[slug]),
            "compare": reverse("strategy:compare", args=[slug]) + "?von=1&mit=2",
        }[page]
        client.get(url)  # warm the per-process caches (demo flag)
        counts.append(_queries(client, url))
        with django_assert_max_num_queries(LIMITS[page]):
            client.get(url)
    assert counts[0] == counts[1], counts


# Three for the framework; the overview adds its generated documents and the timeline (phases,
# versions, council steps), a version page its documents and council steps, the comparison
# the amendments of the older version.
LIMITS = {"overview": 7, "version": 5, "field": 3, "history": 3, "compare": 4}
