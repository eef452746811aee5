"""The demo city's framework: realistic, with an adopted version and a newer draft."""

import datetime

import pytest

from leitbild.strategy import demo, selectors
from leitbild.strategy.diff import framework_diff
from leitbild.strategy.models import Strategy, StrategyVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def musterstadt():
    demo.load()
    return Strategy.objects.get(slug=demo.SLUG)


def test_the_demo_city_has_four_leitlinien_and_ten_fields_with_three_to_five_goals(musterstadt):
    snapshot = selectors.draft_snapshot(strategy=musterstadt)

    assert len(snapshot["leitlinien"]) == 4
    assert len(snapshot["fields"]) == 10
    for field in snapshot["fields"]:
        assert 3 <= len(field["goals"]) <= 5, field["code"]
        for goal in field["goals"]:
            assert goal["code"].startswith(field["code"] + "-")
            assert goal["charter_principles"] and goal["sdgs"]
            assert goal["indicators"], goal["code"]
            for indicator in goal["indicators"]:
                assert indicator["source"]
                assert indicator["qualitative"] or indicator["target_value"] is not None


def test_version_1_is_adopted_and_version_2_is_in_consultation(musterstadt):
    v2, v1 = musterstadt.versions.all()

    assert v1.status == StrategyVersion.Status.ADOPTED
    assert v1.decided_on == datetime.date(2024, 3, 21)
    assert v1.decision_reference == "Drucksache 2024/0412"
    assert v2.status == StrategyVersion.Status.CONSULTATION
    assert selectors.draft_snapshot(strategy=musterstadt) == v2.snapshot


def test_the_versions_differ_in_goals_indicators_and_a_leitlinie(musterstadt):
    v2, v1 = musterstadt.versions.all()
    sections = {s.key: s for s in framework_diff(v1.snapshot, v2.snapshot).sections}

    assert [i.label for i in sections["goals"].added] == [
        "BIL-4 Medienkompetenz für alle Generationen stärken"
    ]
    assert [i.label for i in sections["goals"].removed] == [
        "WQ-3 Leerstand digital erfassen und vermitteln"
    ]
    assert len(sections["goals"].changed) == 2
    assert len(sections["indicators"].added) == 3
    assert len(sections["indicators"].removed) == 2
    assert len(sections["indicators"].changed) >= 3
    assert len(sections["leitlinien"].changed) == 1
    assert sections["fields"].is_empty


def test_loading_twice_changes_nothing(musterstadt):
    versions = list(musterstadt.versions.values_list("pk", "status"))
    demo.load()
    assert Strategy.objects.count() == 1
    assert list(musterstadt.versions.values_list("pk", "status")) == versions


def test_the_public_pages_show_the_demo_city(client, musterstadt):
    page = client.get("/strategie/").content.decode()
    assert "Smart-City-Strategie Musterstadt" in page
    assert "Ein neuer Entwurf ist in Beratung (Version 2)" in page
    assert "Gesundheit und Pflege" in page


def test_versions_carry_the_dates_they_were_frozen_and_no_draft_claims_adoption(musterstadt):
    v2, v1 = musterstadt.versions.all()
    assert v1.created_at.date() < v1.decided_on < v2.created_at.date()
    assert v2.created_at.date() < datetime.date.today()
    assert "beschlossen" not in musterstadt.summary.lower()


def test_the_history_shows_when_each_version_was_frozen(musterstadt, client):
    page = client.get(f"/strategie/{musterstadt.slug}/versionen/")
    assert page.status_code == 200
    assert "6. Februar 2024" in page.content.decode()
    assert "12. Oktober 2026" in page.content.decode()
