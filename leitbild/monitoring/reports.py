"""The reports of the implementation monitoring, built as documents of ``leitbild.documents``
(one engine for the web, PDF/UA and DOCX): the yearly implementation report
(Umsetzungsbericht), public once generated, and a project's status report for the funding
programme (Sachstandsbericht), for staff. Reads only; storing is in ``report_services``.

The yearly report shows what the public pages show: public projects, their money only when
their costs are public, the indicators of the published strategy version.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leitbild.core.charts import Chart, format_number
from leitbild.documents.model import (
    Block,
    Bullets,
    Definitions,
    Document,
    Figure,
    Paragraph,
    Section,
    Table,
)
from leitbild.documents.models import DocumentKind, DocumentText, GeneratedDocument
from leitbild.portfolio.models import Project, Stage
from leitbild.portfolio.selectors import money, primary_field, project_finance

from . import progress_charts
from .progress_models import Milestone, ProgressUpdate
from .progress_selectors import (
    PUBLIC_STAGES,
    ZERO,
    FieldRow,
    _goal_links,
    monitor_overview,
    public_projects,
    year_money,
)
from .selectors import IndicatorStatus, Point, State, public_indicators, rule_text

REPORTED_STAGES = (Stage.IMPLEMENTING, Stage.COMPLETED)


def yearly_subject(year: int) -> str:
    return f"monitoring-report:{year}"


def project_subject(project: Project) -> str:
    return f"project-report:{project.pk}"


def _date(day: datetime.date | None) -> str:
    return date_format(day, "DATE_FORMAT") if day else "–"


def _euro(value: Decimal | None) -> str:
    return "–" if value is None else f"{money(value)} €"


def _number(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return "–"
    text = format_number(float(value), max(0, -int(value.normalize().as_tuple().exponent)))
    return f"{text} {unit}".strip()


def _figure(chart: Chart | None) -> list[Block]:
    if chart is None:
        return []
    return [
        Figure(
            svg=chart.svg,
            alt=chart.caption,
            caption=chart.caption,
            data=Table(chart.caption, chart.headers, chart.rows),
        )
    ]


def milestone_state(milestone: Milestone, today: datetime.date) -> str:
    if milestone.actual_on:
        return _("erreicht")
    return _("überfällig") if milestone.is_late_on(today) else _("offen")


def milestone_table(milestones: list[Milestone], today: datetime.date) -> Table:
    return Table(
        _("Meilensteine"),
        (_("Meilenstein"), _("geplant am"), _("erreicht am"), _("Stand")),
        tuple(
            (m.title, _date(m.planned_on), _date(m.actual_on), milestone_state(m, today))
            for m in milestones
        ),
    )


def _update_line(update: ProgressUpdate) -> str:
    return _("%(date)s: %(percent)d Prozent, %(status)s – %(text)s") % {
        "date": _date(update.date),
        "percent": update.percent,
        "status": update.get_status_display(),
        "text": update.text,
    }


def _status_facts(project: Project, updates: list[ProgressUpdate]) -> Definitions:
    latest = updates[0] if updates else None
    return Definitions(
        (
            (_("Stand"), str(project.get_stage_display())),
            (_("Federführung"), str(project.lead_unit or "–")),
            (
                _("Status"),
                str(latest.get_status_display()) if latest else _("noch kein Bericht"),
            ),
            (
                _("Fertigstellung"),
                _("%(percent)d Prozent") % {"percent": latest.percent} if latest else "–",
            ),
            (_("letzter Bericht"), _date(latest.date) if latest else "–"),
        )
    )


# --- The yearly implementation report ------------------------------------------------------


def _report_projects():
    return (
        public_projects()
        .select_related("lead_unit")
        .prefetch_related(
            _goal_links(),
            "milestones",
            "costs",
            "spendings",
            Prefetch("progress_updates", to_attr="updates"),
        )
        .order_by("priority", "title", "pk")
    )


def _summary(year: int) -> Section:
    overview = monitor_overview()
    stages = PUBLIC_STAGES
    rows = tuple(
        (row.label, *(str(row.counts[s]) for s in stages), str(row.total))
        for row in [*overview.fields, overview.totals]
    )
    blocks: list[Block] = [
        Paragraph(
            ngettext(
                "Dieser Bericht gibt den Stand der Umsetzung der Smart-City-Strategie im Jahr "
                "%(year)d wieder: %(n)d öffentliches Projekt ist priorisiert, in Umsetzung oder "
                "abgeschlossen.",
                "Dieser Bericht gibt den Stand der Umsetzung der Smart-City-Strategie im Jahr "
                "%(year)d wieder: %(n)d öffentliche Projekte sind priorisiert, in Umsetzung oder "
                "abgeschlossen.",
                overview.totals.total,
            )
            % {"year": year, "n": overview.totals.total}
        ),
        Table(
            _("Projekte nach Handlungsfeld und Stand"),
            (_("Handlungsfeld"), *(str(Stage(s).label) for s in stages), _("zusammen")),
            rows,
            numeric=tuple(range(1, len(stages) + 2)),
        ),
        *_figure(progress_charts.stage_chart(overview)),
    ]
    return Section("zusammenfassung", _("Zusammenfassung"), blocks)


def _field_money(projects: list[Project], year: int) -> list[FieldRow]:
    """The money planned and spent in ``year`` per primary field of action (grouped as the
    Umsetzungsmonitor groups projects), of the projects whose costs are public."""
    rows: dict[object, FieldRow] = {}
    for project in projects:
        if not project.costs_public:
            continue
        for item in year_money(project):
            if item.year != year:
                continue
            primary = primary_field(project)
            key = primary.pk if primary else None
            if key not in rows:
                rows[key] = (
                    FieldRow(primary.name, (0, primary.order, primary.pk))
                    if primary
                    else FieldRow(_("ohne Handlungsfeld"), (1,))
                )
            rows[key].planned += item.planned
            rows[key].spent += item.spent or ZERO
    return sorted(rows.values(), key=lambda r: r.order)


def _money_figure(fields: list[FieldRow], year: int) -> list[Block]:
    """The chart of the monitor's money for ``year``, with planned and spent in its table."""
    chart = progress_charts.field_money_chart(fields, year=year)
    if chart is None:
        return []
    shares = [row[-1] for row in chart.rows]
    shown = [row for row in fields if row.planned]
    return [
        Figure(
            svg=chart.svg,
            alt=_("Balkendiagramm, ausgegebener Anteil der geplanten Mittel: %(values)s.")
            % {"values": "; ".join(f"{r.label} {s}" for r, s in zip(shown, shares, strict=True))},
            caption=chart.caption,
            data=Table(
                chart.caption,
                (chart.headers[0], _("geplant"), _("ausgegeben"), _("Anteil")),
                tuple(
                    (r.label, _euro(r.planned), _euro(r.spent), s)
                    for r, s in zip(shown, shares, strict=True)
                ),
                numeric=(1, 2, 3),
            ),
        )
    ]


