"""The council paper (Beschlussvorlage) for a strategy version, in the usual structure of
German council papers: Betreff, Beschlussvorschlag, Sachverhalt/Begründung, finanzielle
Auswirkungen, Anlagen. Its texts are generated from the data; the Ratsbüro or the Redaktion
edits them before generating the files (``DocumentText`` with the scope of the version)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from leitbild.core.charts import format_number
from leitbild.core.selectors import site_letter_sender
from leitbild.documents.model import Bullets, Document, Paragraph, Section
from leitbild.documents.models import DocumentText
from leitbild.participation.models import Idea, Process
from leitbild.portfolio.document import financing_totals
from leitbild.portfolio.selectors import money
from leitbild.strategy.document import status_text
from leitbild.strategy.models import StrategyVersion

TEXT_KEYS = ("betreff", "beschlussvorschlag", "sachverhalt")


def scope(version: StrategyVersion) -> str:
    return f"council-paper:{version.pk}"


def default_texts(version: StrategyVersion) -> dict[str, str]:
    """What the paper says before anyone edits it, from the version and the process."""
    snapshot = version.snapshot
    title = snapshot["strategy"]["title"]
    city = settings.LEITBILD_CITY_NAME
    fields = snapshot["fields"]
    goals = sum(len(f["goals"]) for f in fields)
    processes = Process.objects.filter(strategy=version.strategy)
    ideas = Idea.objects.public().filter(process__in=processes).count()
    sachverhalt = [
        _(
            "Die Stadt %(city)s hat ihre Smart-City-Strategie in einem offenen Prozess mit "
            "Verwaltung, städtischen Gesellschaften, Politik und Öffentlichkeit erarbeitet."
        )
        % {"city": city},
        _(
            "Der strategische Rahmen umfasst %(leitlinien)d Leitlinien und %(fields)d "
            "Handlungsfelder mit %(goals)d strategischen Zielen und messbaren Indikatoren."
        )
        % {"leitlinien": len(snapshot["leitlinien"]), "fields": len(fields), "goals": goals},
    ]
    if ideas:
        sachverhalt.append(
            _(
                "Im Beteiligungsprozess sind %(ideas)s Ideen eingegangen; jede wurde geprüft, "
                "und bei jeder ist öffentlich nachzulesen, was aus ihr geworden ist."
            )
            % {"ideas": format_number(ideas, 0)}
        )
    if snapshot["strategy"].get("summary"):
        sachverhalt.append(snapshot["strategy"]["summary"])
    sachverhalt.append(
        _(
            "Die Strategie ist die Grundlage für die Umsetzungsphase im Förderprogramm "
            "„Modellprojekte Smart Cities“. Das Strategiedokument ist als Anlage beigefügt."
        )
    )
    return {
        "betreff": _("%(title)s – Beschluss der Version %(number)d")
        % {"title": title, "number": version.number},
        "beschlussvorschlag": _(
            "Der Rat der Stadt %(city)s beschließt die %(title)s in der Fassung der Version "
            "%(number)d (Anlage 1)."
        )
        % {"city": city, "title": title, "number": version.number},
        "sachverhalt": "\n\n".join(sachverhalt),
    }


def texts(version: StrategyVersion) -> dict[str, str]:
    """The edited texts where there are any, the generated ones otherwise."""
    edited = {
        t.key: t.text for t in DocumentText.objects.filter(scope=scope(version)) if t.text.strip()
    }
    return {**default_texts(version), **edited}


def financial_text(version: StrategyVersion) -> str:
    totals = financing_totals(version.strategy)
    if totals is None:
        return _(
            "Der Beschluss der Strategie selbst hat keine unmittelbaren finanziellen "
            "Auswirkungen. Die Projekte werden einzeln beschlossen und finanziert."
        )
    return _(
        "Die %(projects)d priorisierten Projekte mit veröffentlichten Kosten haben "
        "%(first)d bis %(last)d Gesamtkosten von %(costs)s €. Davon sind %(programme)s € "
        "Fördermittel und %(third)s € Mittel Dritter; der Eigenanteil der Stadt beträgt "
        "%(own)s €. Die Mittel werden in den jeweiligen Haushalten veranschlagt."
    ) % {
        "projects": int(totals["projects"]),
        "first": int(totals["first_year"]),
        "last": int(totals["last_year"]),
        "costs": money(totals["costs"]),
        "programme": money(totals["programme"]),
        "third": money(totals["third_party"]),
        "own": money(totals["own"]),
    }


def council_paper(version: StrategyVersion, *, lang: str = "de") -> Document:
    with translation.override(lang):
        content = texts(version)
        sender = site_letter_sender()
        title = version.snapshot["strategy"]["title"]
        facts = [
            (_("Vorlage"), _("Beschlussvorlage")),
            (_("Drucksache"), version.decision_reference or _("wird vom Ratsbüro vergeben")),
            (_("Federführung"), sender["department"] or "–"),
            (_("Datum"), date_format(timezone.localdate(), "DATE_FORMAT")),
            (_("Status der Version"), status_text(version)),
        ]
        sections = [
            Section("betreff", _("Betreff"), [Paragraph(content["betreff"])]),
            Section(
                "beschlussvorschlag",
                _("Beschlussvorschlag"),
                [Paragraph(content["beschlussvorschlag"])],
            ),
            Section(
                "sachverhalt", _("Sachverhalt und Begründung"), [Paragraph(content["sachverhalt"])]
            ),
            Section(
                "finanzen",
                _("Finanzielle Auswirkungen"),
                [Paragraph(financial_text(version))],
            ),
            Section(
                "anlagen",
                _("Anlagen"),
                [
                    Bullets(
                        (
                            _("Anlage 1: %(title)s, Strategiedokument, Version %(number)d")
                            % {"title": title, "number": version.number},
                        )
                    )
                ],
            ),
        ]
        return Document(
            title=_("Beschlussvorlage"),
            subtitle=content["betreff"],
            lang=lang,
            draft=False,
            facts=facts,
            sections=sections,
            running_head=_("Beschlussvorlage") + " · " + settings.LEITBILD_CITY_NAME,
            compact=True,
        )
