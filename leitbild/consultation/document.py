"""The weighting and survey chapters of the strategy document, with the honest-statistics
notes that go with every figure (registered with ``documents.contents``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leitbild.core.charts import format_number, format_percent
from leitbild.documents.contents import register_section
from leitbild.documents.model import Figure, Note, Paragraph, Section, Table

from .models import Method, Mode, Survey, Weighting
from .presentation import field_chart, value_label
from .selectors import results_public, survey_results, weighting_results

HIGHLIGHTS = 6  # survey questions shown in the document


def _period(phase) -> str:
    return _("%(start)s bis %(end)s") % {
        "start": date_format(timezone.localtime(phase.starts_at).date(), "DATE_FORMAT"),
        "end": date_format(timezone.localtime(phase.ends_at).date(), "DATE_FORMAT"),
    }


def _sorted(results, rows):
    """Largest first; for ranks the smallest mean place first (the most important)."""
    known = [r for r in rows if r.estimate is not None]
    unknown = [r for r in rows if r.estimate is None]
    reverse = results.method != Method.RANK
    return sorted(known, key=lambda r: r.estimate.value, reverse=reverse) + unknown


def _notes(results) -> list[Note]:
    notes = [
        Note(
            _(
                "Die Linien an den Balken sind 95-%%-Vertrauensintervalle: In diesem Bereich "
                "liegt der Wert mit 95 %% Sicherheit, wenn die Teilnehmenden die Bevölkerung "
                "abbilden. Gruppen mit weniger als %(minimum)d Stimmen werden nicht ausgewiesen."
            )
            % {"minimum": results.minimum}
        )
    ]
    if results.weighted and results.raking is not None:
        notes.append(
            Note(
                _(
                    "Die Ergebnisse sind gewichtet (Raking nach den Angaben zur Person), damit "
                    "sie der Zusammensetzung der Bevölkerung entsprechen; effektive "
                    "Stichprobengröße %(n)s."
                )
                % {"n": format_number(results.raking.n_effective or 0, 0)}
            )
        )
    elif results.weighting.mode == Mode.OPEN:
        notes.append(
            Note(
                _(
                    "Die Teilnahme war offen für alle: Die Ergebnisse zeigen, was den "
                    "Teilnehmenden wichtig ist, und sind nicht repräsentativ für die Bevölkerung."
                )
            )
        )
    return notes


def _weighting_section(weighting: Weighting) -> Section:
    phase = weighting.phase
    results = weighting_results(weighting=weighting, weighted=True)
    blocks: list = [
        Paragraph(
            _("%(title)s, %(period)s: %(n)s Stimmzettel.")
            % {"title": phase.title, "period": _period(phase), "n": format_number(results.n, 0)}
        )
    ]
    if results.suppressed or results.main is None:
        blocks.append(Note(_("Zu wenige Stimmen: Es werden keine Ergebnisse ausgewiesen.")))
        return Section(f"gewichtung-{weighting.pk}", phase.title, blocks)
    rows = _sorted(results, results.main)
    chart = field_chart(
        results, rows, title=value_label(results.method), id_prefix=f"doc-w{weighting.pk}"
    )
    summary = "; ".join(
        f"{results.field_name(r.field)}: {format_number(r.estimate.value, 2)}"
        for r in rows
        if r.estimate is not None
    )
    blocks.append(
        Figure(
            chart.svg,
            _("Balkendiagramm, %(what)s je Handlungsfeld: %(values)s.")
            % {"what": value_label(results.method), "values": summary},
            _("Ergebnis der Gewichtung: %(what)s je Handlungsfeld")
            % {"what": value_label(results.method)},
            Table(chart.caption, chart.headers, chart.rows),
        )
    )
    blocks += _notes(results)
    return Section(f"gewichtung-{weighting.pk}", phase.title, blocks)


def _survey_section(survey: Survey) -> Section:
    phase = survey.phase
    results = survey_results(survey=survey)
    blocks: list = [
        Paragraph(
            _("%(title)s, %(period)s: %(n)s Antworten.")
            % {"title": phase.title, "period": _period(phase), "n": format_number(results.n, 0)}
        )
    ]
    shown = 0
    for result in results.results:
        if shown >= HIGHLIGHTS or result.hidden or not result.options:
            continue
        options = sorted(
            ((o, o.estimate) for o in result.options if o.estimate is not None),
            key=lambda pair: -pair[1].value,
        )
        if not options:
            continue
        shown += 1
        blocks.append(
            Table(
                str(result.question.text),
                (_("Antwort"), _("Anteil")),
                tuple((str(o.label), format_percent(e.value)) for o, e in options),
                numeric=(1,),
            )
        )
    if survey.mode == Mode.OPEN:
        blocks.append(Note(_("Offene Umfrage: Die Anteile beziehen sich auf die Teilnehmenden.")))
    return Section(f"umfrage-{survey.pk}", phase.title, blocks)


def weighting_section(ctx) -> Section | None:
    weightings = [
        w
        for w in Weighting.objects.filter(phase__process__strategy=ctx.strategy)
        .select_related("phase")
        .order_by("phase__starts_at", "pk")
        if results_public(w)
    ]
    if not weightings:
        return None
    return Section("gewichtung", "", children=[_weighting_section(w) for w in weightings])


def survey_section(ctx) -> Section | None:
    surveys = [
        s
        for s in Survey.objects.filter(phase__process__strategy=ctx.strategy)
        .select_related("phase")
        .order_by("phase__starts_at", "pk")
        if results_public(s)
    ]
    if not surveys:
        return None
    return Section("umfragen", "", children=[_survey_section(s) for s in surveys])


def register() -> None:
    register_section(
        "strategy",
        key="gewichtung",
        order=55,
        title=gettext_lazy("Die Prioritäten der Bürgerinnen und Bürger"),
        build=weighting_section,
    )
    register_section(
        "strategy",
        key="umfragen",
        order=57,
        title=gettext_lazy("Ergebnisse der Umfragen"),
        build=survey_section,
    )
