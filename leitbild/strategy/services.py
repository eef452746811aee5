"""Writes to the strategic framework. Every function records itself in the audit log.

Uniqueness of slugs and codes is checked here, with a message naming the clash, so the saves
skip Django's constraint check (``validate_constraints=False``).

The editable rows (Leitlinien, fields, goals, indicators) are the draft. ``draft_freeze`` turns
the draft into a numbered ``StrategyVersion`` whose snapshot never changes again; afterwards
only its status moves on: Entwurf → in Beratung → beschlossen → abgelöst.
"""

import datetime
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError, QuerySet, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from leitbild.core.audit import audit_record, audited_save, snapshot

from . import selectors
from .audit import StrategyAction
from .exchange import (
    FrameworkFile,
    FrameworkFileError,
    Problem,
    parse_framework_file,
    template_path,
)
from .models import ActionField, Goal, Indicator, Leitlinie, Strategy, StrategyVersion

# Path segments under /strategie/ that a strategy's slug would shadow.
RESERVED_SLUGS = {"verwaltung", "handlungsfelder", "versionen", "vergleich", "neu", "import"}
TEMPLATES = ("smart-city-charta", "musterstadt")


def _next_order(siblings: QuerySet) -> int:
    current = siblings.aggregate(m=Max("order"))["m"]
    return 0 if current is None else current + 1


def _check_slug(slug: str, *, exclude_pk: int | None = None) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("Dieser Kurzname ist für Seitenadressen reserviert.")})
    if Strategy.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        raise ValidationError(
            {
                "slug": _("Eine Strategie mit dem Kurznamen „%(slug)s“ gibt es schon.")
                % {"slug": slug}
            }
        )


# --- Strategy -------------------------------------------------------------------------------------


@transaction.atomic
def strategy_create(
    *, actor, title: str, slug: str, edition: str, summary: str = "", template: str = ""
) -> Strategy:
    """A new strategy, empty or with the content of a shipped template (``TEMPLATES``)."""
    _check_slug(slug)
    if template:
        if template not in TEMPLATES:
            raise ValidationError({"template": _("Diese Vorlage gibt es nicht.")})
        file = parse_framework_file(template_path(template).read_bytes())
        return framework_import(
            actor=actor, file=file, title=title, slug=slug, edition=edition, summary=summary
        )
    strategy = Strategy(title=title, slug=slug, edition=edition, summary=summary)
    audited_save(
        actor=actor,
        obj=strategy,
        action=StrategyAction.STRATEGY_CREATE,
        before=None,
        validate_constraints=False,
    )
    return strategy


@transaction.atomic
def strategy_update(
    *, actor, strategy: Strategy, title: str, edition: str, summary: str = ""
) -> Strategy:
    before = snapshot(strategy)
    strategy.title, strategy.edition, strategy.summary = title, edition, summary
    audited_save(
        actor=actor,
        obj=strategy,
        action=StrategyAction.STRATEGY_UPDATE,
        before=before,
        validate_constraints=False,
    )
    return strategy


# --- Leitlinien -----------------------------------------------------------------------------------


@transaction.atomic
def leitlinie_create(*, actor, strategy: Strategy, title: str, text: str) -> Leitlinie:
    item = Leitlinie(
        strategy=strategy, title=title, text=text, order=_next_order(strategy.leitlinien.all())
    )
    audited_save(
        actor=actor,
        obj=item,
        action=StrategyAction.LEITLINIE_CREATE,
        before=None,
        validate_constraints=False,
    )
    return item


@transaction.atomic
def leitlinie_update(*, actor, leitlinie: Leitlinie, title: str, text: str) -> Leitlinie:
    before = snapshot(leitlinie)
    leitlinie.title, leitlinie.text = title, text
    audited_save(
        actor=actor,
        obj=leitlinie,
        action=StrategyAction.LEITLINIE_UPDATE,
        before=before,
        validate_constraints=False,
    )
    return leitlinie


# --- Fields of action -----------------------------------------------------------------------------


def _check_field_code(strategy: Strategy, code: str, exclude_pk: int | None = None) -> None:
    if ActionField.objects.filter(strategy=strategy, code=code).exclude(pk=exclude_pk).exists():
        raise ValidationError(
            {
                "code": _(
                    "Das Kürzel „%(code)s“ hat schon ein anderes Handlungsfeld dieser Strategie."
                )
                % {"code": code}
            }
        )


