"""The staff pages of the Strategie-Redaktion: access, forms, validation, actions."""

import json

import pytest
from django.urls import reverse

from leitbild.core.roles import Role
from leitbild.strategy import services
from leitbild.strategy.models import ActionField, Goal, Indicator, Leitlinie, Strategy

from .factories import ActionFieldFactory, GoalFactory, IndicatorFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def _staff_urls(framework) -> list[str]:
    slug = framework.slug
    field = framework.fields.first()
    goal = field.goals.first()
    indicator = goal.indicators.first()
    leitlinie = framework.leitlinien.first()
    return [
        reverse("strategy:staff_index"),
        reverse("strategy:staff_strategy_create"),
        reverse("strategy:staff_import"),
        reverse("strategy:staff_strategy", args=[slug]),
        reverse("strategy:staff_strategy_edit", args=[slug]),
        reverse("strategy:staff_export", args=[slug]),
        reverse("strategy:staff_leitlinie_create", args=[slug]),
        reverse("strategy:staff_leitlinie_edit", args=[slug, leitlinie.pk]),
        reverse("strategy:staff_field_create", args=[slug]),
        reverse("strategy:staff_field", args=[slug, field.pk]),
        reverse("strategy:staff_field_edit", args=[slug, field.pk]),
        reverse("strategy:staff_goal_create", args=[slug, field.pk]),
        reverse("strategy:staff_goal_edit", args=[slug, goal.pk]),
        reverse("strategy:staff_indicator_create", args=[slug, goal.pk]),
        reverse("strategy:staff_indicator_edit", args=[slug, indicator.pk]),
        reverse("strategy:staff_item_delete", args=[slug, "ziele", goal.pk]),
        reverse("strategy:staff_compare", args=[slug]),
    ]


def test_staff_pages_are_for_the_strategie_redaktion_only(client, client_for, framework):
    urls = _staff_urls(framework)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/anmelden/" in response["Location"], url
    client_for(Role.MODERATOR.value)
    for url in urls:
        assert client.get(url).status_code == 403, url
    client_for(Role.EDITOR.value)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_administration_may_edit_the_framework_too(admin_client, framework):
    assert (
        admin_client.get(reverse("strategy:staff_strategy", args=[framework.slug])).status_code
        == 200
    )


def test_posts_are_refused_without_the_role(client, client_for, framework):
    client_for(Role.ASSESSOR.value)
    goal = Goal.objects.filter(strategy=framework).first()
    response = client.post(
        reverse("strategy:staff_item_move", args=[framework.slug, "ziele", goal.pk]),
        {"direction": "down"},
    )
    assert response.status_code == 403
    response = client.post(reverse("strategy:staff_freeze", args=[framework.slug]))
    assert response.status_code == 403
    assert framework.versions.count() == 0