def _money(year: int, projects: list[Project]) -> Section:
    fields = _field_money(projects, year)
    planned = sum((row.planned for row in fields), ZERO)
    spent = sum((row.spent for row in fields), ZERO)
    hidden = sum(1 for project in projects if not project.costs_public)
    blocks: list[Block] = [
        Table(
            _("Mittel im Jahr %(year)d") % {"year": year},
            (_("geplant"), _("ausgegeben")),
            ((_euro(planned), _euro(spent)),),
            numeric=(0, 1),
        ),
        *_money_figure(fields, year),
    ]
    if hidden:
        blocks.append(
            Paragraph(
                ngettext(
                    "Die Mittel enthalten nur Projekte mit veröffentlichten Kosten; bei "
                    "%(n)d Projekt sind sie nicht veröffentlicht.",
                    "Die Mittel enthalten nur Projekte mit veröffentlichten Kosten; bei "
                    "%(n)d Projekten sind sie nicht veröffentlicht.",
                    hidden,
                )
                % {"n": hidden}
            )
        )
    return Section("mittel", _("Mittel im Jahr %(year)d") % {"year": year}, blocks)


def _project_section(project: Project, year: int, today: datetime.date) -> Section:
    updates: list[ProgressUpdate] = project.updates  # type: ignore[attr-defined]
    milestones = list(project.milestones.all())
    blocks: list[Block] = [_status_facts(project, updates)]
    if milestones:
        blocks.append(milestone_table(milestones, today))
        late = [m for m in milestones if milestone_state(m, today) == _("überfällig")]
        if late:
            blocks.append(
                Paragraph(
                    _("Überfällig: %(titles)s") % {"titles": ", ".join(m.title for m in late)}
                )
            )
    in_year = [u for u in updates if u.date.year == year]
    if in_year:
        blocks.append(Bullets(tuple(_update_line(u) for u in in_year)))
    else:
        blocks.append(
            Paragraph(_("Im Jahr %(year)d gab es keinen Fortschrittsbericht.") % {"year": year})
        )
    if project.costs_public:
        years = year_money(project)
        if years:
            blocks.append(
                Table(
                    _("Mittel je Jahr"),
                    (_("Jahr"), _("geplant"), _("ausgegeben")),
                    tuple((str(y.year), _euro(y.planned), _euro(y.spent)) for y in years),
                    numeric=(1, 2),
                )
            )
    return Section(f"projekt-{project.pk}", project.title, blocks)


