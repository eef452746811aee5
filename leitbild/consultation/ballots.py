"""The four ballot methods' rules and the validation of a ballot, with German messages.

Pick *k* of *N*, distribute *P* points, rank, rate 1–5. Plain functions over Python values that
never touch the ORM; services, forms, the demo and the benchmark validate ballots here, and
:mod:`leitbild.consultation.statistics` aggregates them.

The end of the module is the one codec of the stored ballot (``encode_ballot``/``decode_ballot``
for one, ``encode_vectors``/``decode_vectors`` for many at once): services, the demo, the
selectors and the benchmark all read and write the vector through it.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from django.utils.translation import gettext, ngettext

# --------------------------------------------------------------------------------------------
# Ballot rules and validation
# --------------------------------------------------------------------------------------------


def _as_field_tuple(fields: Iterable[Hashable]) -> tuple[Hashable, ...]:
    result = tuple(fields)
    if not result:
        raise ValueError("a ballot needs at least one field")
    if len(set(result)) != len(result):
        raise ValueError("fields must be unique")
    return result


@dataclass(frozen=True)
class PickRules:
    """Pick between ``minimum`` and ``k`` of the fields (Wolfsburg: 3 of 10)."""

    method: ClassVar[str] = "pick"
    fields: tuple[Hashable, ...]
    k: int
    minimum: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", _as_field_tuple(self.fields))
        if not 1 <= self.minimum <= self.k <= len(self.fields):
            raise ValueError("need 1 <= minimum <= k <= number of fields")


@dataclass(frozen=True)
class PointsRules:
    """Distribute exactly ``total`` points, at most ``cap`` per field if given."""

    method: ClassVar[str] = "points"
    fields: tuple[Hashable, ...]
    total: int
    cap: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", _as_field_tuple(self.fields))
        if self.total < 1:
            raise ValueError("total must be positive")
        if self.cap is not None and (self.cap < 1 or self.cap * len(self.fields) < self.total):
            raise ValueError("the cap makes the total impossible to reach")


@dataclass(frozen=True)
class RankRules:
    """Rank the fields: all of them, or only the top ``depth``."""

    method: ClassVar[str] = "rank"
    fields: tuple[Hashable, ...]
    depth: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", _as_field_tuple(self.fields))
        if self.depth is not None and not 1 <= self.depth <= len(self.fields):
            raise ValueError("depth must be between 1 and the number of fields")

    @property
    def places(self) -> int:
        """How many places a ballot fills."""
        return len(self.fields) if self.depth is None else self.depth


@dataclass(frozen=True)
class RateRules:
    """Rate fields on a scale from ``low`` to ``high`` (1–5), every field or any of them."""

    method: ClassVar[str] = "rate"
    fields: tuple[Hashable, ...]
    low: int = 1
    high: int = 5
    require_all: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", _as_field_tuple(self.fields))
        if not 1 <= self.low < self.high:
            raise ValueError("need 1 <= low < high (0 means 'not rated' in ballot matrices)")


BallotRules = PickRules | PointsRules | RankRules | RateRules


@dataclass(frozen=True, slots=True)
class BallotError:
    """Why a ballot is refused: a stable code for programs and a German message for people."""

    code: str
    message: str
    field: Hashable | None = None


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def _field_name(value: object, labels: Mapping[Hashable, str] | None) -> str:
    if labels is not None:
        try:
            if value in labels:
                return labels[value]
        except TypeError:
            pass
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def validate_ballot(
    rules: BallotRules, ballot: object, *, labels: Mapping[Hashable, str] | None = None
) -> list[BallotError]:
    """Everything wrong with a ballot, in German; an empty list means it may be cast.

    Ballots: pick — a collection of fields; points, rank, rate — a mapping from field to points,
    place (1 = first) or rating. Unranked or unrated fields are simply absent. The ballot may
    come from a visitor, so anything at all is answered with errors, never an exception.
    ``labels`` names the fields in messages.
    """
    if isinstance(rules, PickRules):
        return _validate_pick(rules, ballot, labels)
    if not isinstance(ballot, Mapping):
        return [_unreadable()]
    entries = list(ballot.items())
    errors: list[BallotError] = []
    known = set(rules.fields)
    valid: dict[Hashable, int] = {}
    for key, value in entries:
        try:
            is_known = key in known
        except TypeError:
            return [_unreadable()]
        if not is_known:
            errors.append(_unknown_field(key, labels))
        elif not _is_int(value):
            errors.append(
                BallotError(
                    "invalid_value",
                    gettext("Bitte geben Sie für „%(field)s“ eine ganze Zahl ein.")
                    % {"field": _field_name(key, labels)},
                    key,
                )
            )
        else:
            valid[key] = int(value)
    if isinstance(rules, PointsRules):
        errors.extend(_validate_points(rules, valid, labels))
    elif isinstance(rules, RankRules):
        errors.extend(_validate_rank(rules, valid, labels))
    else:
        errors.extend(_validate_rate(rules, valid, labels))
    return errors


def _unreadable() -> BallotError:
    return BallotError(
        "invalid_ballot",
        gettext("Der Stimmzettel konnte nicht gelesen werden. Bitte füllen Sie ihn erneut aus."),
    )


def _unknown_field(key: object, labels: Mapping[Hashable, str] | None) -> BallotError:
    return BallotError(
        "unknown_field",
        gettext("„%(field)s“ gehört nicht zu dieser Abstimmung.")
        % {"field": _field_name(key, None)},
        key if isinstance(key, Hashable) else None,
    )


def _validate_pick(
    rules: PickRules, ballot: object, labels: Mapping[Hashable, str] | None
) -> list[BallotError]:
    if isinstance(ballot, str | bytes | Mapping) or not isinstance(ballot, Collection):
        return [_unreadable()]
    errors: list[BallotError] = []
    seen: set[Hashable] = set()
    known = set(rules.fields)
    for choice in ballot:
        try:
            is_known = choice in known
            duplicate = choice in seen
        except TypeError:
            return [_unreadable()]
        if not is_known:
            errors.append(_unknown_field(choice, labels))
        elif duplicate:
            errors.append(
                BallotError(
                    "duplicate_pick",
                    gettext("„%(field)s“ ist mehrfach gewählt.")
                    % {"field": _field_name(choice, labels)},
                    choice,
                )
            )
        seen.add(choice)
    count = len(seen & known)
    if count > rules.k:
        errors.append(
            BallotError(
                "too_many_picks",
                ngettext(
                    "Bitte wählen Sie höchstens %(k)d Handlungsfeld; Sie haben %(count)d gewählt.",
                    "Bitte wählen Sie höchstens %(k)d Handlungsfelder; "
                    "Sie haben %(count)d gewählt.",
                    rules.k,
                )
                % {"k": rules.k, "count": count},
            )
        )
    elif count < rules.minimum and not errors:
        errors.append(
            BallotError(
                "too_few_picks",
                ngettext(
                    "Bitte wählen Sie mindestens %(minimum)d Handlungsfeld.",
                    "Bitte wählen Sie mindestens %(minimum)d Handlungsfelder.",
                    rules.minimum,
                )
                % {"minimum": rules.minimum},
            )
        )
    return errors


def _validate_points(
    rules: PointsRules, points: Mapping[Hashable, int], labels: Mapping[Hashable, str] | None
) -> list[BallotError]:
    errors: list[BallotError] = []
    for key, value in points.items():
        if value < 0:
            errors.append(
                BallotError(
                    "negative_points",
                    gettext("Punkte für „%(field)s“ dürfen nicht negativ sein.")
                    % {"field": _field_name(key, labels)},
                    key,
                )
            )
        elif rules.cap is not None and value > rules.cap:
            errors.append(
                BallotError(
                    "points_over_cap",
                    ngettext(
                        "Sie können einem Handlungsfeld höchstens %(cap)d Punkt geben; "
                        "„%(field)s“ hat %(points)d.",
                        "Sie können einem Handlungsfeld höchstens %(cap)d Punkte geben; "
                        "„%(field)s“ hat %(points)d.",
                        rules.cap,
                    )
                    % {"cap": rules.cap, "field": _field_name(key, labels), "points": value},
                    key,
                )
            )
    given = sum(points.values())
    if given != rules.total:
        errors.append(
            BallotError(
                "points_sum",
                ngettext(
                    "Bitte verteilen Sie genau %(total)d Punkt; Sie haben %(given)d verteilt.",
                    "Bitte verteilen Sie genau %(total)d Punkte; Sie haben %(given)d verteilt.",
                    rules.total,
                )
                % {"total": rules.total, "given": given},
            )
        )
    return errors


def _validate_rank(
    rules: RankRules, ranks: Mapping[Hashable, int], labels: Mapping[Hashable, str] | None
) -> list[BallotError]:
    errors: list[BallotError] = []
    places = rules.places
    holders: dict[int, list[Hashable]] = {}
    for key, place in ranks.items():
        if not 1 <= place <= places:
            errors.append(
                BallotError(
                    "rank_out_of_range",
                    gettext(
                        "Platz %(place)d für „%(field)s“ gibt es nicht; "
                        "möglich sind die Plätze 1 bis %(places)d."
                    )
                    % {"place": place, "field": _field_name(key, labels), "places": places},
                    key,
                )
            )
        else:
            holders.setdefault(place, []).append(key)
    for place in sorted(holders):
        if len(holders[place]) > 1:
            names = ", ".join(f"„{_field_name(key, labels)}“" for key in holders[place])
            errors.append(
                BallotError(
                    "duplicate_rank",
                    gettext("Platz %(place)d ist mehrfach vergeben (%(fields)s).")
                    % {"place": place, "fields": names},
                )
            )
    missing = [place for place in range(1, places + 1) if place not in holders]
    if missing:
        errors.append(
            BallotError(
                "missing_rank",
                ngettext(
                    "Bitte vergeben Sie noch Platz %(places)s.",
                    "Bitte vergeben Sie noch die Plätze %(places)s.",
                    len(missing),
                )
                % {"places": ", ".join(str(place) for place in missing)},
            )
        )
    return errors


def _validate_rate(
    rules: RateRules, ratings: Mapping[Hashable, int], labels: Mapping[Hashable, str] | None
) -> list[BallotError]:
    errors: list[BallotError] = []
    for key, rating in ratings.items():
        if not rules.low <= rating <= rules.high:
            errors.append(
                BallotError(
                    "rating_out_of_range",
                    gettext(
                        "Bewertungen reichen von %(low)d bis %(high)d; „%(field)s“ hat %(rating)d."
                    )
                    % {
                        "low": rules.low,
                        "high": rules.high,
                        "field": _field_name(key, labels),
                        "rating": rating,
                    },
                    key,
                )
            )
    if rules.require_all:
        for key in rules.fields:
            if key not in ratings:
                errors.append(
                    BallotError(
                        "missing_rating",
                        gettext("Bitte bewerten Sie auch „%(field)s“.")
                        % {"field": _field_name(key, labels)},
                        key,
                    )
                )
    elif not ratings and not errors:
        errors.append(
            BallotError("empty_ballot", gettext("Bitte bewerten Sie mindestens ein Handlungsfeld."))
        )
    return errors


# --------------------------------------------------------------------------------------------
# The stored ballot: readable choices and the packed vector
# --------------------------------------------------------------------------------------------
# One little-endian int16 per ballot field, in the rules' field order (pick: 1 or 0; points;
# place or 0; rating or 0), then one code per demographic question (the option's index, −1
# for no answer). A ballot's vector is the bytes of its row; many rows joined end to end are
# what ``decode_vectors`` reads (see ``Ballot.vector``).
VECTOR_DTYPE = np.dtype("<i2")


def encode_ballot(
    rules: BallotRules, choices, demographic_codes: Sequence[int]
) -> tuple[object, bytes]:
    """A valid ballot as stored: JSON-friendly choices (in field order; mappings keyed by
    ``str(field)``) and its vector."""
    width = len(rules.fields)
    vector = np.zeros(width + len(demographic_codes), dtype=VECTOR_DTYPE)
    index = {key: column for column, key in enumerate(rules.fields)}
    if isinstance(rules, PickRules):
        stored: object = sorted(choices, key=index.__getitem__)
        for key in choices:
            vector[index[key]] = 1
    else:
        stored = {
            str(key): int(value)
            for key, value in sorted(choices.items(), key=lambda item: index[item[0]])
        }
        for key, value in choices.items():
            vector[index[key]] = int(value)
    vector[width:] = demographic_codes
    return stored, vector.tobytes()


def decode_ballot(rules: BallotRules, vector: bytes) -> tuple[object, list[int]]:
    """The choices (as ``validate_ballot`` takes them; fields with 0 left out) and the
    demographic codes of one stored vector."""
    values = np.frombuffer(vector, dtype=VECTOR_DTYPE)
    width = len(rules.fields)
    if values.size < width:
        raise ValueError("the vector is shorter than the ballot's fields")
    columns = values[:width]
    codes = [int(code) for code in values[width:]]
    if isinstance(rules, PickRules):
        return [key for key, value in zip(rules.fields, columns, strict=True) if value], codes
    return {
        key: int(value) for key, value in zip(rules.fields, columns, strict=True) if value
    }, codes


def encode_vectors(values: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Many ballots at once: an (n, fields) matrix of values and an (n, questions) matrix of
    codes as the (n, width) matrix of stored vectors; row ``i``'s bytes are ballot ``i``'s."""
    values, codes = np.asarray(values), np.asarray(codes)
    if values.ndim != 2 or codes.ndim != 2 or values.shape[0] != codes.shape[0]:
        raise ValueError("values and codes need one row per ballot")
    return np.hstack([values, codes]).astype(VECTOR_DTYPE, casting="unsafe")


def decode_vectors(packed: bytes, width: int) -> np.ndarray:
    """Stored vectors joined end to end as an (n, width) int16 matrix (read-only)."""
    if width == 0:
        return np.zeros((0, 0), dtype=np.int16)
    data = np.frombuffer(packed, dtype=VECTOR_DTYPE)
    if data.size % width:
        raise ValueError("ballot vectors do not match the ballot's fields and questions")
    return data.reshape(-1, width)