def test_an_editor_creates_a_strategy_from_the_charta_template(editor_client):
    response = editor_client.post(
        reverse("strategy:staff_strategy_create"),
        {
            "title": "Smart City Neustadt",
            "slug": "neustadt",
            "edition": "2025",
            "summary": "",
            "template": "smart-city-charta",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("strategy:staff_strategy", args=["neustadt"])
    page = _text(editor_client.get(response["Location"]))
    assert "Transparenz, Teilhabe und Mitgestaltung" in page


def test_invalid_input_is_shown_next_to_the_field_and_kept(editor_client):
    response = editor_client.post(
        reverse("strategy:staff_strategy_create"),
        {"title": "Mein <Titel>", "slug": "Mit Leerzeichen", "edition": "", "template": ""},
    )

    assert response.status_code == 200
    page = _text(response)
    assert 'value="Mein &lt;Titel&gt;"' in page
    assert 'id="id_edition_error"' in page and 'id="id_slug_error"' in page
    assert 'aria-invalid="true"' in page
    assert "Bitte prüfen Sie Ihre Eingaben" in page
    assert not Strategy.objects.exists()


def test_a_rule_of_the_service_is_shown_at_its_field(editor_client):
    StrategyFactory(slug="vergeben")
    response = editor_client.post(
        reverse("strategy:staff_strategy_create"),
        {"title": "Titel", "slug": "vergeben", "edition": "2025", "template": ""},
    )

    assert response.status_code == 200
    page = _text(response)
    assert 'id="id_slug_error"' in page and "gibt es schon" in page
    assert 'value="Titel"' in page
    assert Strategy.objects.count() == 1


def test_a_duplicate_goal_code_is_reported_at_the_code_field(editor_client, framework):
    field = framework.fields.first()
    taken = Goal.objects.filter(strategy=framework).last().code
    response = editor_client.post(
        reverse("strategy:staff_goal_create", args=[framework.slug, field.pk]),
        {
            "code": taken.lower(),
            "title": "Neues Ziel",
            "description": "Text bleibt",
            "sdgs": ["3", "11"],
            "charter_principles": ["transparenz"],
        },
    )

    assert response.status_code == 200
    page = _text(response)
    assert f"Das Kürzel „{taken}“ hat schon ein anderes Ziel" in page
    assert 'id="id_code_error"' in page
    assert "Text bleibt" in page
    assert 'value="11" id="id_sdgs_10" checked' in page  # the choices are kept


def test_adding_a_field_leads_on_to_its_goals(editor_client, framework):
    response = editor_client.post(
        reverse("strategy:staff_field_create", args=[framework.slug]),
        {"code": "geo", "name": "Geodaten", "colour": "#336699"},
    )
    field = ActionField.objects.get(strategy=framework, code="GEO")
    assert response["Location"] == reverse("strategy:staff_field", args=[framework.slug, field.pk])


def test_adding_a_goal_and_an_indicator(editor_client, framework):
    field = framework.fields.first()
    editor_client.post(
        reverse("strategy:staff_goal_create", args=[framework.slug, field.pk]),
        {
            "code": "NEU-1",
            "title": "Neues Ziel",
            "sdgs": ["13"],
            "charter_principles": ["ziele", "ressourcen"],
        },
    )
    goal = Goal.objects.get(code="NEU-1")
    assert (goal.field, goal.sdgs, goal.charter_principles) == (
        field,
        [13],
        ["ziele", "ressourcen"],
    )

    response = editor_client.post(
        reverse("strategy:staff_indicator_create", args=[framework.slug, goal.pk]),
        {
            "name": "CO₂",
            "unit": "t",
            "direction": "lower",
            "baseline_value": "7,8",
            "baseline_year": "2021",
            "target_value": "2,5",
            "target_year": "2040",
        },
    )
    assert response.status_code == 302
    indicator = goal.indicators.get()
    assert (str(indicator.baseline_value), str(indicator.target_value)) == ("7.800", "2.500")


def test_indicator_rules_from_the_service_appear_at_their_fields(editor_client, framework):
    goal = Goal.objects.filter(strategy=framework).first()
    response = editor_client.post(
        reverse("strategy:staff_indicator_create", args=[framework.slug, goal.pk]),
        {
            "name": "Quote",
            "direction": "higher",
            "baseline_value": "3",
            "baseline_year": "2030",
            "target_value": "5",
            "target_year": "2020",
        },
    )
    assert response.status_code == 200
    assert 'id="id_target_year_error"' in _text(response)


def test_editing_an_item_of_another_strategy_is_404(editor_client, framework):
    foreign = GoalFactory()
    url = reverse("strategy:staff_goal_edit", args=[framework.slug, foreign.pk])
    assert editor_client.get(url).status_code == 404
    foreign_indicator = IndicatorFactory()
    url = reverse(
        "strategy:staff_item_delete", args=[framework.slug, "indikatoren", foreign_indicator.pk]
    )
    assert editor_client.post(url).status_code == 404
    assert Indicator.objects.filter(pk=foreign_indicator.pk).exists()


def test_editing_a_leitlinie_changes_the_draft(editor_client, framework):
    item = framework.leitlinien.first()
    response = editor_client.post(
        reverse("strategy:staff_leitlinie_edit", args=[framework.slug, item.pk]),
        {"title": "Neu", "text": "Neuer Text"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.text) == ("Neu", "Neuer Text")


def test_move_buttons_reorder_without_javascript(editor_client, framework):
    first, second = framework.leitlinien.all()
    page = _text(editor_client.get(reverse("strategy:staff_strategy", args=[framework.slug])))
    move_url = reverse("strategy:staff_item_move", args=[framework.slug, "leitlinien", second.pk])
    assert f'<form method="post" action="{move_url}">' in page

    response = editor_client.post(move_url, {"direction": "up"})

    assert response.status_code == 302 and response["Location"].endswith(f"#leitlinie-{second.pk}")
    assert list(framework.leitlinien.all()) == [second, first]


def test_moving_needs_post_and_a_known_direction(editor_client, framework):
    item = framework.leitlinien.first()
    url = reverse("strategy:staff_item_move", args=[framework.slug, "leitlinien", item.pk])
    assert editor_client.get(url).status_code == 405
    before = list(framework.leitlinien.all())
    response = editor_client.post(url, {"direction": "sideways"}, follow=True)
    assert "unbekannte Richtung" in _text(response)
    assert list(framework.leitlinien.all()) == before
    bad_kind = reverse("strategy:staff_item_move", args=[framework.slug, "zeug", item.pk])
    assert editor_client.post(bad_kind, {"direction": "up"}).status_code == 404


def test_deleting_asks_first_and_then_deletes(editor_client, framework):
    field = framework.fields.first()
    url = reverse("strategy:staff_item_delete", args=[framework.slug, "felder", field.pk])

    confirm = editor_client.get(url)
    assert confirm.status_code == 200 and "löschen?" in _text(confirm)
    assert ActionField.objects.filter(pk=field.pk).exists()

    response = editor_client.post(url)
    assert response.status_code == 302
    assert not ActionField.objects.filter(pk=field.pk).exists()


def test_freezing_and_adopting_through_the_staff_pages(editor_client, framework):
    response = editor_client.post(
        reverse("strategy:staff_freeze", args=[framework.slug]), {"note": "Für den Rat"}
    )
    version_url = reverse("strategy:staff_version", args=[framework.slug, 1])
    assert response["Location"] == version_url

    editor_client.post(version_url, {"status": "consultation"})
    page = _text(editor_client.get(version_url))
    assert 'name="decided_on"' in page and 'value="adopted"' in page

    missing = editor_client.post(version_url, {"status": "adopted"})
    assert missing.status_code == 200
    assert 'id="id_decided_on_error"' in _text(missing)

    editor_client.post(
        version_url,
        {"status": "adopted", "decided_on": "2025-02-01", "decision_reference": "DS 2025/0007"},
    )
    version = framework.versions.get()
    assert (version.status, version.decision_reference) == ("adopted", "DS 2025/0007")
    assert 'name="status"' not in _text(editor_client.get(version_url))


def test_freezing_an_unchanged_draft_shows_why_not(editor_client, framework):
    url = reverse("strategy:staff_freeze", args=[framework.slug])
    editor_client.post(url)
    response = editor_client.post(url, follow=True)
    assert "nichts geändert" in _text(response)
    assert framework.versions.count() == 1


def test_staff_can_compare_the_draft_with_the_last_version(editor_client, framework, editor):
    services.draft_freeze(actor=editor, strategy=framework)
    ActionFieldFactory(strategy=framework, code="NEU", name="Neues Feld")

    page = editor_client.get(
        reverse("strategy:staff_compare", args=[framework.slug]), {"von": 1, "mit": 0}
    )

    assert page.status_code == 200
    assert "NEU Neues Feld</strong></ins>" in _text(page)


def test_export_downloads_the_draft_or_a_version_as_json(editor_client, framework, editor):
    services.draft_freeze(actor=editor, strategy=framework)
    services.leitlinie_create(actor=editor, strategy=framework, title="Später", text="x")

    draft = editor_client.get(reverse("strategy:staff_export", args=[framework.slug]))
    assert draft["Content-Type"].startswith("application/json")
    assert f'filename="{framework.slug}.json"' in draft["Content-Disposition"]
    assert len(json.loads(draft.content)["leitlinien"]) == 3

    version = editor_client.get(
        reverse("strategy:staff_export", args=[framework.slug]), {"version": 1}
    )
    assert len(json.loads(version.content)["leitlinien"]) == 2
    assert (
        editor_client.get(
            reverse("strategy:staff_export", args=[framework.slug]), {"version": "x"}
        ).status_code
        == 404
    )


def test_the_staff_index_links_every_strategy(editor_client, framework):
    page = _text(editor_client.get(reverse("strategy:staff_index")))
    assert reverse("strategy:staff_strategy", args=[framework.slug]) in page
    assert framework.title in page


def test_deleting_a_leitlinie_through_the_page_is_audited(editor_client, framework):
    from leitbild.core.models import AuditEntry

    item = framework.leitlinien.first()
    editor_client.post(
        reverse("strategy:staff_item_delete", args=[framework.slug, "leitlinien", item.pk])
    )
    assert not Leitlinie.objects.filter(pk=item.pk).exists()
    assert AuditEntry.objects.filter(action="strategy.leitlinie.delete").exists()


def test_indicator_values_are_offered_for_editing_without_trailing_zeros(editor_client, framework):
    indicator = Indicator.objects.filter(goal__strategy=framework).first()
    page = _text(
        editor_client.get(
            reverse("strategy:staff_indicator_edit", args=[framework.slug, indicator.pk])
        )
    )
    assert 'name="baseline_value" value="10"' in page
    field_page = _text(
        editor_client.get(
            reverse("strategy:staff_field", args=[framework.slug, indicator.goal.field_id])
        )
    )
    assert "10 (2023)" in field_page


def test_a_field_others_still_refer_to_is_not_deleted(editor_client, framework, monkeypatch):
    # E.g. a weighting in the participation app protects the fields it counted.
    from django.db.models import ProtectedError

    def protected(self, *args, **kwargs):
        raise ProtectedError("protected", set())

    monkeypatch.setattr(ActionField, "delete", protected)
    field = framework.fields.first()
    url = reverse("strategy:staff_item_delete", args=[framework.slug, "felder", field.pk])

    response = editor_client.post(url)

    assert response.status_code == 200
    assert "noch andere Einträge darauf verweisen" in _text(response)
    assert ActionField.objects.filter(pk=field.pk).exists()