def _latest_text(item: IndicatorStatus) -> str:
    latest: Point | None = item.assessment.latest
    if latest is None:
        return "–"
    return f"{_number(latest.value, item.facts.unit)} ({_date(latest.measured_on)})"


def _year_value(value: Decimal | None, year: int | None, unit: str) -> str:
    if value is None:
        return "–"
    return f"{_number(value, unit)} ({year})" if year else _number(value, unit)


def _indicators() -> Section:
    found = public_indicators()
    blocks: list[Block] = []
    for group in found.fields:
        blocks.append(
            Table(
                group.name,
                (
                    _("Indikator"),
                    _("Ausgangswert"),
                    _("Zielwert"),
                    _("neuester Wert"),
                    _("Bewertung"),
                ),
                tuple(
                    (
                        i.facts.name,
                        _year_value(i.facts.baseline_value, i.facts.baseline_year, i.facts.unit),
                        _year_value(i.facts.target_value, i.facts.target_year, i.facts.unit),
                        _latest_text(i),
                        i.assessment.state_label,
                    )
                    for i in group.indicators
                ),
            )
        )
    if not blocks:
        blocks.append(Paragraph(_("Es ist noch keine Strategie mit Indikatoren veröffentlicht.")))
    else:
        counts = found.counts()
        blocks.insert(
            0,
            Paragraph(
                ", ".join(f"{State(k).label}: {n}" for k, n in counts.items() if n)
                if any(counts.values())
                else "–"
            ),
        )
    blocks.append(Paragraph(" ".join(rule_text())))
    return Section("indikatoren", _("Indikatoren"), blocks)


# The Redaktion's own texts of a yearly report (``DocumentText`` with this scope): a foreword
# before the summary and a conclusion with the outlook at the end, each left out when empty.
TEXT_KEYS = ("vorwort", "ausblick")


def texts_scope(year: int) -> str:
    return f"umsetzungsbericht:{year}"


def report_texts(year: int) -> dict[str, str]:
    """The foreword and outlook of ``year``'s report ("" when not written). One query."""
    found = {
        t.key: t.text
        for t in DocumentText.objects.filter(scope=texts_scope(year), key__in=TEXT_KEYS)
    }
    return {key: found.get(key, "") for key in TEXT_KEYS}


def _text_section(key: str, title: str, text: str) -> list[Section]:
    return [Section(key, title, [Paragraph(text.strip())])] if text.strip() else []


def yearly_report(year: int, *, lang: str = "de") -> Document:
    """The Umsetzungsbericht of ``year``: summary, the money of the year (with the
    monitor's chart per field of action), one section per public project in implementation
    or completed, the indicators."""
    with translation.override(lang):
        today = timezone.localdate()
        projects = list(_report_projects())
        reported = [p for p in projects if p.stage in REPORTED_STAGES]
        project_sections = [_project_section(p, year, today) for p in reported]
        title = _("Umsetzungsbericht %(year)d") % {"year": year}
        texts = report_texts(year)
        return Document(
            title=title,
            subtitle=_("Smart-City-Strategie der Stadt %(city)s")
            % {"city": settings.LEITBILD_CITY_NAME},
            lang=lang,
            draft=False,
            facts=[
                (_("Stadt"), settings.LEITBILD_CITY_NAME),
                (_("Berichtsjahr"), str(year)),
                (_("Stand vom"), _date(today)),
            ],
            sections=[
                *_text_section("vorwort", _("Vorwort"), texts["vorwort"]),
                _summary(year),
                _money(year, projects),
                Section(
                    "projekte",
                    _("Projekte in Umsetzung und abgeschlossene Projekte"),
                    [] if reported else [Paragraph(_("Noch kein Projekt ist in Umsetzung."))],
                    project_sections,
                ),
                _indicators(),
                *_text_section("ausblick", _("Fazit und Ausblick"), texts["ausblick"]),
            ],
            running_head=title + " · " + settings.LEITBILD_CITY_NAME,
        )


# --- The status report of a project for the funding programme ------------------------------


def report_project(pk: int) -> Project | None:
    return (
        Project.objects.select_related("lead_unit")
        .prefetch_related(
            "milestones",
            "costs",
            "spendings",
            "third_party",
            "assessments__programme",
            Prefetch("progress_updates", to_attr="updates"),
        )
        .filter(pk=pk)
        .first()
    )


