"""Exports of results and of anonymised ballots and survey answers, as CSV or XLSX.

Rows never hold an identity (no code, e-mail, subject, token, key or timestamp). Individual
rows are sorted by their content, not by the order of casting. Demographic answers in
individual rows are coarsened until every combination of them occurs at least ``minimum``
times (k-anonymity), which implies the suppression of every single small group as well.
"""

from collections import Counter
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Method, QuestionKind
from .selectors import (
    SurveyResults,
    WeightingResults,
)

SUPPRESSED = gettext_lazy("unterdrückt")
NO_ANSWER = ""


def _number(value: float | None, digits: int = 4):
    return None if value is None else round(float(value), digits)


# --- Coarsening --------------------------------------------------------------------------------
def coarsen(rows: list[list[str | None]], *, minimum: int) -> list[list[str | None]]:
    """Blank demographic answers until every combination occurs at least ``minimum`` times.

    ``rows`` hold one answer per question (None: no answer). Rows in a too-small class lose
    their rarest remaining answer (the one with the fewest rows overall), repeatedly. Each
    round removes at least one answer, so it ends; at worst every answer is removed. A
    removed answer reads ``SUPPRESSED``, so that it is not mistaken for "no answer".
    """
    work: list[list[object]] = [list(row) for row in rows]
    removed = object()
    while True:
        classes = Counter(tuple(row) for row in work)
        small = [row for row in work if classes[tuple(row)] < minimum]
        if not small or all(all(v is removed or v is None for v in row) for row in small):
            break
        frequency = [Counter(row[j] for row in work) for j in range(len(work[0]) if work else 0)]
        for row in small:
            candidates = [
                (frequency[j][v], j)
                for j, v in enumerate(row)
                if v is not None and v is not removed
            ]
            if candidates:
                row[min(candidates)[1]] = removed
    return [[str(SUPPRESSED) if v is removed else v for v in row] for row in work]


# --- Weighting ---------------------------------------------------------------------------------
def _value_header(method: str) -> str:
    return {
        Method.PICK: _("Anteil"),
        Method.POINTS: _("mittlere Punkte"),
        Method.RANK: _("mittlerer Platz"),
        Method.RATE: _("mittlere Bewertung"),
    }[method]


def weighting_result_table(results: WeightingResults) -> tuple[list[str], list[list]]:
    """Aggregated results: overall (unweighted and weighted) and every breakdown."""
    headers = [
        _("Auswertung"),
        _("Gruppe"),
        _("Handlungsfeld"),
        _value_header(results.method),
        _("untere Grenze 95 %"),
        _("obere Grenze 95 %"),
        _("Stimmzettel (n)"),
        _("effektive Stichprobengröße"),
        _("Hinweis"),
    ]
    rows: list[list] = []
    if results.suppressed:
        rows.append(
            [
                _("gesamt"),
                "",
                "",
                None,
                None,
                None,
                results.n,
                None,
                _("weniger Stimmzettel als die Mindestgröße: nicht ausgewiesen"),
            ]
        )
        return headers, rows

    def add(label: str, group: str, fields, note: str = "") -> None:
        for result in fields:
            estimate = result.estimate
            rows.append(
                [
                    label,
                    group,
                    results.field_name(result.field),
                    _number(estimate.value) if estimate else None,
                    _number(estimate.low) if estimate else None,
                    _number(estimate.high) if estimate else None,
                    result.n,
                    _number(estimate.n_effective, 1) if estimate else None,
                    note if estimate else str(SUPPRESSED),
                ]
            )

    add(_("gesamt, ungewichtet"), "", results.unweighted or [])
    if results.weighted_results is not None:
        add(_("gesamt, gewichtet"), "", results.weighted_results)
    for part in results.breakdowns:
        label = (_("nach %(q)s, gewichtet") if part.weighted else _("nach %(q)s")) % {
            "q": part.question.text
        }
        for group in part.groups:
            name = group.label if group.label is not None else _("keine Angabe")
            if group.suppressed:
                rows.append([label, name, "", None, None, None, None, None, str(SUPPRESSED)])
            elif group.fields:
                add(label, name, group.fields)
    return headers, rows


