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


def _results_params(request) -> tuple[bool, str]:
    weighted = request.GET.get("gewichtet") in ("1", "true", "ja")
    by = request.GET.get("nach", "")
    return weighted, by if isinstance(by, str) and len(by) <= 40 else ""


def weighting_results_response(request, weighting, *, staff: bool):
    weighted, by = _results_params(request)
    results = selectors.weighting_results(weighting=weighting, weighted=weighted, by=by)
    context = weighting_view(results) | {
        "weighting": weighting,
        "phase": weighting.phase,
        "process": weighting.phase.process,
        "staff": staff,
        "by": by,
        "weighted_requested": weighted,
        "public": selectors.results_public(weighting),
    }
    return render(request, "consultation/weighting_results.html", context)


def survey_results_response(request, survey, *, staff: bool):
    weighted, by = _results_params(request)
    results = selectors.survey_results(survey=survey, weighted=weighted, by=by, with_texts=staff)
    context = survey_view(results) | {
        "survey": survey,
        "phase": survey.phase,
        "process": survey.phase.process,
        "staff": staff,
        "by": by,
        "weighted_requested": weighted,
        "public": selectors.results_public(survey),
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
