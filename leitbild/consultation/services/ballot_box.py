"""The ballot box: ballots and responses wait here, written by the transaction that writes
the participation; ``ballot_box_mix`` moves them on in shuffled batches, in a transaction of
its own (see docs/security.md, "Ballot secrecy")."""

import logging
import secrets
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from leitbild.participation.models import Phase

from ..models import (
    Ballot,
    PendingBallot,
    PendingResponse,
    Survey,
    SurveyResponse,
    Weighting,
)

log = logging.getLogger(__name__)


_BOXES = {
    "weighting": (
        PendingBallot,
        Ballot,
        "weighting_id",
        ("choices", "demographics", "vector", "change_key"),
        {},
    ),
    "survey": (
        PendingResponse,
        SurveyResponse,
        "survey_id",
        ("answers", "demographics"),
        {"submitted": True},
    ),
}


def _shuffle(items: list) -> None:
    secrets.SystemRandom().shuffle(items)


def ballot_box_minimum() -> int:
    """k: the box is mixed once at least this many entries wait (``LEITBILD_BALLOT_MIX_MIN``)."""
    return max(1, int(getattr(settings, "LEITBILD_BALLOT_MIX_MIN", 20)))


def _box_move(*, kind: str, pk: int, flush: bool = False) -> int:
    """Move what waits in the box of one weighting or survey into the final table: in random
    order, under new random keys, written by the caller's transaction. Nothing happens while
    fewer than k entries wait, unless ``flush``. Returns how many entries moved.

    Must run in a transaction that writes nothing about identities. The box rows are locked
    first, so two mixers never move an entry twice and a concurrent ``ballot_change`` either
    finishes before (its change is moved) or waits and then finds the moved row."""
    box, final, parent, copied, extra = _BOXES[kind]
    entries = list(box.objects.select_for_update().filter(**{parent: pk}))
    if not entries or (len(entries) < ballot_box_minimum() and not flush):
        return 0
    _shuffle(entries)
    final.objects.bulk_create(
        [
            final(**{parent: pk}, **{name: getattr(e, name) for name in copied}, **extra)
            for e in entries
        ],
        batch_size=2000,
    )
    ids = [e.pk for e in entries]
    for start in range(0, len(ids), 2000):
        box.objects.filter(pk__in=ids[start : start + 2000]).delete()
    return len(entries)


def _vacuum_box(kind: str = "") -> None:
    """Remove the dead rows a move leaves behind. PostgreSQL keeps a deleted row, with the
    ``xmin`` it shared with its participation, until VACUUM: box entries, and survey drafts
    deleted on submission. The boxes are small tables, so this is cheap. Runs outside a
    transaction (VACUUM cannot run in one); ``kind`` "" vacuums every box."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    models = {"weighting": (PendingBallot,), "survey": (PendingResponse, SurveyResponse)}
    chosen = models.get(kind) or (PendingBallot, PendingResponse, SurveyResponse)
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in chosen)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {tables}")
    except DatabaseError as error:  # e.g. not the owner of the tables: autovacuum remains
        log.warning("vacuum of the ballot box failed: %s", error)


@transaction.atomic(durable=True)
def _box_mix_durable(*, kind: str, pk: int, flush: bool) -> int:
    return _box_move(kind=kind, pk=pk, flush=flush)


def ballot_box_mix(*, kind: str, pk: int, flush: bool = False) -> int:
    """Mix the box of a weighting (``kind="weighting"``) or survey (``"survey"``) in a
    transaction of its own, then vacuum. Safe to call any time and concurrently."""
    moved = _box_mix_durable(kind=kind, pk=pk, flush=flush)
    if moved:
        _vacuum_box(kind)
    return moved


def ballot_boxes_flush(*, phase: Phase, now: datetime | None = None) -> int:
    """Once the phase has ended: mix the rest of its boxes, also fewer than k."""
    if phase.ends_at > (now or timezone.now()):
        return 0
    moved = sum(
        ballot_box_mix(kind="weighting", pk=pk, flush=True)
        for pk in Weighting.objects.filter(phase=phase).values_list("pk", flat=True)
    )
    moved += sum(
        ballot_box_mix(kind="survey", pk=pk, flush=True)
        for pk in Survey.objects.filter(phase=phase).values_list("pk", flat=True)
    )
    return moved


def _mix_when_full(kind: str, pk: int) -> None:
    """After a cast has committed: ask the worker to mix once k entries wait."""
    box, _final, parent, _copied, _extra = _BOXES[kind]
    if box.objects.filter(**{parent: pk}).count() >= ballot_box_minimum():
        from ..tasks import ballot_box_mix_task

        ballot_box_mix_task.enqueue(kind, pk)


def _schedule_flush(phase: Phase) -> None:
    """Ask the worker to mix the rest at the end of the phase (backends without deferred
    tasks, as in tests, cannot: then the purge or an explicit flush does it)."""
    from ..tasks import ballot_boxes_flush_task

    if phase.kind not in (Phase.Kind.WEIGHTING, Phase.Kind.SURVEY):
        return
    if ballot_boxes_flush_task.get_backend().supports_defer:
        ballot_boxes_flush_task.using(run_after=phase.ends_at).enqueue(phase.pk)