def ballot_table(
    results: WeightingResults, ballots: Sequence[tuple[object, dict]]
) -> tuple[list[str], list[list]]:
    """Anonymised individual ballots: one column per field, then coarsened demographics."""
    fields, questions = results.fields, results.questions
    headers = [f.name for f in fields] + [q.text for q in questions]
    label = {q.key: dict(zip(q.values, q.labels, strict=True)) for q in questions}
    demographic = (
        coarsen(
            [[label[q.key].get(demo.get(q.key)) for q in questions] for _c, demo in ballots],
            minimum=results.minimum,
        )
        if questions
        else [[] for _b in ballots]
    )
    rows = []
    for (choices, _demo), demo_row in zip(ballots, demographic, strict=True):
        if results.method == Method.PICK:
            chosen = set(choices)
            values = [1 if f.pk in chosen else 0 for f in fields]
        else:
            values = [choices.get(str(f.pk), None) for f in fields]
        rows.append(values + [NO_ANSWER if v is None else v for v in demo_row])
    rows.sort(key=lambda row: [str(v) for v in row])
    return headers, rows


# --- Surveys -----------------------------------------------------------------------------------
def survey_result_table(results: SurveyResults) -> tuple[list[str], list[list]]:
    headers = [
        _("Gruppe"),
        _("Frage"),
        _("Antwort"),
        _("Anteil / Mittelwert"),
        _("untere Grenze 95 %"),
        _("obere Grenze 95 %"),
        _("Antworten (n)"),
        _("Hinweis"),
    ]
    rows: list[list] = []
    if results.suppressed:
        rows.append(
            [
                "",
                "",
                "",
                None,
                None,
                None,
                results.n,
                _("weniger Antworten als die Mindestgröße: nicht ausgewiesen"),
            ]
        )
        return headers, rows

    def add(group: str, question_results) -> None:
        for result in question_results:
            question = result.question
            if question.kind == QuestionKind.TEXT:
                continue
            if result.hidden:
                rows.append([group, question.text, "", None, None, None, None, str(SUPPRESSED)])
                continue
            for option in result.options:
                e = option.estimate
                rows.append(
                    [
                        group,
                        question.text,
                        option.label,
                        _number(e.value),
                        _number(e.low),
                        _number(e.high),
                        result.n,
                        "",
                    ]
                )
            if result.mean is not None:
                e = result.mean
                rows.append(
                    [
                        group,
                        question.text,
                        _("Mittelwert"),
                        _number(e.value),
                        _number(e.low),
                        _number(e.high),
                        result.n,
                        "",
                    ]
                )

    add(_("alle"), results.results)
    for group in results.groups:
        name = group.label if group.label is not None else _("keine Angabe")
        if group.suppressed:
            rows.append([name, "", "", None, None, None, None, str(SUPPRESSED)])
        else:
            add(name, group.questions or [])
    return headers, rows


def response_table(
    results: SurveyResults, responses: Sequence[tuple[dict, dict]]
) -> tuple[list[str], list[list]]:
    """Anonymised answers: no free text (it may name people), coarsened demographics."""
    questions = [q for q in results.questions if q.kind != QuestionKind.TEXT]
    demographics = results.demographics
    headers = [q.text for q in questions] + [q.text for q in demographics]
    label = {q.key: dict(zip(q.values, q.labels, strict=True)) for q in demographics}
    coarse = (
        coarsen(
            [[label[q.key].get(demo.get(q.key)) for q in demographics] for _a, demo in responses],
            minimum=results.minimum,
        )
        if demographics
        else [[] for _r in responses]
    )
    rows = []
    for (answers, _demo), demo_row in zip(responses, coarse, strict=True):
        row: list = []
        for question in questions:
            value = answers.get(str(question.pk))
            names = dict(zip(question.values, question.labels, strict=True))
            if value is None:
                row.append(NO_ANSWER)
            elif question.kind == QuestionKind.MULTIPLE:
                row.append("; ".join(names.get(v, v) for v in value))
            elif question.kind == QuestionKind.NUMBER:
                row.append(value)
            else:
                row.append(names.get(value, value))
        rows.append(row + [NO_ANSWER if v is None else v for v in demo_row])
    rows.sort(key=lambda row: [str(v) for v in row])
    return headers, rows
