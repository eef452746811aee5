"""Comparing two snapshots of a framework: what was added, removed and changed.

Items are matched by their row ``id``, which survives every freeze, so a goal whose code or
title changed shows as changed, not as removed and added. Text changes are marked word by
word with ``<ins>`` and ``<del>``; every piece of text is escaped before it is marked.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import CharterPrinciple, Indicator

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff_html(old: str, new: str) -> SafeString:
    """``old`` turned into ``new``, as escaped HTML with deleted and inserted words marked."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    deleted, inserted = escape(_("gestrichen:")), escape(_("eingefügt:"))
    parts: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(
                f'<del><span class="kern-sr-only">{deleted} </span>'
                f"{escape(''.join(a[i1:i2]))}</del>"
            )
        if j2 > j1:
            parts.append(
                f'<ins><span class="kern-sr-only">{inserted} </span>'
                f"{escape(''.join(b[j1:j2]))}</ins>"
            )
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


@dataclass
class AttributeChange:
    label: str
    old: str
    new: str

    @property
    def html(self) -> SafeString:
        return word_diff_html(self.old, self.new)


@dataclass
class ItemChange:
    label: str
    context: str = ""
    changes: list[AttributeChange] = field(default_factory=list)
    text: str = ""  # for added and removed items: their main text


@dataclass
class SectionDiff:
    key: str
    title: str
    added: list[ItemChange] = field(default_factory=list)
    removed: list[ItemChange] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    reordered: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.reordered)


@dataclass
class FrameworkDiff:
    strategy: list[AttributeChange]
    sections: list[SectionDiff]

    @property
    def is_empty(self) -> bool:
        return not self.strategy and all(s.is_empty for s in self.sections)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "added": sum(len(s.added) for s in self.sections),
            "removed": sum(len(s.removed) for s in self.sections),
            "changed": sum(len(s.changed) for s in self.sections),
        }


# --- How each kind of item reads ------------------------------------------------------------------


def _number(value: str | None, year: int | None) -> str:
    from django.utils.formats import number_format

    if value is None and year is None:
        return "–"
    text = number_format(value, use_l10n=True, force_grouping=True) if value is not None else "–"
    return f"{text} ({year})" if year else text


def _yes_no(value: bool) -> str:
    return _("ja") if value else _("nein")


def _principles(goal: dict) -> list[str]:
    """A goal's Leitlinien as a set, in the Charta's order: the order they were ticked or
    stored in is no change anybody made."""
    chosen = set(goal["charter_principles"])
    return [value for value in CharterPrinciple.values if value in chosen]


STRATEGY_ATTRIBUTES = [
    (gettext_lazy("Titel"), lambda s: s["title"]),
    (gettext_lazy("Ausgabe"), lambda s: s["edition"]),
    (gettext_lazy("Zusammenfassung"), lambda s: s["summary"]),
]
LEITLINIE_ATTRIBUTES = [
    (gettext_lazy("Titel"), lambda i: i["title"]),
    (gettext_lazy("Text"), lambda i: i["text"]),
]
FIELD_ATTRIBUTES = [
    (gettext_lazy("Kürzel"), lambda f: f["code"]),
    (gettext_lazy("Name"), lambda f: f["name"]),
    (gettext_lazy("Beschreibung"), lambda f: f["description"]),
    (gettext_lazy("Farbe"), lambda f: f["colour"]),
    (gettext_lazy("Symbol"), lambda f: f["icon"]),
]
GOAL_ATTRIBUTES = [
    (gettext_lazy("Kürzel"), lambda g: g["code"]),
    (gettext_lazy("Titel"), lambda g: g["title"]),
    (gettext_lazy("Beschreibung"), lambda g: g["description"]),
    (gettext_lazy("Handlungsfeld"), lambda g: g["_parent"], lambda g: g["_parent_id"]),
    (
        gettext_lazy("Leitlinien der Smart City Charta"),
        lambda g: ", ".join(str(CharterPrinciple(c).label) for c in _principles(g)),
    ),
    (
        gettext_lazy("Nachhaltigkeitsziele (SDG)"),
        lambda g: ", ".join(f"SDG {n}" for n in sorted(set(g["sdgs"]))),
    ),
]
INDICATOR_ATTRIBUTES = [
    (gettext_lazy("Name"), lambda i: i["name"]),
    (gettext_lazy("Ziel"), lambda i: i["_parent"], lambda i: i["_parent_id"]),
    (gettext_lazy("Einheit"), lambda i: i["unit"]),
    (gettext_lazy("Richtung"), lambda i: str(Indicator.Direction(i["direction"]).label)),
    (gettext_lazy("Ausgangswert"), lambda i: _number(i["baseline_value"], i["baseline_year"])),
    (gettext_lazy("Zielwert"), lambda i: _number(i["target_value"], i["target_year"])),
    (gettext_lazy("Datenquelle"), lambda i: i["source"]),
    (gettext_lazy("qualitativ"), lambda i: _yes_no(i["qualitative"])),
]