@transaction.atomic
def field_create(
    *,
    actor,
    strategy: Strategy,
    code: str,
    name: str,
    description: str = "",
    colour: str = "#0b5394",
    icon: str = "",
) -> ActionField:
    _check_field_code(strategy, code)
    item = ActionField(
        strategy=strategy,
        code=code,
        name=name,
        description=description,
        colour=colour,
        icon=icon,
        order=_next_order(strategy.fields.all()),
    )
    audited_save(
        actor=actor,
        obj=item,
        action=StrategyAction.FIELD_CREATE,
        before=None,
        validate_constraints=False,
    )
    return item


@transaction.atomic
def field_update(
    *,
    actor,
    field: ActionField,
    code: str,
    name: str,
    description: str = "",
    colour: str = "#0b5394",
    icon: str = "",
) -> ActionField:
    """Changes the row in place: its id, which ideas and projects refer to, stays."""
    _check_field_code(field.strategy, code, exclude_pk=field.pk)
    before = snapshot(field)
    field.code, field.name, field.description = code, name, description
    field.colour, field.icon = colour, icon
    audited_save(
        actor=actor,
        obj=field,
        action=StrategyAction.FIELD_UPDATE,
        before=before,
        validate_constraints=False,
    )
    return field


# --- Goals ----------------------------------------------------------------------------------------


def _check_goal_code(strategy: Strategy, code: str, exclude_pk: int | None = None) -> None:
    if Goal.objects.filter(strategy=strategy, code=code).exclude(pk=exclude_pk).exists():
        raise ValidationError(
            {
                "code": _("Das Kürzel „%(code)s“ hat schon ein anderes Ziel dieser Strategie.")
                % {"code": code}
            }
        )


@transaction.atomic
def goal_create(
    *,
    actor,
    field: ActionField,
    code: str,
    title: str,
    description: str = "",
    charter_principles: Sequence[str] = (),
    sdgs: Sequence[int] = (),
) -> Goal:
    _check_goal_code(field.strategy, code)
    item = Goal(
        strategy=field.strategy,
        field=field,
        code=code,
        title=title,
        description=description,
        charter_principles=list(charter_principles),
        sdgs=sorted(int(n) for n in sdgs),
        order=_next_order(field.goals.all()),
    )
    audited_save(
        actor=actor,
        obj=item,
        action=StrategyAction.GOAL_CREATE,
        before=None,
        validate_constraints=False,
    )
    return item


@transaction.atomic
def goal_update(
    *,
    actor,
    goal: Goal,
    code: str,
    title: str,
    description: str = "",
    charter_principles: Sequence[str] = (),
    sdgs: Sequence[int] = (),
) -> Goal:
    _check_goal_code(goal.strategy, code, exclude_pk=goal.pk)
    before = snapshot(goal)
    goal.code, goal.title, goal.description = code, title, description
    goal.charter_principles = list(charter_principles)
    goal.sdgs = sorted(int(n) for n in sdgs)
    audited_save(
        actor=actor,
        obj=goal,
        action=StrategyAction.GOAL_UPDATE,
        before=before,
        validate_constraints=False,
    )
    return goal


# --- Indicators -----------------------------------------------------------------------------------


def _check_indicator(*, baseline_value, baseline_year, target_value, target_year) -> None:
    errors = {}
    year_needed = _("Zu einem Wert gehört das Jahr, auf das er sich bezieht.")
    if baseline_value is not None and baseline_year is None:
        errors["baseline_year"] = year_needed
    if target_value is not None and target_year is None:
        errors["target_year"] = year_needed
    if baseline_year and target_year and target_year < baseline_year:
        errors["target_year"] = _("Das Zieljahr liegt vor dem Ausgangsjahr.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def indicator_create(
    *,
    actor,
    goal: Goal,
    name: str,
    unit: str = "",
    direction: str = Indicator.Direction.HIGHER,
    baseline_value: Decimal | None = None,
    baseline_year: int | None = None,
    target_value: Decimal | None = None,
    target_year: int | None = None,
    source: str = "",
    qualitative: bool = False,
) -> Indicator:
    _check_indicator(
        baseline_value=baseline_value,
        baseline_year=baseline_year,
        target_value=target_value,
        target_year=target_year,
    )
    item = Indicator(
        goal=goal,
        name=name,
        unit=unit,
        direction=direction,
        baseline_value=baseline_value,
        baseline_year=baseline_year,
        target_value=target_value,
        target_year=target_year,
        source=source,
        qualitative=qualitative,
        order=_next_order(goal.indicators.all()),
    )
    audited_save(
        actor=actor,
        obj=item,
        action=StrategyAction.INDICATOR_CREATE,
        before=None,
        validate_constraints=False,
    )
    return item


