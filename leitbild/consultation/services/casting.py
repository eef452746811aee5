"""Casting and changing a weighting ballot. ``ballot_cast`` runs in
``transaction.atomic(durable=True)``: when the participant sees the confirmation, the ballot is
committed (into the ballot box, see ``ballot_box``)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from leitbild.consultation.ballots import encode_ballot, validate_ballot
from leitbild.participation.models import Phase
from leitbild.strategy.models import ActionField

from .. import identity
from ..models import (
    Ballot,
    DemographicQuestion,
    Participation,
    PendingBallot,
    Weighting,
    WeightingField,
)
from .ballot_box import _mix_when_full, _schedule_flush
from .demographics import _clean_demographics
from .identities import Access, Identity, ParticipationRefused, _claim, participation_identity

# The codec's former name here, for callers that packed ballots through the services.
pack_ballot = encode_ballot


def _ballot_check(weighting: Weighting, choices, demographics, preloaded=None):
    """Validate a ballot against the weighting's rules (two queries, none if ``preloaded``
    holds the fields and questions of a locked weighting: locked rules cannot change)."""
    if preloaded is not None and weighting.locked_at is not None:
        field_list, questions = preloaded
        fields = [(f.pk, f.name) for f in field_list]
    else:
        fields = list(
            WeightingField.objects.filter(weighting=weighting).values_list(
                "field_id", "field__name"
            )
        )
        questions = list(DemographicQuestion.objects.filter(phase_id=weighting.phase_id))
    rules = weighting.rules(tuple(pk for pk, _name in fields))
    errors = validate_ballot(rules, choices, labels=dict(fields))
    if errors:
        raise ValidationError([error.message for error in errors])
    demographic, codes = _clean_demographics(questions, demographics)
    return encode_ballot(rules, choices, codes), demographic


@transaction.atomic(durable=True)
def ballot_cast(
    *,
    weighting: Weighting,
    choices,
    demographics=None,
    code: str = "",
    identity_hash: str = "",
    now: datetime | None = None,
    preloaded: tuple[list[ActionField], list[DemographicQuestion]] | None = None,
) -> str:
    """Cast a ballot; returns the change token for the participant's cookie ("" if ballots
    cannot be changed).

    Raises ``ValidationError`` (German messages, nothing stored) for a ballot that breaks the
    rules, ``ParticipationRefused`` for anything about the identity or the phase.
    ``preloaded``: the ballot fields and demographic questions the caller already read (used
    only once the weighting is locked).
    """
    weighting = _weighting_open_locked(weighting, now or timezone.now())
    token = _ballot_into_box(
        weighting=weighting,
        choices=choices,
        demographics=demographics,
        code=code,
        identity_hash=identity_hash,
        preloaded=preloaded,
    )
    weighting_id = weighting.pk
    transaction.on_commit(lambda: _mix_when_full("weighting", weighting_id), robust=True)
    return token


@transaction.atomic
def ballots_cast_many(
    *, weighting: Weighting, ballots: Iterable[Mapping], now: datetime | None = None
) -> int:
    """Cast many ballots in one transaction, each exactly as ``ballot_cast`` casts one (the
    same rules, the same claim of its code or identity, the same ballot box), for loading
    many at once (the demo city): a durable commit per ballot would take most of the time.
    All or nothing: the first invalid or refused ballot raises as in ``ballot_cast`` and
    nothing is stored. Each ballot is a mapping of ``ballot_cast``'s keywords ``choices``,
    ``demographics``, ``code`` or ``identity_hash``. Returns how many were cast."""
    now = now or timezone.now()
    weighting = _weighting_open_locked(weighting, now)
    # Locked in this transaction: the rules read now are the rules of every ballot.
    weighting.locked_at = weighting.locked_at or now
    preloaded = (
        [wf.field for wf in weighting.weighting_fields.select_related("field")],
        list(DemographicQuestion.objects.filter(phase_id=weighting.phase_id)),
    )
    count = 0
    for ballot in ballots:
        _ballot_into_box(
            weighting=weighting,
            choices=ballot["choices"],
            demographics=ballot.get("demographics"),
            code=ballot.get("code", ""),
            identity_hash=ballot.get("identity_hash", ""),
            preloaded=preloaded,
        )
        count += 1
    weighting_id = weighting.pk
    transaction.on_commit(lambda: _mix_when_full("weighting", weighting_id), robust=True)
    return count


def _weighting_open_locked(weighting: Weighting, now: datetime) -> Weighting:
    """Refuse a closed phase; lock the rules with the first ballot. The first ballots take the
    row lock that staff configuration takes, then validate against the rules as they are
    now: a concurrent rule change cannot slip in between."""
    phase = weighting.phase
    if not phase.is_open(now):
        raise ParticipationRefused
    if weighting.locked_at is None:
        weighting = Weighting.objects.select_for_update().get(pk=weighting.pk)
        if weighting.locked_at is None:
            Weighting.objects.filter(pk=weighting.pk).update(locked_at=now)
            transaction.on_commit(lambda: _schedule_flush(phase), robust=True)
        weighting.phase = phase
    return weighting


def _ballot_into_box(
    *, weighting: Weighting, choices, demographics, code: str, identity_hash: str, preloaded
) -> str:
    """Validate, claim the identity and put the ballot into the ballot box (committed with
    the participation, moved on by ``ballot_box_mix``); returns the change token or ""."""
    (stored, vector), demographic = _ballot_check(weighting, choices, demographics, preloaded)
    token = identity.new_token() if weighting.allow_changes else ""
    _claim(
        phase=weighting.phase,
        mode=weighting.mode,
        code=code,
        identity_hash=identity_hash,
        change_token=token,
    )
    PendingBallot.objects.create(
        weighting=weighting,
        choices=stored,
        demographics=demographic,
        vector=vector,
        change_key=identity.ballot_key(token) if token else None,
    )
    return token


@transaction.atomic(durable=True)
def ballot_change(
    *, weighting: Weighting, token: str, choices, demographics=None, now: datetime | None = None
) -> None:
    """Replace a ballot, proven by the token in the participant's cookie: both the ballot and
    a participation of the phase must carry (differently keyed) hashes of it.

    The ballot is still in the box or already mixed. The box is tried first: if the mixer
    moves it meanwhile, the UPDATE waits for the mixer's row lock and matches nothing, and
    the next statement sees the moved row (READ COMMITTED; SQLite serialises writers)."""
    now = now or timezone.now()
    phase = Phase.objects.get(pk=weighting.phase_id)
    if not weighting.allow_changes or not phase.is_open(now) or not token:
        raise ParticipationRefused
    if not Participation.objects.filter(
        phase=phase, change_key=identity.participation_key(token)
    ).exists():
        raise ParticipationRefused
    (stored, vector), demographic = _ballot_check(weighting, choices, demographics)
    for model in (PendingBallot, Ballot):
        if model.objects.filter(weighting=weighting, change_key=identity.ballot_key(token)).update(
            choices=stored, demographics=demographic, vector=vector
        ):
            return
    raise ParticipationRefused


@dataclass(frozen=True)
class BallotReceipt:
    change_token: str  # for the participant's cookie; "" if ballots cannot be changed
    identity: Identity | None  # who took part; None when an existing ballot was changed


def ballot_submit(
    *,
    weighting: Weighting,
    choices,
    demographics=None,
    access: Access,
    change_token: str = "",
    changing: bool = False,
    preloaded: tuple[list[ActionField], list[DemographicQuestion]] | None = None,
) -> BallotReceipt:
    """A visitor's ballot: replaces the ballot ``change_token`` proves if ``changing``, else
    casts a new one for the identity that counts in the weighting's mode
    (``participation_identity``). Raises what ``ballot_change`` and ``ballot_cast`` raise."""
    if changing:
        ballot_change(
            weighting=weighting, token=change_token, choices=choices, demographics=demographics
        )
        return BallotReceipt(change_token=change_token, identity=None)
    who = participation_identity(phase=weighting.phase, mode=weighting.mode, access=access)
    token = ballot_cast(
        weighting=weighting,
        choices=choices,
        demographics=demographics,
        code=who.code,
        identity_hash=who.identity_hash,
        preloaded=preloaded,
    )
    return BallotReceipt(change_token=token, identity=who)
