"""Freezing the draft, and that a frozen version cannot change by any path."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from leitbild.core.models import AuditEntry
from leitbild.strategy import selectors, services
from leitbild.strategy.models import FrozenVersionError, Goal, StrategyVersion

from .factories import StrategyFactory

pytestmark = pytest.mark.django_db


def test_freezing_creates_an_immutable_numbered_version(framework, editor):
    first = services.draft_freeze(actor=editor, strategy=framework, note="Für den Ausschuss")
    goal = Goal.objects.filter(strategy=framework).first()
    services.goal_update(actor=editor, goal=goal, code=goal.code, title="Geänderter Titel")
    second = services.draft_freeze(actor=editor, strategy=framework)

    assert (first.number, second.number) == (1, 2)
    assert first.status == second.status == StrategyVersion.Status.DRAFT
    assert first.created_by == editor and first.note == "Für den Ausschuss"
    first.refresh_from_db()
    titles = [g["title"] for f in first.snapshot["fields"] for g in f["goals"]]
    assert "Geänderter Titel" not in titles
    assert AuditEntry.objects.filter(action="strategy.version.freeze").count() == 2


def test_the_snapshot_holds_the_whole_draft_with_ids_and_codes(framework, editor):
    version = services.draft_freeze(actor=editor, strategy=framework)

    snapshot = version.snapshot
    assert snapshot["strategy"]["slug"] == framework.slug
    assert len(snapshot["leitlinien"]) == 2
    field = snapshot["fields"][0]
    row = framework.fields.first()
    assert (field["id"], field["code"], field["name"]) == (row.pk, row.code, row.name)
    indicator = field["goals"][0]["indicators"][0]
    assert indicator["baseline_value"] == "10" and indicator["target_value"] == "50"
    assert snapshot == selectors.draft_snapshot(strategy=framework)


def test_numbers_count_per_strategy(framework, editor):
    services.draft_freeze(actor=editor, strategy=framework)
    other = services.draft_freeze(actor=editor, strategy=StrategyFactory())
    assert other.number == 1


def test_freezing_an_unchanged_draft_is_refused(framework, editor):
    services.draft_freeze(actor=editor, strategy=framework)
    with pytest.raises(ValidationError, match="nichts geändert"):
        services.draft_freeze(actor=editor, strategy=framework)
    assert framework.versions.count() == 1


def test_saving_a_changed_snapshot_is_refused(framework, editor):
    version = services.draft_freeze(actor=editor, strategy=framework)
    original = json.loads(json.dumps(version.snapshot))

    version.snapshot["leitlinien"][0]["title"] = "Heimlich geändert"
    with pytest.raises(FrozenVersionError):
        version.save()

    fresh = StrategyVersion.objects.get(pk=version.pk)
    fresh.snapshot = {"format": 1}
    with pytest.raises(FrozenVersionError):
        fresh.save(update_fields=["snapshot"])
    assert StrategyVersion.objects.get(pk=version.pk).snapshot == original


def test_a_version_built_by_hand_cannot_overwrite_a_stored_one(framework, editor):
    version = services.draft_freeze(actor=editor, strategy=framework)
    impostor = StrategyVersion(pk=version.pk, strategy=framework, number=1, snapshot={})
    with pytest.raises(FrozenVersionError):
        impostor.save()


def test_bulk_updates_cannot_touch_the_snapshot(framework, editor):
    version = services.draft_freeze(actor=editor, strategy=framework)
    with pytest.raises(FrozenVersionError):
        StrategyVersion.objects.filter(pk=version.pk).update(snapshot={})
    version.snapshot = {}
    with pytest.raises(FrozenVersionError):
        StrategyVersion.objects.bulk_update([version], ["snapshot"])
    assert StrategyVersion.objects.get(pk=version.pk).snapshot["leitlinien"]


def test_a_version_cannot_be_deleted(framework, editor):
    version = services.draft_freeze(actor=editor, strategy=framework)
    with pytest.raises(FrozenVersionError):
        version.delete()
    assert StrategyVersion.objects.filter(pk=version.pk).exists()


def test_saving_the_status_leaves_the_snapshot_alone(framework, editor):
    version = services.draft_freeze(actor=editor, strategy=framework)
    version.status = StrategyVersion.Status.CONSULTATION
    version.save()
    assert StrategyVersion.objects.get(pk=version.pk).status == "consultation"


def test_the_admin_shows_versions_read_only(framework, editor, admin_client):
    version = services.draft_freeze(actor=editor, strategy=framework)
    url = reverse("admin:strategy_strategyversion_change", args=[version.pk])

    page = admin_client.get(url)
    assert page.status_code == 200
    assert b'name="snapshot"' not in page.content  # shown, not editable

    response = admin_client.post(
        url, {"snapshot": '{"fields": []}', "status": "adopted", "number": "7"}
    )
    assert response.status_code == 403
    delete = admin_client.post(
        reverse("admin:strategy_strategyversion_delete", args=[version.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    add = admin_client.get(reverse("admin:strategy_strategyversion_add"))
    assert add.status_code == 403
    fresh = StrategyVersion.objects.get(pk=version.pk)
    assert (fresh.number, fresh.status, fresh.snapshot) == (1, "draft", version.snapshot)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_offers_no_way_to_write(client, adopted, method):
    for path in [
        "/api/v1/strategy",
        "/api/v1/strategy/versions",
        f"/api/v1/strategy/versions/{adopted.number}",
    ]:
        response = getattr(client, method)(
            path, data={"snapshot": {}}, content_type="application/json"
        )
        assert response.status_code == 405, path
    assert StrategyVersion.objects.get(pk=adopted.pk).snapshot == adopted.snapshot


def test_the_staff_version_page_changes_only_the_status(editor_client, framework, editor):
    version = services.draft_freeze(actor=editor, strategy=framework)
    url = reverse("strategy:staff_version", args=[framework.slug, version.number])

    editor_client.post(
        url, {"status": "consultation", "snapshot": "{}", "number": "9", "note": "anders"}
    )

    fresh = StrategyVersion.objects.get(pk=version.pk)
    assert fresh.status == "consultation"
    assert (fresh.number, fresh.note, fresh.snapshot) == (1, "", version.snapshot)


def test_editing_the_draft_after_freezing_leaves_the_public_version_unchanged(
    client, adopted, editor
):
    field = adopted.strategy.fields.first()
    services.field_update(
        actor=editor, field=field, code=field.code, name="Umbenannt", colour="#000000"
    )

    page = client.get(reverse("strategy:overview"))
    assert "Umbenannt" not in page.content.decode()
