"""The participation chapter of the strategy document: processes, phases, workshops, the
idea call in numbers and a selection of the ideas (registered with ``documents.contents``)."""

from __future__ import annotations

import json
from collections import Counter

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leitbild.core.audit import audit_record
from leitbild.core.charts import Bar, bar_chart, format_number
from leitbild.core.errors import InvalidInput
from leitbild.documents.contents import register_section
from leitbild.documents.model import Bullets, Figure, Paragraph, Section, Table
from leitbild.documents.models import DocumentText
from leitbild.strategy.document import scope

from .audit import ParticipationAction
from .models import Idea, IdeaSource, IdeaStatus, Phase, Process, StakeholderGroup, Workshop

SELECTION = 10  # ideas shown in the document: taken up, most supported first


def _date(value) -> str:
    return date_format(timezone.localtime(value).date(), "DATE_FORMAT")


def _table(caption: str, header: str, counts: Counter, labels: dict) -> Table:
    rows = sorted(counts.items(), key=lambda item: (-item[1], str(labels.get(item[0], item[0]))))
    return Table(
        caption,
        (header, _("Ideen")),
        tuple((str(labels.get(key, key)), format_number(n, 0)) for key, n in rows),
        numeric=(1,),
    )


def _process_section(process: Process, phases, workshops, ideas, chosen_ids=None) -> Section:
    blocks: list = []
    if process.description:
        blocks.append(Paragraph(process.description))
    if phases:
        blocks.append(
            Table(
                _("Phasen"),
                (_("Phase"), _("Art"), _("Beginn"), _("Ende")),
                tuple(
                    (p.title, str(p.get_kind_display()), _date(p.starts_at), _date(p.ends_at))
                    for p in phases
                ),
            )
        )
    if workshops:
        groups = dict(StakeholderGroup.choices)
        blocks.append(
            Table(
                _("Workshops"),
                (_("Workshop"), _("Datum"), _("Gruppe"), _("Teilnehmende")),
                tuple(
                    (
                        w.title,
                        date_format(w.held_on, "DATE_FORMAT"),
                        str(groups.get(w.stakeholder_group, w.stakeholder_group)),
                        format_number(w.participant_count or 0, 0),
                    )
                    for w in workshops
                ),
                numeric=(3,),
            )
        )
    children = []
    if ideas:
        by_field: Counter = Counter()
        names: dict = {}
        for idea in ideas:
            for field in idea.fields.all():
                by_field[field.code] += 1
                names[field.code] = f"{field.code} · {field.name}"
        total = len(ideas)
        numbers: list = [
            Paragraph(
                _(
                    "%(count)s Ideen sind eingegangen und öffentlich einsehbar. Eine Idee kann "
                    "mehreren Handlungsfeldern zugeordnet sein."
                )
                % {"count": format_number(total, 0)}
            )
        ]
        if by_field:
            ordered = sorted(by_field.items(), key=lambda item: -item[1])
            chart = bar_chart(
                [Bar(names[code], n) for code, n in ordered],
                title=_("Ideen nach Handlungsfeld"),
                percent=False,
                decimals=0,
                value_header=_("Ideen"),
                id_prefix=f"doc-ideas-{process.pk}",
            )
            numbers.append(
                Figure(
                    chart.svg,
                    _("Balkendiagramm: Ideen nach Handlungsfeld. ")
                    + "; ".join(f"{names[c]}: {n}" for c, n in ordered),
                    _("Ideen nach Handlungsfeld"),
                    Table(chart.caption, chart.headers, chart.rows),
                )
            )
        numbers.append(
            _table(
                _("Ideen nach Weg der Einreichung"),
                _("Weg"),
                Counter(i.source for i in ideas),
                dict(IdeaSource.choices),
            )
        )
        numbers.append(
            _table(
                _("Ideen nach Stand der Prüfung"),
                _("Stand"),
                Counter(i.status for i in ideas),
                dict(IdeaStatus.choices),
            )
        )
        children.append(Section(f"ideen-zahlen-{process.pk}", _("Die Ideen in Zahlen"), numbers))
        taken_up = [i for i in ideas if i.status == IdeaStatus.ACCEPTED]
        picked = set(chosen_ids or ())
        chosen = (
            [i for i in taken_up if i.pk in picked]
            if picked
            else sorted(taken_up, key=lambda i: (-i.support_count, i.pk))[:SELECTION]
        )
        chosen.sort(key=lambda i: (-i.support_count, i.pk))
        if chosen:
            children.append(
                Section(
                    f"ideen-auswahl-{process.pk}",
                    _("Ausgewählte Ideen"),
                    [
                        Paragraph(
                            _(
                                "Ideen, die in die Strategie eingeflossen sind, ausgewählt von "
                                "der Redaktion:"
                            )
                            if picked
                            else _(
                                "Die Ideen, die in die Strategie aufgenommen wurden und die "
                                "meisten Unterstützungen erhielten:"
                            )
                        ),
                        Bullets(
                            tuple(
                                _("%(title)s (%(supports)s Unterstützungen)")
                                % {"title": i.title, "supports": format_number(i.support_count, 0)}
                                for i in chosen
                            )
                        ),
                    ],
                )
            )
    return Section(f"prozess-{process.pk}", process.title, blocks, children)


