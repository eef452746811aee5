"""Services that edit the draft: validation, order, deletion and the audit log."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from leitbild.core.models import AuditEntry
from leitbild.strategy import services
from leitbild.strategy.models import ActionField, Goal, Indicator, Leitlinie

from .factories import ActionFieldFactory, GoalFactory, IndicatorFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def test_creating_a_strategy_from_the_charta_template_brings_its_four_leitlinien(editor):
    strategy = services.strategy_create(
        actor=editor,
        title="Digitale Stadt",
        slug="digital",
        edition="2025",
        template="smart-city-charta",
    )

    titles = list(strategy.leitlinien.values_list("title", flat=True))
    assert titles == [
        "Ziele, Strategien und Strukturen",
        "Transparenz, Teilhabe und Mitgestaltung",
        "Infrastrukturen, Daten und Dienstleistungen",
        "Ressourcen, Kompetenzen und Kooperationen",
    ]
    assert strategy.fields.count() == 0
    assert strategy.title == "Digitale Stadt" and strategy.edition == "2025"
    assert AuditEntry.objects.filter(action="strategy.import", object_id=str(strategy.pk)).exists()


def test_creating_an_empty_strategy_is_audited(editor):
    strategy = services.strategy_create(actor=editor, title="Leer", slug="leer", edition="2025")

    assert strategy.leitlinien.count() == 0
    entry = AuditEntry.objects.get(action="strategy.create")
    assert entry.actor == editor and entry.after["slug"] == "leer"


@pytest.mark.parametrize("slug", ["verwaltung", "handlungsfelder"])
def test_a_slug_that_would_shadow_a_page_address_is_refused(editor, slug):
    with pytest.raises(ValidationError) as exc:
        services.strategy_create(actor=editor, title="X", slug=slug, edition="1")
    assert "reserviert" in exc.value.message_dict["slug"][0]


def test_a_slug_in_use_is_refused(editor):
    StrategyFactory(slug="stadt")
    with pytest.raises(ValidationError) as exc:
        services.strategy_create(actor=editor, title="X", slug="stadt", edition="1")
    assert "gibt es schon" in exc.value.message_dict["slug"][0]


def test_field_codes_are_unique_per_strategy(editor):
    field = ActionFieldFactory(code="MOB")
    with pytest.raises(ValidationError) as exc:
        services.field_create(actor=editor, strategy=field.strategy, code="MOB", name="Zwei")
    assert "MOB" in exc.value.message_dict["code"][0]
    # Another strategy may use the same code.
    other = services.field_create(
        actor=editor, strategy=StrategyFactory(), code="MOB", name="Mobilität"
    )
    assert other.pk


def test_goal_codes_are_unique_across_the_fields_of_a_strategy(editor):
    goal = GoalFactory(code="MOB-1")
    second_field = ActionFieldFactory(strategy=goal.strategy)
    with pytest.raises(ValidationError) as exc:
        services.goal_create(actor=editor, field=second_field, code="MOB-1", title="Doppelt")
    assert "MOB-1" in exc.value.message_dict["code"][0]


def test_a_goal_keeps_its_own_code_when_edited(editor):
    goal = GoalFactory(code="MOB-1")
    services.goal_update(actor=editor, goal=goal, code="MOB-1", title="Neuer Titel")
    goal.refresh_from_db()
    assert goal.title == "Neuer Titel"


@pytest.mark.parametrize(
    ("changes", "error_field"),
    [
        ({"name": ""}, "name"),
        ({"code": "mob 1"}, "code"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_field_input_is_validated(editor, changes, error_field):
    strategy = StrategyFactory()
    data = {"code": "MOB", "name": "Mobilität", "colour": "#112233", **changes}
    with pytest.raises(ValidationError) as exc:
        services.field_create(actor=editor, strategy=strategy, **data)
    assert error_field in exc.value.message_dict
    assert not ActionField.objects.exists()


def test_leitlinien_need_title_and_text(editor):
    with pytest.raises(ValidationError) as exc:
        services.leitlinie_create(actor=editor, strategy=StrategyFactory(), title="", text="")
    assert set(exc.value.message_dict) == {"title", "text"}


def test_an_indicator_value_needs_its_year_and_the_target_follows_the_baseline(editor):
    goal = GoalFactory()
    with pytest.raises(ValidationError) as exc:
        services.indicator_create(
            actor=editor,
            goal=goal,
            name="Quote",
            baseline_value=Decimal("3"),
            target_value=Decimal("5"),
            target_year=2030,
        )
    assert set(exc.value.message_dict) == {"baseline_year"}
    with pytest.raises(ValidationError) as exc:
        services.indicator_create(
            actor=editor,
            goal=goal,
            name="Quote",
            baseline_value=Decimal("3"),
            baseline_year=2030,
            target_value=Decimal("5"),
            target_year=2020,
        )
    assert "Ausgangsjahr" in exc.value.message_dict["target_year"][0]


def test_a_qualitative_indicator_needs_no_values(editor):
    indicator = services.indicator_create(
        actor=editor, goal=GoalFactory(), name="Kooperationen", qualitative=True
    )
    assert indicator.target_value is None and indicator.qualitative


def test_editing_a_field_keeps_its_id_so_links_to_it_survive(editor):
    field = ActionFieldFactory(code="MOB", name="Mobilität")
    updated = services.field_update(
        actor=editor, field=field, code="MOV", name="Bewegung", colour="#123456"
    )
    assert updated.pk == field.pk
    assert ActionField.objects.get(pk=field.pk).code == "MOV"


def test_every_edit_is_audited_with_before_and_after(editor):
    goal = GoalFactory(title="Alt")
    services.goal_update(actor=editor, goal=goal, code=goal.code, title="Neu", sdgs=[13, 3])

    entry = AuditEntry.objects.get(action="strategy.goal.update")
    assert entry.before["title"] == "Alt" and entry.after["title"] == "Neu"
    assert entry.after["sdgs"] == [3, 13]
    assert entry.actor == editor


def test_new_items_go_to_the_end(editor):
    strategy = StrategyFactory()
    first = services.leitlinie_create(actor=editor, strategy=strategy, title="A", text="a")
    second = services.leitlinie_create(actor=editor, strategy=strategy, title="B", text="b")
    assert first.order < second.order


def test_moving_swaps_with_the_neighbour_and_renumbers(editor):
    strategy = StrategyFactory()
    a, b, c = (Leitlinie.objects.create(strategy=strategy, title=t, text=t, order=5) for t in "ABC")

    services.draft_item_move(actor=editor, item=c, direction="up")

    assert [i.title for i in strategy.leitlinien.all()] == ["A", "C", "B"]
    assert list(strategy.leitlinien.values_list("order", flat=True)) == [0, 1, 2]
    entry = AuditEntry.objects.get(action="strategy.leitlinie.move")
    assert entry.after == {"order": 1}


def test_moving_past_either_end_changes_nothing(editor):
    goal = GoalFactory()
    services.draft_item_move(actor=editor, item=goal, direction="up")
    services.draft_item_move(actor=editor, item=goal, direction="down")
    assert not AuditEntry.objects.filter(action="strategy.goal.move").exists()


def test_goals_move_within_their_field_only(editor):
    field = ActionFieldFactory()
    first, second = GoalFactory(field=field), GoalFactory(field=field)
    GoalFactory(strategy=field.strategy)  # in another field

    services.draft_item_move(actor=editor, item=second, direction="up")

    assert list(field.goals.values_list("pk", flat=True)) == [second.pk, first.pk]


def test_deleting_a_field_deletes_its_goals_and_indicators_and_is_audited(editor):
    indicator = IndicatorFactory()
    field = indicator.goal.field

    services.draft_item_delete(actor=editor, item=field)

    assert not Goal.objects.exists() and not Indicator.objects.exists()
    entry = AuditEntry.objects.get(action="strategy.field.delete")
    assert entry.before["code"] == field.code