@transaction.atomic
def indicator_update(
    *,
    actor,
    indicator: Indicator,
    name: str,
    unit: str = "",
    direction: str = Indicator.Direction.HIGHER,
    baseline_value: Decimal | None = None,
    baseline_year: int | None = None,
    target_value: Decimal | None = None,
    target_year: int | None = None,
    source: str = "",
    qualitative: bool = False,
) -> Indicator:
    _check_indicator(
        baseline_value=baseline_value,
        baseline_year=baseline_year,
        target_value=target_value,
        target_year=target_year,
    )
    before = snapshot(indicator)
    values = {
        "name": name,
        "unit": unit,
        "direction": direction,
        "baseline_value": baseline_value,
        "baseline_year": baseline_year,
        "target_value": target_value,
        "target_year": target_year,
        "source": source,
        "qualitative": qualitative,
    }
    for key, value in values.items():
        setattr(indicator, key, value)
    audited_save(
        actor=actor,
        obj=indicator,
        action=StrategyAction.INDICATOR_UPDATE,
        before=before,
        validate_constraints=False,
    )
    return indicator


# --- Delete and reorder, the same for every kind of draft item ------------------------------------

DraftItem = Leitlinie | ActionField | Goal | Indicator


_DELETE_ACTIONS = {
    Leitlinie: StrategyAction.LEITLINIE_DELETE,
    ActionField: StrategyAction.FIELD_DELETE,
    Goal: StrategyAction.GOAL_DELETE,
    Indicator: StrategyAction.INDICATOR_DELETE,
}
_MOVE_ACTIONS = {
    Leitlinie: StrategyAction.LEITLINIE_MOVE,
    ActionField: StrategyAction.FIELD_MOVE,
    Goal: StrategyAction.GOAL_MOVE,
    Indicator: StrategyAction.INDICATOR_MOVE,
}


def _siblings(item: DraftItem) -> QuerySet:
    if isinstance(item, Goal):
        return Goal.objects.filter(field_id=item.field_id)
    if isinstance(item, Indicator):
        return Indicator.objects.filter(goal_id=item.goal_id)
    return type(item).objects.filter(strategy_id=item.strategy_id)


_DELETE_GUARDS: list[Callable[[DraftItem], None]] = []


def register_delete_guard(guard: Callable[[DraftItem], None]) -> None:
    """Lets another app refuse deleting a draft item it depends on (it raises
    ValidationError naming what depends on it); called from that app's ``ready``, so the
    strategy never imports the apps built on it."""
    if guard not in _DELETE_GUARDS:
        _DELETE_GUARDS.append(guard)


@transaction.atomic
def draft_item_delete(*, actor, item: DraftItem) -> None:
    """Deletes a draft item with everything below it. Frozen versions keep their copy."""
    for guard in _DELETE_GUARDS:
        guard(item)  # e.g. portfolio: goals that projects serve stay, with their names
    before = snapshot(item)
    audit_record(actor=actor, action=_DELETE_ACTIONS[type(item)], obj=item, before=before)
    try:
        item.delete()
    except (ProtectedError, RestrictedError):
        raise ValidationError(
            _("„%(item)s“ kann nicht gelöscht werden, weil noch andere Einträge darauf verweisen.")
            % {"item": item}
        ) from None


@transaction.atomic
def draft_item_move(*, actor, item: DraftItem, direction: Literal["up", "down"]) -> None:
    """Swaps ``item`` with its neighbour; the siblings are renumbered 0, 1, 2, … on the way."""
    siblings = list(_siblings(item).select_for_update().order_by("order", "pk"))
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(siblings):
        return
    before = {"order": siblings[index].order}
    siblings[index], siblings[target] = siblings[target], siblings[index]
    changed = []
    for position, sibling in enumerate(siblings):
        if sibling.order != position:
            sibling.order = position
            changed.append(sibling)
    type(item).objects.bulk_update(changed, ["order"])
    item.order = target
    audit_record(
        actor=actor,
        action=_MOVE_ACTIONS[type(item)],
        obj=item,
        before=before,
        after={"order": target},
    )


