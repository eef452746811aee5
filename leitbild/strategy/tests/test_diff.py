"""Comparing two snapshots: added, removed and changed items, text changes marked."""

import copy

import pytest

from leitbild.strategy.diff import framework_diff, word_diff_html


def _snapshot() -> dict:
    return {
        "format": 1,
        "strategy": {"title": "Strategie", "slug": "s", "edition": "2024", "summary": ""},
        "leitlinien": [{"id": 1, "title": "Offen", "text": "Daten sind offen."}],
        "fields": [
            {
                "id": 10,
                "code": "MOB",
                "name": "Mobilität",
                "description": "",
                "colour": "#000000",
                "icon": "",
                "goals": [
                    {
                        "id": 100,
                        "code": "MOB-1",
                        "title": "Radverkehr stärken",
                        "description": "",
                        "charter_principles": ["ziele"],
                        "sdgs": [11],
                        "indicators": [
                            {
                                "id": 1000,
                                "name": "Radanteil",
                                "unit": "%",
                                "direction": "higher",
                                "baseline_value": "14",
                                "baseline_year": 2022,
                                "target_value": "25",
                                "target_year": 2035,
                                "source": "Befragung",
                                "qualitative": False,
                            }
                        ],
                    },
                    {
                        "id": 101,
                        "code": "MOB-2",
                        "title": "Parken lenken",
                        "description": "",
                        "charter_principles": [],
                        "sdgs": [],
                        "indicators": [],
                    },
                ],
            },
            {
                "id": 11,
                "code": "BIL",
                "name": "Bildung",
                "description": "",
                "colour": "#111111",
                "icon": "",
                "goals": [],
            },
        ],
    }


def test_text_changes_are_marked_word_by_word():
    html = word_diff_html("Den Radverkehr stärken", "Den Rad- und Fußverkehr stärken")
    assert '<del><span class="kern-sr-only">gestrichen: </span>Radverkehr</del>' in html
    assert '<ins><span class="kern-sr-only">eingefügt: </span>Rad- und Fußverkehr</ins>' in html
    assert html.startswith("Den ") and html.endswith(" stärken")


def test_text_in_a_diff_is_escaped():
    html = word_diff_html("<b>alt</b>", '<script>alert("x")</script> neu')
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;alt&lt;/b&gt;" in html


def test_identical_snapshots_show_no_differences():
    assert framework_diff(_snapshot(), _snapshot()).is_empty


def test_added_removed_and_changed_items_are_listed_per_kind():
    old, new = _snapshot(), _snapshot()
    mob = new["fields"][0]
    mob["goals"][0]["title"] = "Rad- und Fußverkehr stärken"
    mob["goals"][0]["indicators"][0]["target_value"] = "30"
    del mob["goals"][1]
    new["fields"][1]["goals"].append(
        {
            "id": 102,
            "code": "BIL-1",
            "title": "Schulen vernetzen",
            "description": "",
            "charter_principles": [],
            "sdgs": [4],
            "indicators": [],
        }
    )
    new["leitlinien"].append({"id": 2, "title": "Sicher", "text": "Daten sind sicher."})

    diff = framework_diff(old, new)
    sections = {s.key: s for s in diff.sections}

    assert [i.label for i in sections["leitlinien"].added] == ["Sicher"]
    assert [i.label for i in sections["goals"].added] == ["BIL-1 Schulen vernetzen"]
    assert [i.label for i in sections["goals"].removed] == ["MOB-2 Parken lenken"]
    changed_goal = sections["goals"].changed[0]
    assert [c.label for c in changed_goal.changes] == ["Titel"]
    indicator = sections["indicators"].changed[0]
    assert [(c.label, c.old, c.new) for c in indicator.changes] == [
        ("Zielwert", "25 (2035)", "30 (2035)")
    ]
    assert sections["fields"].is_empty
    assert diff.counts == {"added": 2, "removed": 1, "changed": 2}


def test_renaming_a_goal_is_a_change_not_a_removal():
    old, new = _snapshot(), _snapshot()
    new["fields"][0]["goals"][0]["code"] = "MOB-9"

    goals = framework_diff(old, new).sections[2]
    assert not goals.added and not goals.removed
    assert [(c.label, c.old, c.new) for c in goals.changed[0].changes] == [
        ("Kürzel", "MOB-1", "MOB-9")
    ]


def test_a_goal_moved_to_another_field_shows_its_new_field():
    old, new = _snapshot(), _snapshot()
    goal = new["fields"][0]["goals"].pop(0)
    new["fields"][1]["goals"].append(goal)

    goals = framework_diff(old, new).sections[2]
    change = goals.changed[0].changes[0]
    assert (change.label, change.old, change.new) == (
        "Handlungsfeld",
        "MOB Mobilität",
        "BIL Bildung",
    )


def test_renaming_a_field_does_not_mark_its_goals_as_changed():
    old, new = _snapshot(), _snapshot()
    new["fields"][0]["name"] = "Mobilität und Verkehr"

    diff = framework_diff(old, new)
    assert [i.label for i in diff.sections[1].changed] == ["MOB Mobilität und Verkehr"]
    assert diff.sections[2].is_empty


@pytest.mark.parametrize("kind", ["leitlinien", "fields", "goals"])
def test_a_new_order_is_reported(kind):
    old = _snapshot()
    old["leitlinien"].append({"id": 2, "title": "Sicher", "text": "Sicher."})
    new = copy.deepcopy(old)
    if kind == "goals":
        new["fields"][0]["goals"].reverse()
    else:
        new[kind].reverse()

    section = next(s for s in framework_diff(old, new).sections if s.key == kind)
    assert section.reordered and not section.changed


def test_changes_to_the_strategy_itself_are_listed():
    old, new = _snapshot(), _snapshot()
    new["strategy"]["edition"] = "2026"
    diff = framework_diff(old, new)
    assert [(c.label, c.old, c.new) for c in diff.strategy] == [("Ausgabe", "2024", "2026")]
    assert not diff.is_empty


def test_the_order_of_charta_principles_and_sdgs_is_no_change():
    old, new = _snapshot(), _snapshot()
    old["fields"][0]["goals"][0].update(charter_principles=["transparenz", "ziele"], sdgs=[11, 3])
    new["fields"][0]["goals"][0].update(charter_principles=["ziele", "transparenz"], sdgs=[3, 11])
    assert framework_diff(old, new).is_empty


def test_a_charta_principle_added_is_reported_in_the_chartas_order():
    old, new = _snapshot(), _snapshot()
    new["fields"][0]["goals"][0]["charter_principles"] = ["transparenz", "ziele"]
    change = framework_diff(old, new).sections[2].changed[0].changes[0]
    assert change.label == "Leitlinien der Smart City Charta"
    assert change.new == (
        "Ziele, Strategien und Strukturen, Transparenz, Teilhabe und Mitgestaltung"
    )
