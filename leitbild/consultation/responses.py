"""The responses that public and staff pages share: result pages and exports. Views of both
call these, so that neither views module imports the other."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from leitbild.core.exports import export_response

from . import selectors
from .exports import (
    ballot_table,
    response_table,
    survey_result_table,
    weighting_result_table,
)
from .presentation import survey_view, weighting_view
from .statistics import sample_supports_inference

BALLOT_ORDER = "stimmzettel"  # ?reihenfolge=stimmzettel: bars in the order of the ballot


def _results_params(request, consultation) -> tuple[bool, str, bool]:
    """(weighted, by, by_value) from the query string. Weighting is offered only where the
    sample supports it (``statistics.sample_supports_inference``): asked for anyway, the
    page stays unweighted."""
    weighted = request.GET.get("gewichtet") in ("1", "true", "ja")
    weighted = weighted and sample_supports_inference(consultation.mode)
    by = request.GET.get("nach", "")
    by_value = request.GET.get("reihenfolge") != BALLOT_ORDER
    return weighted, by if isinstance(by, str) and len(by) <= 40 else "", by_value


def _order_links(request, by_value: bool) -> dict:
    """The two orders of the bars as plain links (no JavaScript), keeping the other choices."""
    by_value_query = request.GET.copy()
    by_value_query.pop("reihenfolge", None)
    ballot_query = request.GET.copy()
    ballot_query["reihenfolge"] = BALLOT_ORDER
    return {
        "by_value": by_value,
        "by_value_url": "?" + by_value_query.urlencode() if by_value_query else "?",
        "ballot_url": "?" + ballot_query.urlencode(),
    }


def weighting_results_response(request, weighting, *, staff: bool):
    weighted, by, by_value = _results_params(request, weighting)
    results = selectors.weighting_results(weighting=weighting, weighted=weighted, by=by)
    context = weighting_view(results, by_value=by_value) | {
        "weighting": weighting,
        "phase": weighting.phase,
        "process": weighting.phase.process,
        "staff": staff,
        "by": by,
        "weighted_requested": weighted,
        "public": selectors.results_public(weighting),
        "order": _order_links(request, by_value),
    }
    return render(request, "consultation/weighting_results.html", context)


def survey_results_response(request, survey, *, staff: bool):
    weighted, by, by_value = _results_params(request, survey)
    results = selectors.survey_results(survey=survey, weighted=weighted, by=by, with_texts=staff)
    context = survey_view(results, by_value=by_value) | {
        "survey": survey,
        "phase": survey.phase,
        "process": survey.phase.process,
        "staff": staff,
        "by": by,
        "weighted_requested": weighted,
        "public": selectors.results_public(survey),
        "order": _order_links(request, by_value),
    }
    return render(request, "consultation/survey_results.html", context)


def weighting_export_response(weighting, *, what: str, fmt: str) -> HttpResponse:
    weighted = what == "ergebnisse"
    results = selectors.weighting_results(weighting=weighting, all_breakdowns=weighted)
    if what == "ergebnisse":
        headers, rows = weighting_result_table(results)
    elif what == "stimmzettel":
        ballots = [] if results.suppressed else selectors.ballot_rows(weighting)
        headers, rows = ballot_table(results, ballots)
    else:
        raise Http404
    return export_response(headers, rows, fmt=fmt, name=f"gewichtung-{weighting.phase_id}-{what}")


def survey_export_response(survey, *, what: str, fmt: str) -> HttpResponse:
    if what == "ergebnisse":
        parts = [selectors.survey_results(survey=survey)]
        parts += [
            selectors.survey_results(survey=survey, by=q.key)
            for q in selectors.demographic_questions(survey.phase_id)
        ]
        headers, rows = survey_result_table(parts[0])
        for part in parts[1:]:
            _h, more = survey_result_table(part)
            rows += [[f"{part.by.text}: {row[0]}", *row[1:]] for row in more if row[0] != _("alle")]
    elif what == "antworten":
        results = selectors.survey_results(survey=survey)
        responses = [] if results.suppressed else selectors.response_rows(survey)
        headers, rows = response_table(results, responses)
    else:
        raise Http404
    return export_response(headers, rows, fmt=fmt, name=f"umfrage-{survey.phase_id}-{what}")
