"""Status of a version: Entwurf → in Beratung → beschlossen → abgelöst."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from leitbild.core.models import AuditEntry
from leitbild.strategy import services
from leitbild.strategy.models import Goal, StrategyVersion

from .conftest import adopt

pytestmark = pytest.mark.django_db
Status = StrategyVersion.Status


def _change(framework, editor):
    goal = Goal.objects.filter(strategy=framework).first()
    services.goal_update(actor=editor, goal=goal, code=goal.code, title=goal.title + " neu")


def test_a_version_goes_into_consultation_and_is_then_adopted(framework, editor):
    version = services.draft_freeze(actor=editor, strategy=framework)

    services.version_set_status(actor=editor, version=version, status=Status.CONSULTATION)
    services.version_set_status(
        actor=editor,
        version=version,
        status=Status.ADOPTED,
        decided_on=datetime.date(2024, 3, 21),
        decision_reference=" DS 2024/0412 ",
    )

    version.refresh_from_db()
    assert version.status == Status.ADOPTED
    assert version.decided_on == datetime.date(2024, 3, 21)
    assert version.decision_reference == "DS 2024/0412"
    entries = AuditEntry.objects.filter(action="strategy.version.status")
    assert [e.after["status"] for e in entries.order_by("id")] == ["consultation", "adopted"]


def test_adopting_needs_the_date_and_reference_of_the_decision(framework, editor):
    version = services.draft_freeze(actor=editor, strategy=framework)
    services.version_set_status(actor=editor, version=version, status=Status.CONSULTATION)

    with pytest.raises(ValidationError) as exc:
        services.version_set_status(
            actor=editor, version=version, status=Status.ADOPTED, decision_reference="  "
        )
    assert set(exc.value.message_dict) == {"decided_on", "decision_reference"}
    version.refresh_from_db()
    assert version.status == Status.CONSULTATION


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.DRAFT, Status.ADOPTED),
        (Status.DRAFT, Status.SUPERSEDED),
        (Status.CONSULTATION, Status.DRAFT),
        (Status.ADOPTED, Status.CONSULTATION),
        (Status.ADOPTED, Status.SUPERSEDED),
    ],
)
def test_statuses_only_move_forward_one_step(framework, editor, start, target):
    version = services.draft_freeze(actor=editor, strategy=framework)
    if start != Status.DRAFT:
        services.version_set_status(actor=editor, version=version, status=Status.CONSULTATION)
    if start == Status.ADOPTED:
        adopt_date = {"decided_on": datetime.date(2024, 1, 1), "decision_reference": "DS 1"}
        services.version_set_status(
            actor=editor, version=version, status=Status.ADOPTED, **adopt_date
        )
    with pytest.raises(ValidationError) as exc:
        services.version_set_status(
            actor=editor,
            version=version,
            status=target,
            decided_on=datetime.date(2024, 2, 2),
            decision_reference="DS 2",
        )
    assert "status" in exc.value.message_dict
    version.refresh_from_db()
    assert version.status == start


def test_adopting_a_newer_version_supersedes_the_older_adopted_one(framework, editor):
    first = adopt(services.draft_freeze(actor=editor, strategy=framework), editor)
    _change(framework, editor)
    second = services.draft_freeze(actor=editor, strategy=framework)

    adopt(second, editor, on=datetime.date(2026, 5, 1), reference="DS 2026/0100")

    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED
    # The decision that once adopted it stays on record.
    assert first.decided_on == datetime.date(2024, 3, 21)
    assert AuditEntry.objects.filter(
        action="strategy.version.supersede", object_id=str(first.pk)
    ).exists()


def test_older_drafts_and_consultations_are_superseded_too(framework, editor):
    older = services.draft_freeze(actor=editor, strategy=framework)
    services.version_set_status(actor=editor, version=older, status=Status.CONSULTATION)
    _change(framework, editor)
    newer = services.draft_freeze(actor=editor, strategy=framework)

    adopt(newer, editor)

    older.refresh_from_db()
    assert older.status == Status.SUPERSEDED


def test_an_older_version_cannot_be_adopted_after_a_newer_one(framework, editor):
    older = services.draft_freeze(actor=editor, strategy=framework)
    _change(framework, editor)
    newer = services.draft_freeze(actor=editor, strategy=framework)
    services.version_set_status(actor=editor, version=older, status=Status.CONSULTATION)
    adopt(newer, editor)

    older.refresh_from_db()
    assert older.status == Status.SUPERSEDED
    with pytest.raises(ValidationError):
        services.version_set_status(
            actor=editor,
            version=older,
            status=Status.ADOPTED,
            decided_on=datetime.date(2027, 1, 1),
            decision_reference="DS 3",
        )


def test_the_database_allows_one_adopted_version_per_strategy(adopted, editor):
    _change(adopted.strategy, editor)
    second = services.draft_freeze(actor=editor, strategy=adopted.strategy)
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategyVersion.objects.filter(pk=second.pk).update(
            status=Status.ADOPTED, decided_on=datetime.date(2025, 1, 1), decision_reference="DS"
        )


def test_the_database_refuses_an_adopted_version_without_decision(framework, editor):
    version = services.draft_freeze(actor=editor, strategy=framework)
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategyVersion.objects.filter(pk=version.pk).update(status=Status.ADOPTED)


def test_next_statuses_offer_only_the_allowed_step(framework, editor):
    version = services.draft_freeze(actor=editor, strategy=framework)
    assert services.version_next_statuses(version=version) == [Status.CONSULTATION]
    adopt(version, editor)
    assert services.version_next_statuses(version=version) == []
