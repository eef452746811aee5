"""Reads: what the public sees, the home page summary, the draft snapshot."""

import datetime

import pytest

from leitbild.strategy import selectors, services

from .conftest import adopt
from .factories import StrategyFactory, build_framework

pytestmark = pytest.mark.django_db


def test_the_summary_is_none_until_a_version_is_adopted(framework, editor):
    assert selectors.public_strategy_summary() is None
    version = services.draft_freeze(actor=editor, strategy=framework)
    services.version_set_status(actor=editor, version=version, status="consultation")
    assert selectors.public_strategy_summary() is None


def test_the_summary_counts_the_adopted_version(adopted, editor):
    # Draft edits after adoption do not count.
    services.leitlinie_create(actor=editor, strategy=adopted.strategy, title="Neu", text="x")

    summary = selectors.public_strategy_summary()

    assert (summary.leitlinien, summary.fields, summary.goals) == (2, 2, 4)


def test_the_home_page_shows_the_summary(client, adopted):
    page = client.get("/").content.decode()
    assert "2 Leitlinien, 2 Handlungsfelder, 4 strategische Ziele." in page


def test_the_most_recently_adopted_strategy_is_the_public_one(editor):
    old = build_framework(strategy=StrategyFactory(slug="s2021", edition="2021"))
    adopt(services.draft_freeze(actor=editor, strategy=old), on=datetime.date(2021, 6, 1))
    new = build_framework(strategy=StrategyFactory(slug="s2024", edition="2024"))
    adopt(services.draft_freeze(actor=editor, strategy=new), on=datetime.date(2024, 6, 1))

    state = selectors.public_state()

    assert state.adopted.strategy == new and state.consultation is None


def test_a_consultation_draft_of_a_new_edition_is_shown_beside_the_adopted_one(adopted, editor):
    update = build_framework(strategy=StrategyFactory(slug="update"))
    draft = services.draft_freeze(actor=editor, strategy=update)
    services.version_set_status(actor=editor, version=draft, status="consultation")

    state = selectors.public_state()

    assert state.adopted == adopted and state.consultation == draft
    assert state.main == adopted


def test_the_draft_snapshot_takes_four_queries_whatever_its_size(editor, django_assert_num_queries):
    small = build_framework(fields=1, goals_per_field=1)
    large = build_framework(fields=10, goals_per_field=5)
    for strategy in (small, large):
        with django_assert_num_queries(4):
            selectors.draft_snapshot(strategy=strategy)