def participation_section(ctx) -> Section | None:
    """All processes of the strategy, in five queries whatever their size."""
    processes = list(Process.objects.filter(strategy=ctx.strategy).order_by("created_at", "pk"))
    if not processes:
        return None
    phases: dict[int, list] = {}
    for phase in Phase.objects.filter(process__in=processes).order_by("starts_at", "pk"):
        phases.setdefault(phase.process_id, []).append(phase)
    workshops: dict[int, list] = {}
    for workshop in Workshop.objects.filter(process__in=processes).order_by("held_on", "pk"):
        workshops.setdefault(workshop.process_id, []).append(workshop)
    ideas: dict[int, list] = {}
    public = (
        Idea.objects.public()
        .filter(process__in=processes)
        .prefetch_related("fields")
        .only("pk", "process_id", "title", "source", "status", "support_count")
    )
    for idea in public:
        ideas.setdefault(idea.process_id, []).append(idea)
    chosen = chosen_ideas(ctx.strategy, processes)
    return Section(
        "beteiligung",
        "",
        children=[
            _process_section(
                p,
                phases.get(p.pk, []),
                workshops.get(p.pk, []),
                ideas.get(p.pk, []),
                chosen.get(p.pk),
            )
            for p in processes
        ],
    )


def _key(process: Process) -> str:
    return f"ideen-{process.pk}"


def chosen_ideas(strategy, processes) -> dict[int, list[int]]:
    """process pk → the idea ids the Redaktion chose for the document (none: the default)."""
    keys = {_key(p): p.pk for p in processes}
    found = DocumentText.objects.filter(scope=scope(strategy), key__in=list(keys))
    return {keys[t.key]: json.loads(t.text or "[]") for t in found}


def document_idea_choices(process: Process) -> list[Idea]:
    """The ideas that may be chosen: public, taken up into the strategy, most supported first."""
    return list(
        Idea.objects.public()
        .filter(process=process, status=IdeaStatus.ACCEPTED)
        .order_by("-support_count", "pk")
        .only("pk", "title", "support_count")
    )


@transaction.atomic
def document_ideas_choose(*, actor, process: Process, ideas: list[Idea]) -> None:
    """Stores which ideas of ``process`` the strategy document shows (empty: the most
    supported ones). Only public ideas taken up into the strategy may be chosen."""
    allowed = {i.pk for i in document_idea_choices(process)}
    wrong = [i.pk for i in ideas if i.pk not in allowed]
    if wrong:
        raise InvalidInput(
            _("Nur veröffentlichte, in die Strategie aufgenommene Ideen können gewählt werden."),
            field="ideas",
        )
    ids = sorted(i.pk for i in ideas)
    DocumentText.objects.update_or_create(
        scope=scope(process.strategy),
        key=_key(process),
        defaults={"text": json.dumps(ids), "included": True},
    )
    audit_record(
        actor=actor, action=ParticipationAction.DOCUMENT_IDEAS, obj=process, after={"ideas": ids}
    )


def register() -> None:
    register_section(
        "strategy",
        key="beteiligung",
        order=50,
        title=gettext_lazy("Der Beteiligungsprozess"),
        build=participation_section,
    )