def _flatten(snapshot: dict) -> dict[str, list[dict]]:
    """Each kind of item in display order, goals and indicators knowing their parent."""
    goals, indicators = [], []
    for f in snapshot["fields"]:
        for g in f["goals"]:
            goals.append(
                {
                    **g,
                    "_parent": f"{f['code']} {f['name']}",
                    "_parent_id": f["id"],
                    "_field": f["name"],
                }
            )
            for i in g["indicators"]:
                indicators.append(
                    {**i, "_parent": f"{g['code']} {g['title']}", "_parent_id": g["id"]}
                )
    return {
        "leitlinien": snapshot["leitlinien"],
        "fields": snapshot["fields"],
        "goals": goals,
        "indicators": indicators,
    }


def _compare_attributes(old: dict, new: dict, attributes) -> list[AttributeChange]:
    """Each attribute is (label, read) or (label, read, key): with a key, the attribute counts
    as changed only when the key does, e.g. a goal moved to another field, not renamed."""
    changes = []
    for label, read, *key in attributes:
        compare = key[0] if key else read
        if compare(old) != compare(new):
            changes.append(AttributeChange(label=str(label), old=read(old), new=read(new)))
    return changes


def _reordered(old_items: list[dict], new_items: list[dict]) -> bool:
    """Whether items that kept their parent appear in another order under it."""

    def parent(item: dict):
        return item.get("_parent_id")

    old_parent = {i["id"]: parent(i) for i in old_items}
    stable = {i["id"] for i in new_items if old_parent.get(i["id"], ...) == parent(i)}

    def sequences(items: list[dict]) -> dict:
        result: dict = {}
        for item in items:
            if item["id"] in stable:
                result.setdefault(parent(item), []).append(item["id"])
        return result

    return sequences(old_items) != sequences(new_items)


def _section(
    key: str,
    title: str,
    old_items: list[dict],
    new_items: list[dict],
    attributes,
    label,
    context,
    text,
) -> SectionDiff:
    section = SectionDiff(key=key, title=title)
    old_by_id = {item["id"]: item for item in old_items}
    new_by_id = {item["id"]: item for item in new_items}
    for item in new_items:
        if item["id"] not in old_by_id:
            section.added.append(
                ItemChange(label=label(item), context=context(item), text=text(item))
            )
        else:
            changes = _compare_attributes(old_by_id[item["id"]], item, attributes)
            if changes:
                section.changed.append(
                    ItemChange(label=label(item), context=context(item), changes=changes)
                )
    for item in old_items:
        if item["id"] not in new_by_id:
            section.removed.append(
                ItemChange(label=label(item), context=context(item), text=text(item))
            )
    section.reordered = _reordered(old_items, new_items)
    return section


def framework_diff(old: dict, new: dict) -> FrameworkDiff:
    """What changed from snapshot ``old`` to snapshot ``new``."""
    a, b = _flatten(old), _flatten(new)

    def none(_item: dict) -> str:
        return ""

    sections = [
        _section(
            "leitlinien",
            _("Leitlinien"),
            a["leitlinien"],
            b["leitlinien"],
            LEITLINIE_ATTRIBUTES,
            lambda i: i["title"],
            none,
            lambda i: i["text"],
        ),
        _section(
            "fields",
            _("Handlungsfelder"),
            a["fields"],
            b["fields"],
            FIELD_ATTRIBUTES,
            lambda f: f"{f['code']} {f['name']}",
            none,
            lambda f: f["description"],
        ),
        # Goals and indicators are compared across fields, so a goal moved to another field
        # shows as changed, not as removed and added.
        _section(
            "goals",
            _("Strategische Ziele"),
            a["goals"],
            b["goals"],
            GOAL_ATTRIBUTES,
            lambda g: f"{g['code']} {g['title']}",
            lambda g: _("Handlungsfeld %(name)s") % {"name": g["_field"]},
            lambda g: g["description"],
        ),
        _section(
            "indicators",
            _("Indikatoren"),
            a["indicators"],
            b["indicators"],
            INDICATOR_ATTRIBUTES,
            lambda i: i["name"],
            lambda i: _("Ziel %(goal)s") % {"goal": i["_parent"]},
            lambda i: (
                _("Ausgangswert %(baseline)s, Zielwert %(target)s")
                % {
                    "baseline": _number(i["baseline_value"], i["baseline_year"]),
                    "target": _number(i["target_value"], i["target_year"]),
                }
            ),
        ),
    ]
    return FrameworkDiff(
        strategy=_compare_attributes(old["strategy"], new["strategy"], STRATEGY_ATTRIBUTES),
        sections=sections,
    )
