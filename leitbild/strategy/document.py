"""The strategy document of a version: its chapters on the framework, and the assembly.

The framework chapters (foreword, summary, Leitlinien, fields of action, monitoring concept,
glossary, imprint) are built here from the version's frozen snapshot. The participation, the
weighting and the implementation concept contribute their chapters from their apps through
``documents.contents``; all come together in :func:`strategy_document` in the Redaktion's
order. The content depends only on the stored data, never on the clock: a frozen version
gives the same document every time.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leitbild.documents import selectors as documents
from leitbild.documents.contents import register_section
from leitbild.documents.model import (
    Block,
    Bullets,
    Definitions,
    Document,
    Paragraph,
    Section,
    Table,
)

from .models import CharterPrinciple, Strategy, StrategyVersion

DOCUMENT = "strategy"

SDG_TITLES = {
    1: "Keine Armut",
    2: "Kein Hunger",
    3: "Gesundheit und Wohlergehen",
    4: "Hochwertige Bildung",
    5: "Geschlechtergleichheit",
    6: "Sauberes Wasser und Sanitäreinrichtungen",
    7: "Bezahlbare und saubere Energie",
    8: "Menschenwürdige Arbeit und Wirtschaftswachstum",
    9: "Industrie, Innovation und Infrastruktur",
    10: "Weniger Ungleichheiten",
    11: "Nachhaltige Städte und Gemeinden",
    12: "Nachhaltige/r Konsum und Produktion",
    13: "Maßnahmen zum Klimaschutz",
    14: "Leben unter Wasser",
    15: "Leben an Land",
    16: "Frieden, Gerechtigkeit und starke Institutionen",
    17: "Partnerschaften zur Erreichung der Ziele",
}


@dataclass(frozen=True)
class DocumentContext:
    """What every chapter builder receives."""

    strategy: Strategy
    version: StrategyVersion
    snapshot: dict

    @property
    def draft(self) -> bool:
        return self.version.status in (
            StrategyVersion.Status.DRAFT,
            StrategyVersion.Status.CONSULTATION,
        )


def subject(version: StrategyVersion) -> str:
    return f"strategy-version:{version.pk}"


def scope(strategy: Strategy) -> str:
    return f"strategy:{strategy.pk}"


def _number(value: str | None, unit: str) -> str:
    if value in (None, ""):
        return "–"
    text = str(value).replace(".", ",") if translation.get_language() == "de" else str(value)
    return f"{text} {unit}".strip()


def _summary(ctx: DocumentContext) -> Section | None:
    text = ctx.snapshot["strategy"].get("summary", "").strip()
    return Section("zusammenfassung", "", [Paragraph(text)]) if text else None


def _leitlinien(ctx: DocumentContext) -> Section | None:
    items = ctx.snapshot["leitlinien"]
    if not items:
        return None
    return Section(
        "leitlinien",
        "",
        children=[
            Section(
                f"leitlinie-{k}", item["title"], [Paragraph(item["text"])] if item["text"] else []
            )
            for k, item in enumerate(items, start=1)
        ],
    )


def _indicator_rows(goal: dict) -> tuple[tuple[str, ...], ...]:
    rows = []
    for i in goal["indicators"]:
        if i["qualitative"]:
            baseline = target = _("qualitativ")
        else:
            baseline = _number(i["baseline_value"], i["unit"])
            target = _number(i["target_value"], i["unit"])
        rows.append(
            (
                i["name"],
                baseline,
                str(i["baseline_year"] or "–"),
                target,
                str(i["target_year"] or "–"),
            )
        )
    return tuple(rows)


def _fields(ctx: DocumentContext) -> Section | None:
    fields = ctx.snapshot["fields"]
    if not fields:
        return None
    principles = dict(CharterPrinciple.choices)
    chapters = []
    for field in fields:
        goals = []
        for goal in field["goals"]:
            blocks: list = []
            if goal["description"]:
                blocks.append(Paragraph(goal["description"]))
            served = [str(principles.get(p, p)) for p in goal["charter_principles"]]
            served += [f"SDG {n}: {SDG_TITLES.get(n, '')}" for n in goal["sdgs"]]
            if served:
                blocks.append(Bullets(tuple(served)))
            if goal["indicators"]:
                blocks.append(
                    Table(
                        _("Indikatoren zu %(code)s") % {"code": goal["code"]},
                        (
                            _("Indikator"),
                            _("Ausgangswert"),
                            _("Jahr"),
                            _("Zielwert"),
                            _("Zieljahr"),
                        ),
                        _indicator_rows(goal),
                        numeric=(1, 2, 3, 4),
                    )
                )
            goals.append(Section(f"ziel-{goal['id']}", f"{goal['code']} {goal['title']}", blocks))
        intro: list[Block] = [Paragraph(field["description"])] if field["description"] else []
        chapters.append(
            Section(
                f"feld-{field['code'].lower()}", f"{field['code']} · {field['name']}", intro, goals
            )
        )
    return Section("handlungsfelder", "", children=chapters)


def _monitoring(ctx: DocumentContext) -> Section | None:
    rows = [
        (f"{goal['code']}", i["name"], i["unit"] or "–", i["source"] or "–")
        for field in ctx.snapshot["fields"]
        for goal in field["goals"]
        for i in goal["indicators"]
    ]
    if not rows:
        return None
    return Section(
        "monitoring",
        "",
        [
            Paragraph(
                _(
                    "Jedes Ziel hat Indikatoren mit Ausgangswert und Zielwert. Die Stadt misst "
                    "sie regelmäßig aus den genannten Quellen und veröffentlicht den Stand im "
                    "Umsetzungsmonitor; der Pfad vom Ausgangswert zum Zielwert zeigt, ob ein "
                    "Ziel auf Kurs ist."
                )
            ),
            Table(
                _("Indikatoren und ihre Quellen"),
                (_("Ziel"), _("Indikator"), _("Einheit"), _("Quelle")),
                tuple(rows),
            ),
        ],
    )


def _glossary(ctx: DocumentContext) -> Section:
    terms = [
        (_("Handlungsfeld"), _("Ein Themenbereich der Strategie mit eigenen Zielen.")),
        (_("Indikator"), _("Eine messbare Größe, an der sich der Fortschritt eines Ziels zeigt.")),
        (_("Leitlinie"), _("Ein Grundsatz, der für alle Handlungsfelder gilt.")),
        (
            _("Modellprojekte Smart Cities (MPSC)"),
            _("Förderprogramm des Bundes für die Digitalisierung der Städte und Gemeinden."),
        ),
        (
            _("Smart City Charta"),
            _("Leitlinien des Bundes (2017) für eine nachhaltige digitale Stadtentwicklung."),
        ),
        (_("SDG"), _("Eines der 17 Nachhaltigkeitsziele der Vereinten Nationen (Agenda 2030).")),
        (
            _("Vertrauensintervall"),
            _("Der Bereich, in dem der wahre Wert mit 95 Prozent Sicherheit liegt."),
        ),
    ]
    return Section("glossar", "", [Definitions(tuple(terms))])


def _imprint(ctx: DocumentContext) -> Section:
    lines = [
        _("Herausgeberin: Stadt %(city)s") % {"city": settings.LEITBILD_CITY_NAME},
    ]
    from leitbild.core.selectors import site_letter_sender

    sender = site_letter_sender()
    lines += [sender[k] for k in ("department", "address", "email", "phone") if sender[k]]
    lines.append(
        _("Stand: Version %(number)d vom %(date)s")
        % {
            "number": ctx.version.number,
            "date": date_format(ctx.version.created_at.date(), "DATE_FORMAT"),
        }
    )
    lines.append(_("Erzeugt mit Leitbild aus den Daten der Beteiligungsplattform."))
    return Section("impressum", "", [Bullets(tuple(lines))])


def _foreword(ctx: DocumentContext) -> None:
    return None  # the Redaktion's text only


def register() -> None:
    for key, order, title, build in (
        ("vorwort", 10, gettext_lazy("Vorwort"), _foreword),
        ("zusammenfassung", 20, gettext_lazy("Zusammenfassung"), _summary),
        ("leitlinien", 30, gettext_lazy("Leitlinien"), _leitlinien),
        ("handlungsfelder", 40, gettext_lazy("Handlungsfelder und Ziele"), _fields),
        ("monitoring", 80, gettext_lazy("Monitoringkonzept"), _monitoring),
        ("glossar", 90, gettext_lazy("Glossar"), _glossary),
        ("impressum", 95, gettext_lazy("Impressum"), _imprint),
    ):
        register_section(DOCUMENT, key=key, order=order, title=title, build=build)


def status_text(version: StrategyVersion) -> str:
    if version.status == StrategyVersion.Status.ADOPTED and version.decided_on:
        return _("vom Rat beschlossen am %(date)s (%(reference)s)") % {
            "date": date_format(version.decided_on, "DATE_FORMAT"),
            "reference": version.decision_reference,
        }
    return str(version.get_status_display())


def strategy_document(version: StrategyVersion, *, lang: str = "de") -> Document:
    """The whole strategy document of ``version``, in the Redaktion's arrangement."""
    strategy = version.strategy
    ctx = DocumentContext(strategy=strategy, version=version, snapshot=version.snapshot)
    with translation.override(lang):
        title = ctx.snapshot["strategy"]["title"]
        edition = ctx.snapshot["strategy"].get("edition", "")
        facts = [
            (_("Stadt"), settings.LEITBILD_CITY_NAME),
            (_("Ausgabe"), edition or "–"),
            (_("Version"), str(version.number)),
            (_("Status"), status_text(version)),
            (_("Stand"), date_format(version.created_at.date(), "DATE_FORMAT")),
        ]
        chapters = documents.sections(DOCUMENT, scope(strategy), ctx)
        return Document(
            title=title,
            subtitle=_("Strategiedokument, Version %(number)d") % {"number": version.number},
            lang=lang,
            draft=ctx.draft,
            facts=facts,
            sections=chapters,
            running_head=f"{title} · " + _("Version %(number)d") % {"number": version.number},
        )
