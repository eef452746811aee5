"""Reads of the strategic framework.

Public pages read frozen versions only (``StrategyVersion.snapshot``); the editable rows are the
draft and are read by the staff pages and by ``draft_snapshot`` when a draft is frozen.

A snapshot is plain JSON, built by ``draft_snapshot``::

    {"format": 1,
     "strategy": {"title", "slug", "edition", "summary"},
     "leitlinien": [{"id", "title", "text"}],
     "fields": [{"id", "code", "name", "description", "colour", "icon",
                 "goals": [{"id", "code", "title", "description", "charter_principles",
                            "sdgs", "indicators": [{"id", "name", "unit", "direction",
                                                    "baseline_value", "baseline_year",
                                                    "target_value", "target_year",
                                                    "source", "qualitative"}]}]}]}

Lists are in display order. Numbers are decimal strings ("12.5") so that nothing is rounded.
The ``id`` of each row stays the same from one freeze to the next, which is what the version
comparison and other apps (ideas link to ``ActionField`` rows) rely on.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext

from leitbild.core.inbox import InboxEntry, Section

from .exchange import file_data_from_snapshot
from .models import ActionField, Goal, Indicator, Leitlinie, Strategy, StrategyVersion

SNAPSHOT_FORMAT = 1
PUBLIC_STATUSES = (
    StrategyVersion.Status.CONSULTATION,
    StrategyVersion.Status.ADOPTED,
    StrategyVersion.Status.SUPERSEDED,
)


def decimal_text(value: Decimal | None) -> str | None:
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


# --- Draft --------------------------------------------------------------------------------------


def strategy_list() -> QuerySet[Strategy]:
    return Strategy.objects.annotate(
        field_count=Count("fields", distinct=True),
        version_count=Count("versions", distinct=True),
    )


def strategy_get(*, slug: str) -> Strategy | None:
    return Strategy.objects.filter(slug=slug).first()


def draft_fields(*, strategy: Strategy) -> QuerySet[ActionField]:
    return strategy.fields.annotate(goal_count=Count("goals"))


def draft_field_goals(*, field: ActionField) -> QuerySet[Goal]:
    return field.goals.prefetch_related("indicators")


def draft_snapshot(*, strategy: Strategy) -> dict:
    """The draft rows of ``strategy`` as a snapshot, in four queries whatever their number."""
    indicators: dict[int, list[dict]] = {}
    for i in Indicator.objects.filter(goal__strategy=strategy).order_by("order", "pk"):
        indicators.setdefault(i.goal_id, []).append(
            {
                "id": i.pk,
                "name": i.name,
                "unit": i.unit,
                "direction": i.direction,
                "baseline_value": decimal_text(i.baseline_value),
                "baseline_year": i.baseline_year,
                "target_value": decimal_text(i.target_value),
                "target_year": i.target_year,
                "source": i.source,
                "qualitative": i.qualitative,
            }
        )
    goals: dict[int, list[dict]] = {}
    for g in Goal.objects.filter(strategy=strategy).order_by("order", "pk"):
        goals.setdefault(g.field_id, []).append(
            {
                "id": g.pk,
                "code": g.code,
                "title": g.title,
                "description": g.description,
                "charter_principles": list(g.charter_principles),
                "sdgs": list(g.sdgs),
                "indicators": indicators.get(g.pk, []),
            }
        )
    return {
        "format": SNAPSHOT_FORMAT,
        "strategy": {
            "title": strategy.title,
            "slug": strategy.slug,
            "edition": strategy.edition,
            "summary": strategy.summary,
        },
        "leitlinien": [
            {"id": item.pk, "title": item.title, "text": item.text}
            for item in Leitlinie.objects.filter(strategy=strategy).order_by("order", "pk")
        ],
        "fields": [
            {
                "id": f.pk,
                "code": f.code,
                "name": f.name,
                "description": f.description,
                "colour": f.colour,
                "icon": f.icon,
                "goals": goals.get(f.pk, []),
            }
            for f in ActionField.objects.filter(strategy=strategy).order_by("order", "pk")
        ],
    }


# --- Versions -------------------------------------------------------------------------------------


def version_list(*, strategy: Strategy, public: bool = False) -> QuerySet[StrategyVersion]:
    """Newest first, without the (large) snapshots."""
    versions = strategy.versions.defer("snapshot").select_related("strategy")
    return versions.filter(status__in=PUBLIC_STATUSES) if public else versions


def version_get(*, slug: str, number: int, public: bool = False) -> StrategyVersion | None:
    versions = StrategyVersion.objects.select_related("strategy").filter(
        strategy__slug=slug, number=number
    )
    if public:
        versions = versions.filter(status__in=PUBLIC_STATUSES)
    return versions.first()


def version_pair(
    *, strategy: Strategy, numbers: tuple[int, int], public: bool = False
) -> tuple[StrategyVersion | None, StrategyVersion | None]:
    versions = strategy.versions.filter(number__in=numbers)
    if public:
        versions = versions.filter(status__in=PUBLIC_STATUSES)
    by_number = {v.number: v for v in versions}
    return by_number.get(numbers[0]), by_number.get(numbers[1])


@dataclass
class PublicState:
    """What the public sees: the adopted version and a newer draft under consultation."""

    adopted: StrategyVersion | None
    consultation: StrategyVersion | None

    @property
    def main(self) -> StrategyVersion | None:
        """The version the public pages show first: the adopted one, else the draft."""
        return self.adopted or self.consultation


def public_state() -> PublicState:
    """One query. With several strategies (say the 2021 edition and the 2024 update) the
    version adopted most recently counts; a consultation draft counts if it is newer than it."""
    candidates = list(
        StrategyVersion.objects.select_related("strategy")
        .filter(status__in=[StrategyVersion.Status.ADOPTED, StrategyVersion.Status.CONSULTATION])
        .order_by("-created_at", "-pk")
    )
    adopted_versions = [v for v in candidates if v.status == StrategyVersion.Status.ADOPTED]
    adopted = max(adopted_versions, key=lambda v: (v.decided_on, v.created_at, v.pk), default=None)

    def newer_than_adopted(v: StrategyVersion) -> bool:
        return adopted is None or v.strategy_id != adopted.strategy_id or v.number > adopted.number

    consultation = next(
        (
            v
            for v in candidates
            if v.status == StrategyVersion.Status.CONSULTATION and newer_than_adopted(v)
        ),
        None,
    )
    return PublicState(adopted=adopted, consultation=consultation)


@dataclass(frozen=True)
class StrategySummary:
    leitlinien: int
    fields: int
    goals: int


def snapshot_counts(snapshot: dict) -> StrategySummary:
    return StrategySummary(
        leitlinien=len(snapshot["leitlinien"]),
        fields=len(snapshot["fields"]),
        goals=sum(len(f["goals"]) for f in snapshot["fields"]),
    )


def public_strategy_summary() -> StrategySummary | None:
    """Counts of the adopted version for the home page, or None while none is adopted."""
    adopted = public_state().adopted
    return snapshot_counts(adopted.snapshot) if adopted else None


def snapshot_field(snapshot: dict, *, code: str) -> dict | None:
    return next((f for f in snapshot["fields"] if f["code"] == code), None)


# --- Export ---------------------------------------------------------------------------------------


def export_strategy_default() -> Strategy | None:
    """The strategy to export when none is named: the public one, else the only one."""
    main = public_state().main
    if main:
        return main.strategy
    strategies = list(Strategy.objects.all()[:2])
    return strategies[0] if len(strategies) == 1 else None


def framework_file_data(*, strategy: Strategy, version: StrategyVersion | None = None) -> dict:
    """The content of a framework file: the draft, or a frozen version if one is given."""
    snapshot = version.snapshot if version is not None else draft_snapshot(strategy=strategy)
    return file_data_from_snapshot(snapshot)


def inbox_decisions(user) -> list[InboxEntry]:
    """For the Ratsbüro: each version with a council decision, to check or correct it. One
    query."""
    versions = (
        StrategyVersion.objects.filter(decided_on__isnull=False)
        .select_related("strategy")
        .order_by("-decided_on", "-pk")[:10]
    )
    return [
        InboxEntry(
            Section.AREAS,
            gettext("Beschluss zu Version %(number)s von „%(strategy)s“ prüfen oder korrigieren")
            % {"number": version.number, "strategy": version.strategy.title},
            reverse(
                "strategy:council_version_decision",
                kwargs={"slug": version.strategy.slug, "number": version.number},
            ),
            detail=date_format(version.decided_on, "SHORT_DATE_FORMAT"),
        )
        for version in versions
    ]


def version_documents(versions) -> dict[int, dict]:
    """version pk → {(kind, format) → GeneratedDocument}, one query for all versions."""
    from leitbild.documents.selectors import generated

    from .document import subject

    by_subject = generated(subjects=[subject(v) for v in versions])
    return {v.pk: by_subject.get(subject(v), {}) for v in versions}


def home_strategy() -> dict:
    """The strategy at a glance for the home page, in one query: the version the public pages
    show first (adopted, else the draft in consultation), its counts and fields of action."""
    version = public_state().main
    if version is None:
        return {"strategy": None, "version": None, "fields": []}
    return {
        "strategy": snapshot_counts(version.snapshot),
        "version": version,
        "fields": version.snapshot["fields"],
    }