# --- Versions -------------------------------------------------------------------------------------


def _version_audit(version: StrategyVersion) -> dict:
    return snapshot(version, exclude=("snapshot",))


@transaction.atomic
def draft_freeze(
    *, actor, strategy: Strategy, note: str = "", now: datetime.datetime | None = None
) -> StrategyVersion:
    """Freezes the draft of ``strategy`` into the next numbered version (status Entwurf).

    ``now`` is when it was frozen (the demo and imports of earlier versions pass it).

    Takes a lock on the strategy row so that two editors freezing at once get two numbers.
    """
    strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
    content = selectors.draft_snapshot(strategy=strategy)
    latest = strategy.versions.order_by("-number").first()
    if latest is not None and latest.snapshot == content:
        raise ValidationError(
            _("Seit Version %(number)s wurde nichts geändert; es gibt nichts einzufrieren.")
            % {"number": latest.number}
        )
    version = StrategyVersion(
        strategy=strategy,
        number=(latest.number + 1) if latest else 1,
        status=StrategyVersion.Status.DRAFT,
        snapshot=content,
        note=note,
        created_at=now or timezone.now(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    version.full_clean()
    version.save()
    audit_record(
        actor=actor,
        action=StrategyAction.VERSION_FREEZE,
        obj=version,
        after=_version_audit(version),
    )
    return version


# Which status may follow which when someone sets it; SUPERSEDED is only ever set by adopting a
# newer version.
TRANSITIONS = {
    StrategyVersion.Status.DRAFT: {StrategyVersion.Status.CONSULTATION},
    StrategyVersion.Status.CONSULTATION: {StrategyVersion.Status.ADOPTED},
    StrategyVersion.Status.ADOPTED: set(),
    StrategyVersion.Status.SUPERSEDED: set(),
}


def version_next_statuses(*, version: StrategyVersion) -> list[StrategyVersion.Status]:
    return [s for s in StrategyVersion.Status if s in TRANSITIONS[version.status]]


@transaction.atomic
def version_set_status(
    *,
    actor,
    version: StrategyVersion,
    status: str,
    decided_on: datetime.date | None = None,
    decision_reference: str = "",
) -> StrategyVersion:
    """Moves a version on to ``status``. Adopting needs the date and reference of the council's
    decision, and supersedes the strategy's previously adopted version and any older version
    still in draft or consultation."""
    # Lock the row, then read the status the lock protects into the caller's object.
    StrategyVersion.objects.select_for_update().filter(pk=version.pk).values_list("pk").get()
    version.refresh_from_db(fields=["status", "decided_on", "decision_reference"])
    status = StrategyVersion.Status(status)
    if status not in TRANSITIONS[version.status]:
        raise ValidationError(
            {
                "status": _(
                    "Eine Version mit dem Status „%(current)s“ kann nicht auf „%(new)s“ gesetzt "
                    "werden."
                )
                % {"current": version.get_status_display(), "new": status.label}
            }
        )
    before = _version_audit(version)
    if status == StrategyVersion.Status.ADOPTED:
        errors = {}
        if decided_on is None:
            errors["decided_on"] = _("Geben Sie das Datum des Beschlusses an.")
        elif message := _decision_date_problem(decided_on):
            errors["decided_on"] = message
        if not decision_reference.strip():
            errors["decision_reference"] = _(
                "Geben Sie den Beschluss an, z. B. die Nummer der Drucksache."
            )
        if errors:
            raise ValidationError(errors)
        adopted = version.strategy.versions.filter(status=StrategyVersion.Status.ADOPTED).first()
        if adopted is not None and adopted.number > version.number:
            raise ValidationError(
                {
                    "status": _(
                        "Version %(newer)s ist schon beschlossen; eine ältere Version kann nicht "
                        "mehr "
                        "beschlossen werden."
                    )
                    % {"newer": adopted.number}
                }
            )
        older = version.strategy.versions.filter(
            number__lt=version.number,
            status__in=[
                StrategyVersion.Status.ADOPTED,
                StrategyVersion.Status.CONSULTATION,
                StrategyVersion.Status.DRAFT,
            ],
        ).order_by("number")
        for old in older:
            old_before = _version_audit(old)
            old.status = StrategyVersion.Status.SUPERSEDED
            old.save(update_fields=["status"])
            audit_record(
                actor=actor,
                action=StrategyAction.VERSION_SUPERSEDE,
                obj=old,
                before=old_before,
                after=_version_audit(old),
            )
        version.decided_on = decided_on
        version.decision_reference = decision_reference.strip()
    version.status = status
    version.save(update_fields=["status", "decided_on", "decision_reference"])
    audit_record(
        actor=actor,
        action=StrategyAction.VERSION_STATUS,
        obj=version,
        before=before,
        after=_version_audit(version),
    )
    return version


def _decision_date_problem(decided_on: datetime.date) -> str:
    """Why ``decided_on`` cannot be the date of a council decision (empty if it can): a
    decision lies in the past or is taken today, in the city's time zone."""
    if decided_on > timezone.localdate():
        return _(
            "Das Datum des Beschlusses liegt in der Zukunft. Geben Sie den Tag an, an dem der "
            "Rat beschlossen hat."
        )
    return ""


@transaction.atomic
def version_decision_correct(
    *,
    actor,
    version: StrategyVersion,
    decided_on: datetime.date | None,
    decision_reference: str,
    reason: str,
) -> StrategyVersion:
    """Corrects the date and reference of the council's decision on an adopted (or since
    superseded) version, e.g. a mistyped date. Its status and content stay as they are; the
    audit entry keeps the old and new values and the reason.

    Only for the Ratsbüro and Administration (checked by the view)."""
    StrategyVersion.objects.select_for_update().filter(pk=version.pk).values_list("pk").get()
    version.refresh_from_db(fields=["status", "decided_on", "decision_reference"])
    if version.decided_on is None:
        raise ValidationError(
            _("Diese Version wurde nicht beschlossen; es gibt keinen Beschluss zu korrigieren.")
        )
    decision_reference, reason = decision_reference.strip(), reason.strip()
    errors = {}
    if decided_on is None:
        errors["decided_on"] = _("Geben Sie das Datum des Beschlusses an.")
    elif message := _decision_date_problem(decided_on):
        errors["decided_on"] = message
    if not decision_reference:
        errors["decision_reference"] = _(
            "Geben Sie den Beschluss an, z. B. die Nummer der Drucksache."
        )
    if not reason:
        errors["reason"] = _("Bitte geben Sie eine Begründung an.")
    if errors:
        raise ValidationError(errors)
    if (decided_on, decision_reference) == (version.decided_on, version.decision_reference):
        raise ValidationError(
            _("Datum und Beschluss sind unverändert; es gibt nichts zu korrigieren.")
        )
    before = _version_audit(version)
    version.decided_on = decided_on
    version.decision_reference = decision_reference
    version.save(update_fields=["decided_on", "decision_reference"])
    audit_record(
        actor=actor,
        action=StrategyAction.VERSION_DECISION_CORRECT,
        obj=version,
        before=before,
        after={**_version_audit(version), "reason": reason},
    )
    return version


# --- Import ---------------------------------------------------------------------------------------


@transaction.atomic
def framework_import(
    *,
    actor,
    file: FrameworkFile,
    title: str | None = None,
    slug: str | None = None,
    edition: str | None = None,
    summary: str | None = None,
) -> Strategy:
    """Creates a new strategy whose draft holds the framework of ``file``.

    All or nothing: the file was checked as a whole by ``parse_framework_file``; a clash with
    the database (a slug in use) raises ``FrameworkFileError`` before anything is written, and
    anything failing later rolls the whole import back.
    """
    meta = file.data["strategy"]
    slug = slug or meta["slug"]
    try:
        _check_slug(slug)
    except ValidationError as exc:
        line = None if slug != meta["slug"] else file.line_of(("strategy", "slug"))
        raise FrameworkFileError(
            [Problem(line, "strategy.slug", exc.message_dict["slug"][0])]
        ) from None
    strategy = Strategy(
        title=title or meta["title"],
        slug=slug,
        edition=edition or meta["edition"],
        summary=meta.get("summary", "") if summary is None else summary,
    )
    try:
        strategy.full_clean()  # the file was checked; this catches overrides such as --slug
    except ValidationError as exc:
        raise FrameworkFileError(
            [
                Problem(None, f"strategy.{name}", message)
                for name, messages in exc.message_dict.items()
                for message in messages
            ]
        ) from None
    strategy.save()
    for order, item in enumerate(file.data["leitlinien"]):
        Leitlinie.objects.create(
            strategy=strategy, order=order, title=item["title"], text=item["text"]
        )
    for f_order, f in enumerate(file.data["fields"]):
        field = ActionField.objects.create(
            strategy=strategy,
            order=f_order,
            code=f["code"],
            name=f["name"],
            description=f.get("description", ""),
            colour=f.get("colour", "#0b5394"),
            icon=f.get("icon", ""),
        )
        for g_order, g in enumerate(f.get("goals", [])):
            goal = Goal.objects.create(
                strategy=strategy,
                field=field,
                order=g_order,
                code=g["code"],
                title=g["title"],
                description=g.get("description", ""),
                charter_principles=list(g.get("charter_principles", [])),
                sdgs=sorted(int(n) for n in g.get("sdgs", [])),
            )
            Indicator.objects.bulk_create(
                [
                    Indicator(
                        goal=goal,
                        order=i_order,
                        name=i["name"],
                        unit=i.get("unit", ""),
                        direction=i.get("direction", Indicator.Direction.HIGHER),
                        baseline_value=_decimal(i.get("baseline_value")),
                        baseline_year=_year(i.get("baseline_year")),
                        target_value=_decimal(i.get("target_value")),
                        target_year=_year(i.get("target_year")),
                        source=i.get("source", ""),
                        qualitative=i.get("qualitative", False),
                    )
                    for i_order, i in enumerate(g.get("indicators", []))
                ]
            )
    counts = selectors.snapshot_counts(selectors.draft_snapshot(strategy=strategy))
    audit_record(
        actor=actor,
        action=StrategyAction.IMPORT,
        obj=strategy,
        after={
            **snapshot(strategy),
            "leitlinien": counts.leitlinien,
            "fields": counts.fields,
            "goals": counts.goals,
        },
    )
    return strategy


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def _year(value) -> int | None:
    return None if value is None else int(value)


# --- The strategy document (documents app) -------------------------------------------------------


def document_generate(*, actor, version: StrategyVersion, report=None) -> list:
    """Builds the strategy document of ``version`` and stores its PDF and DOCX.

    Rendering takes seconds (``docs/performance.md``), so it runs outside a transaction; the
    files replace the previous ones only when both are complete (``documents.services``).
    """
    from leitbild.documents.models import DocumentKind
    from leitbild.documents.services import document_store

    from .document import strategy_document, subject

    if report:
        report(0)
    document = strategy_document(version)
    rows = document_store(
        actor=actor,
        subject=subject(version),
        kind=DocumentKind.STRATEGY,
        document=document,
        basename=f"{version.strategy.slug}-v{version.number}-strategie",
        report=report,
    )
    audit_record(
        actor=actor,
        action=StrategyAction.DOCUMENT_GENERATE,
        obj=version,
        after={row.format: row.sha256 for row in rows},
    )
    return rows


def document_generate_start(*, actor, version: StrategyVersion):
    """Starts :func:`document_generate` as a background task; returns its ``TaskProgress``."""
    from leitbild.core.progress import progress_start

    from .tasks import strategy_document_task

    return progress_start(
        label=_("Strategiedokument erzeugen: Version %(number)d") % {"number": version.number},
        started_by=actor,
        task=strategy_document_task,
        args=(version.pk,),
    )


def document_arrangement_save(*, actor, strategy: Strategy, rows) -> None:
    """The Redaktion's order, inclusion and introductions of the document's chapters."""
    from leitbild.documents.contents import section_specs
    from leitbild.documents.services import arrangement_save

    from .document import DOCUMENT, scope

    arrangement_save(
        scope=scope(strategy), known=[s.key for s in section_specs(DOCUMENT)], rows=rows
    )
    audit_record(
        actor=actor,
        action=StrategyAction.DOCUMENT_ARRANGE,
        obj=strategy,
        after={row.key: {"position": row.position, "included": row.included} for row in rows},
    )