def _finance_section(project: Project) -> Section:
    finance = project_finance(project)
    spent = {s.year: s.amount for s in project.spendings.all()}
    years = sorted(set(finance.years) | set(spent))
    rows = [
        (
            str(y),
            _euro(finance.costs.get(y, ZERO)),
            _euro(finance.eligible.get(y, ZERO)),
            _euro(finance.programme_share.get(y, ZERO)),
            _euro(finance.third_party.get(y, ZERO)),
            _euro(finance.own_share.get(y, ZERO)),
            _euro(spent.get(y)),
        )
        for y in years
    ]
    rows.append(
        (
            _("zusammen"),
            _euro(finance.total),
            _euro(finance.total_eligible),
            _euro(finance.total_programme),
            _euro(finance.total_third_party),
            _euro(finance.total_own),
            _euro(sum(spent.values(), ZERO)),
        )
    )
    programme = finance.programme.name if finance.programme else _("kein Förderprogramm")
    return Section(
        "finanzen",
        _("Kosten und Mittelverwendung"),
        [
            Definitions(
                (
                    (_("Förderprogramm"), str(programme)),
                    (_("Fördersatz"), _("%(rate)s Prozent") % {"rate": _number(finance.rate)}),
                )
            ),
            Table(
                _("Kosten, Finanzierung und Ausgaben je Jahr"),
                (
                    _("Jahr"),
                    _("Kosten"),
                    _("förderfähig"),
                    _("Fördermittel"),
                    _("Mittel Dritter"),
                    _("Eigenanteil"),
                    _("ausgegeben"),
                ),
                tuple(rows),
                numeric=(1, 2, 3, 4, 5, 6),
            ),
        ],
    )


def project_report(project: Project, *, lang: str = "de") -> Document:
    """The Sachstandsbericht of ``project`` (from :func:`report_project`): progress,
    milestones, reports, costs and the money of the funding programme used."""
    with translation.override(lang):
        today = timezone.localdate()
        updates: list[ProgressUpdate] = project.updates  # type: ignore[attr-defined]
        milestones = list(project.milestones.all())
        title = _("Sachstandsbericht")
        return Document(
            title=title,
            subtitle=project.title,
            lang=lang,
            draft=False,
            facts=[
                (_("Projekt"), project.title),
                (_("Stadt"), settings.LEITBILD_CITY_NAME),
                (_("Stand vom"), _date(today)),
            ],
            sections=[
                Section(
                    "stand",
                    _("Stand der Umsetzung"),
                    [
                        *([Paragraph(project.summary)] if project.summary else []),
                        _status_facts(project, updates),
                    ],
                ),
                Section(
                    "meilensteine",
                    _("Meilensteine"),
                    [milestone_table(milestones, today)]
                    if milestones
                    else [Paragraph(_("Es sind keine Meilensteine eingetragen."))],
                ),
                Section(
                    "berichte",
                    _("Fortschrittsberichte"),
                    [Bullets(tuple(_update_line(u) for u in updates))]
                    if updates
                    else [Paragraph(_("Es gibt noch keinen Fortschrittsbericht."))],
                ),
                _finance_section(project),
            ],
            running_head=title + " · " + project.title,
            compact=True,
        )


# --- Generated files -------------------------------------------------------------------------


def _files_of(kind: str, prefix: str) -> dict[int, dict[str, object]]:
    found: dict[int, dict[str, object]] = {}
    rows = GeneratedDocument.objects.filter(kind=kind, subject__startswith=prefix)
    for row in rows.order_by("subject", "format"):
        key = row.subject.removeprefix(prefix)
        if key.isdigit():
            found.setdefault(int(key), {})[row.format] = row
    return found


def yearly_files() -> dict[int, dict[str, object]]:
    """year → {format → GeneratedDocument} of the generated Umsetzungsberichte, newest first.
    One query."""
    found = _files_of(DocumentKind.MONITORING_REPORT, "monitoring-report:")
    return dict(sorted(found.items(), reverse=True))


def project_files() -> dict[int, dict[str, object]]:
    """project id → {format → GeneratedDocument} of the Sachstandsberichte. One query."""
    return _files_of(DocumentKind.PROJECT_REPORT, "project-report:")


def reportable_projects():
    """Projects a status report can be written for: prioritised, implementing, completed."""
    return (
        Project.objects.filter(stage__in=PUBLIC_STAGES)
        .select_related("lead_unit")
        .order_by("priority", "title", "pk")
    )


def report_years() -> list[int]:
    """The years a report can cover: from the earliest project start to this year."""
    this_year = timezone.localdate().year
    first = (
        Project.objects.filter(stage__in=PUBLIC_STAGES, starts_on__isnull=False)
        .order_by("starts_on")
        .values_list("starts_on", flat=True)
        .first()
    )
    start = min(first.year, this_year) if first else this_year
    return list(range(this_year, start - 1, -1))
