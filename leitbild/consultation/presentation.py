"""Results as charts with their tables (charts.py), for pages and, later, the PDF document."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leitbild.consultation.statistics import FieldResult
from leitbild.core.charts import (
    Bar,
    Chart,
    StackedBar,
    bar_chart,
    format_number,
    format_percent,
    stacked_bar_chart,
)

from .models import LIKERT_LABELS, Method, QuestionKind
from .questionnaire import visible_questions
from .selectors import QuestionResult, SurveyGroup, SurveyPage, SurveyResults, WeightingResults

TOO_FEW = gettext_lazy("zu wenige Angaben")


def value_label(method: str) -> str:
    return {
        Method.PICK: _("Anteil der Stimmzettel"),
        Method.POINTS: _("mittlere Punkte"),
        Method.RANK: _("mittlerer Platz (1 = wichtigstes)"),
        Method.RATE: _("mittlere Bewertung (1–5)"),
    }[method]


def _axis(results: WeightingResults) -> dict:
    method = results.method
    if method == Method.PICK:
        return {"percent": True}
    if method == Method.RANK:
        return {"percent": False, "axis_max": float(len(results.fields)), "decimals": 2}
    if method == Method.RATE:
        return {"percent": False, "axis_max": 5.0, "decimals": 2}
    return {"percent": False, "decimals": 1}


def _sorted_by_value(results: WeightingResults, fields: list[FieldResult]) -> list[FieldResult]:
    """Most important first: the highest share, points or rating, the lowest mean place;
    fields without a figure last, each group in ballot order (the sort is stable)."""
    rank = results.method == Method.RANK

    def key(r: FieldResult) -> tuple[bool, float]:
        if r.estimate is None:
            return (True, 0.0)
        return (False, r.estimate.value if rank else -r.estimate.value)

    return sorted(fields, key=key)


def ordered(results: WeightingResults, fields: list[FieldResult], *, by_value: bool):
    return _sorted_by_value(results, fields) if by_value else list(fields)


def field_chart(
    results: WeightingResults,
    fields: list[FieldResult],
    *,
    title: str,
    id_prefix: str,
    by_value: bool = True,
) -> Chart:
    """Bars per field, sorted by value unless ``by_value`` is False (then in ballot order).
    Intervals only where the sample supports them; plain counts of a pick ballot beside."""
    inference = results.inference
    counted = results.method == Method.PICK and not results.weighted
    bars = [
        Bar(
            results.field_name(r.field),
            r.estimate.value if r.estimate else None,
            r.estimate.low if r.estimate and inference else None,
            r.estimate.high if r.estimate and inference else None,
            "" if r.estimate else str(TOO_FEW),
            count=round(r.estimate.value * r.n) if r.estimate and counted else None,
        )
        for r in ordered(results, fields, by_value=by_value)
    ]
    return bar_chart(
        bars,
        title=title,
        value_header=value_label(results.method),
        count_header=_("Stimmzettel"),
        id_prefix=id_prefix,
        labels_above=True,
        **_axis(results),
    )


def rating_chart(
    results: WeightingResults,
    fields: list[FieldResult],
    *,
    title: str,
    id_prefix: str,
    by_value: bool = True,
) -> Chart:
    bars = [
        StackedBar(
            results.field_name(r.field),
            [e.value for e in r.distribution] if r.distribution else None,
            "" if r.distribution else str(TOO_FEW),
        )
        for r in ordered(results, fields, by_value=by_value)
    ]
    return stacked_bar_chart(
        bars,
        [str(i) for i in range(1, 6)],
        title=title,
        id_prefix=id_prefix,
        labels_above=True,
    )


@dataclass
class GroupView:
    label: str
    n: int | None
    suppressed: bool
    chart: Chart | None


def weighting_view(results: WeightingResults, *, by_value: bool = True) -> dict:
    """Everything the results template shows, charts included, sorted by value unless
    ``by_value`` is False (ballot order)."""
    if results.suppressed or results.main is None:
        return {"results": results}
    weighted = results.weighted
    title = _("Ergebnis, gewichtet") if weighted else _("Ergebnis")
    main = field_chart(results, results.main, title=title, id_prefix="ergebnis", by_value=by_value)
    extra = None
    if results.method == Method.RATE:
        extra = rating_chart(
            results,
            results.main,
            title=_("Verteilung der Bewertungen"),
            id_prefix="verteilung",
            by_value=by_value,
        )
    comparison = None
    if results.weighted_results is not None and results.inference:
        comparison = [
            (results.field_name(plain.field), plain, weighted_result)
            for plain, weighted_result in zip(
                results.unweighted or [], results.weighted_results, strict=True
            )
        ]
    groups: list[GroupView] = []
    for part in results.breakdowns:
        for index, group in enumerate(part.groups):
            label = group.label if group.label is not None else _("keine Angabe")
            chart = None
            if not group.suppressed and group.fields:
                chart = field_chart(
                    results,
                    group.fields,
                    title=str(label),
                    id_prefix=f"gruppe-{index}",
                    by_value=by_value,
                )
            groups.append(GroupView(str(label), group.n, group.suppressed, chart))
    return {
        "results": results,
        "main_chart": main,
        "extra_chart": extra,
        "comparison": comparison,
        "groups": groups,
        "breakdown": results.breakdowns[0] if results.breakdowns else None,
    }


def estimate_text(estimate, *, percent: bool) -> str:
    if estimate is None:
        return "–"
    if percent:
        return format_percent(estimate.value)
    return format_number(estimate.value, 2)


def interval_text(estimate, *, percent: bool) -> str:
    if estimate is None or estimate.low is None or estimate.high is None:
        return "–"
    if percent:
        return f"{format_number(estimate.low * 100)}–{format_percent(estimate.high)}"
    return f"{format_number(estimate.low, 2)}–{format_number(estimate.high, 2)}"


# --- Surveys -----------------------------------------------------------------------------------
@dataclass
class QuestionView:
    result: QuestionResult
    chart: Chart | None
    mean: str
    mean_interval: str


def _question_chart(
    result: QuestionResult, index: int, *, inference: bool, weighted: bool, by_value: bool
) -> Chart | None:
    """Likert answers as one stacked bar in scale order; choices as bars, the most chosen
    first unless ``by_value`` is False (questionnaire order), with counts when unweighted and
    intervals only where the sample supports them."""
    question = result.question
    if result.hidden or not result.options:
        return None
    if question.kind == QuestionKind.LIKERT:
        return stacked_bar_chart(
            [StackedBar(question.text, [o.estimate.value for o in result.options])],
            [str(label) for label in LIKERT_LABELS],
            title=question.text,
            label_header=_("Frage"),
            id_prefix=f"frage-{index}",
            labels_above=True,
        )
    options = list(result.options)
    if by_value:
        options.sort(key=lambda o: -o.estimate.value)
    return bar_chart(
        [
            Bar(
                o.label,
                o.estimate.value,
                o.estimate.low if inference else None,
                o.estimate.high if inference else None,
                count=None if weighted else round(o.estimate.value * result.n),
            )
            for o in options
        ],
        title=question.text,
        label_header=_("Antwort"),
        id_prefix=f"frage-{index}",
        labels_above=True,
    )


def _group_chart(question, groups: list[SurveyGroup], position: int, index: int):
    """Single choice and Likert by group: one stacked bar per group (up to 8 answers)."""
    if question.kind not in (QuestionKind.SINGLE, QuestionKind.LIKERT) or len(question.values) > 8:
        return None
    bars = []
    for group in groups:
        label = str(group.label if group.label is not None else _("keine Angabe"))
        if group.suppressed or group.questions is None:
            bars.append(StackedBar(label, None, _("zu kleine Gruppe")))
            continue
        result = group.questions[position]
        if result.hidden or not result.options:
            bars.append(StackedBar(label, None, str(TOO_FEW)))
        else:
            bars.append(StackedBar(label, [o.estimate.value for o in result.options]))
    return stacked_bar_chart(
        bars,
        [str(x) for x in question.labels],
        title=question.text,
        label_header=_("Gruppe"),
        id_prefix=f"gruppe-frage-{index}",
        labels_above=True,
    )


def survey_view(results: SurveyResults, *, by_value: bool = True) -> dict:
    views = []
    inference = results.inference
    for index, result in enumerate(results.results):
        chart = _question_chart(
            result, index, inference=inference, weighted=results.weighted, by_value=by_value
        )
        views.append(
            QuestionView(
                result,
                chart,
                estimate_text(result.mean, percent=False),
                interval_text(result.mean, percent=False) if inference else "",
            )
        )
    group_charts = []
    if results.by is not None:
        answerable = [q for q in results.questions if q.kind != QuestionKind.TEXT]
        for position, question in enumerate(answerable):
            chart = _group_chart(question, results.groups, position, position)
            rows: list[tuple[str, int | str, list[str]]] = []
            for group in results.groups:
                label = str(group.label if group.label is not None else _("keine Angabe"))
                if group.suppressed or group.questions is None:
                    rows.append((label, _("zu kleine Gruppe"), []))
                    continue
                r = group.questions[position]
                if r.hidden:
                    rows.append((label, str(TOO_FEW), []))
                elif r.options:
                    rows.append((label, r.n, [format_percent(o.estimate.value) for o in r.options]))
                else:
                    rows.append((label, r.n, [estimate_text(r.mean, percent=False)]))
            group_charts.append({"question": question, "chart": chart, "rows": rows})
    return {"results": results, "questions": views, "group_charts": group_charts}


# --- A page of the questionnaire -----------------------------------------------------------------
def survey_page_items(
    page: SurveyPage,
    answers: Mapping[str, object],
    *,
    errors: Mapping[int, str],
    typed: Mapping[str, object],
) -> list[dict]:
    """The questions of a questionnaire page as the template shows them, with the answer so far
    (what was typed, for a question with an error, even if invalid).

    Questions depending on an earlier section are decided here; those depending on a question
    of this section are shown (JS hides them) and dropped on saving if unmet."""
    shown = {q.pk for q in visible_questions(page.all_questions, answers)}
    items = []
    for question in page.questions:
        condition = question.condition_question
        if condition is not None and condition.section_id != question.section_id:
            if question.pk not in shown:
                continue
        answer = answers.get(str(question.pk))
        if question.pk in errors:
            answer = typed.get(str(question.pk))
        condition_label = ""
        if condition is not None:
            condition_label = dict(zip(condition.values, condition.labels, strict=True)).get(
                question.condition_value, question.condition_value
            )
        items.append(
            {
                "question": question,
                "answer": answer,
                "condition_label": condition_label,
                "error": errors.get(question.pk),
                "choices": list(zip(question.values, question.labels, strict=True)),
            }
        )
    return items


def survey_page_demographics(page: SurveyPage, answers: Mapping[str, str]) -> list[dict]:
    """The demographic questions with their answers so far, on the page that asks them."""
    if not page.on_demographics:
        return []
    return [
        {
            "question": q,
            "answer": answers.get(q.key, ""),
            "choices": list(zip(q.values, q.labels, strict=True)),
        }
        for q in page.demographics
    ]
