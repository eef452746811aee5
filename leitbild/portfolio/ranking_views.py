"""Staff pages of a round's ranking, portfolio, decisions and publication (Role.EDITOR).

Views only translate HTTP; the rules are in ``ranking.py`` and the reads in
``ranking_selectors.py``. The what-if form is read by GET and changes nothing: with htmx it
swaps only the table, without JavaScript the same form reloads the page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leitbild.core.exports import XLSX_CONTENT_TYPE
from leitbild.core.forms import add_service_errors
from leitbild.core.models import TaskProgress
from leitbild.core.permissions import staff_view
from leitbild.core.roles import Role

from . import charts, exports, ranking, ranking_forms
from . import ranking_selectors as sel
from .models import PrioritisationRound, RoundDecision

editor_view = staff_view(Role.EDITOR)


def _round(pk: int) -> PrioritisationRound:
    return get_object_or_404(PrioritisationRound.objects.select_related("strategy"), pk=pk)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _error(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _weight_rows(page: sel.RankingPage, inputs: sel.RoundInputs) -> list[dict]:
    if page.criteria:
        return page.criteria
    weights = inputs.chosen_weights()
    return [
        {"id": c.pk, "title": c.title, "weight": float(weights[j])}
        for j, c in enumerate(inputs.criteria)
    ]


def _ranking_context(request, round: PrioritisationRound, *, whatif_form=None, whatif=None):
    inputs = sel.round_inputs(round)
    page = sel.ranking_page(round, inputs=inputs)
    criteria = _weight_rows(page, inputs)
    if whatif_form is None:
        whatif_form = ranking_forms.WhatIfForm(criteria=criteria)
    return {
        "round": round,
        "page": page,
        "chart": charts.rank_acceptability_chart(page.projects) if page.projects else None,
        "missing": sel.missing_values(inputs) if inputs.projects and inputs.criteria else [],
        "whatif_form": whatif_form,
        "whatif": whatif,
        "weights": criteria,
    }


@editor_view
def staff_round_ranking(request, pk: int):
    round = _round(pk)
    if request.method == "POST":
        try:
            ranking.ranking_run(actor=request.user, round=round)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Rangfolge und Robustheit berechnet."))
        return redirect("portfolio:staff_round_ranking", pk=round.pk)
    return render(request, "portfolio/ranking/ranking.html", _ranking_context(request, round))


@editor_view
def staff_round_whatif(request, pk: int):
    """The ranking under other weights; nothing is saved."""
    round = _round(pk)
    inputs = sel.round_inputs(round)
    page = sel.ranking_page(round, inputs=inputs)
    criteria = _weight_rows(page, inputs)
    form = ranking_forms.WhatIfForm(request.GET or None, criteria=criteria)
    rows = None
    if form.is_valid():
        try:
            weights = ranking.what_if_weights(inputs, form.weights())
            if sel.missing_values(inputs):
                raise ValidationError(
                    _("Es fehlen noch Bewertungen; die Rangfolge ist noch nicht möglich.")
                )
            rows = sel.what_if(inputs, weights)
        except ValidationError as exc:
            add_service_errors(form, exc)
    status = 400 if form.errors else 200
    if _is_htmx(request):
        return render(
            request,
            "portfolio/ranking/_whatif.html",
            {"round": round, "whatif_form": form, "whatif": rows},
            status=status,
        )
    context = _ranking_context(request, round, whatif_form=form, whatif=rows)
    return render(request, "portfolio/ranking/ranking.html", context, status=status)


# --- Portfolio ---------------------------------------------------------------------------------


def _portfolio_context(round: PrioritisationRound, *, robust_form=None) -> dict:
    inputs = sel.portfolio_inputs(round)
    stored = (round.results or {}).get("portfolio") or {}
    state = sel.portfolio_state(round, inputs)
    page = sel.ranking_page(round)
    costs = stored.get("costs", {})
    rows = []
    for item in page.projects:
        cost = costs.get(str(item.id)) or [0.0] * len(stored.get("years", []))
        rows.append({"project": item, "costs": cost, "total": sum(cost)})
    sides = []
    for key, label in (
        ("optimal", _("Optimales Portfolio (exakt berechnet)")),
        ("greedy", _("Rangfolge von oben, bis das Geld reicht")),
    ):
        result = stored.get(key)
        if not result:
            continue
        sides.append(
            {
                "key": key,
                "label": label,
                "result": result,
                "reasons": [sel.reason_text(r, inputs) for r in result.get("reasons", [])],
                "years": list(
                    zip(
                        stored.get("years", []),
                        result.get("spent", []),
                        stored.get("budgets", []),
                        strict=False,
                    )
                ),
                "count": len(result.get("selected", [])),
            }
        )
    robust = round.robust or {}
    robust_rows = []
    titles = {p.pk: p.title for p in inputs.projects}
    for item in sorted(robust.get("projects", []), key=lambda r: -r["share"]):
        robust_rows.append(
            {
                **item,
                "title": titles.get(item["id"], item["title"]),
                "label": sel.robust_label(item["class"]),
            }
        )
    robust_stale = bool(robust) and robust.get("fingerprint") != sel.portfolio_fingerprint(
        round, inputs
    )
    progress = None
    if round.robust_task_id:
        progress = TaskProgress.objects.filter(pk=round.robust_task_id).first()
    return {
        "round": round,
        "inputs": inputs,
        "state": state,
        "ranking_state": page.state,
        "stored": stored,
        "rows": rows,
        "sides": sides,
        "difference": bool(
            len(sides) == 2
            and set(sides[0]["result"]["selected"]) != set(sides[1]["result"]["selected"])
        ),
        "robust": robust,
        "robust_rows": robust_rows,
        "robust_stale": robust_stale,
        "robust_groups": {
            name: [r for r in robust_rows if r["class"] == name]
            for name in ("core", "borderline", "exterior")
        },
        "robust_form": robust_form or ranking_forms.RobustForm(),
        "progress": progress if progress and not progress.is_finished else None,
    }


@editor_view
def staff_round_portfolio(request, pk: int):
    round = _round(pk)
    if request.method == "POST":
        try:
            ranking.portfolio_run(actor=request.user, round=round)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Portfolio berechnet."))
        return redirect("portfolio:staff_round_portfolio", pk=round.pk)
    return render(request, "portfolio/ranking/portfolio.html", _portfolio_context(round))


@editor_view
def staff_round_constraints(request, pk: int):
    round = _round(pk)
    inputs = sel.portfolio_inputs(round)
    initial = {
        "mandatory": [str(pk) for pk in inputs.mandatory],
        "per_field_minimum": round.per_field_minimum,
    }
    exclusions = [(a, b) for a, b in inputs.exclusions]
    form = ranking_forms.ConstraintsForm(
        request.POST or None, projects=inputs.projects, exclusions=exclusions, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            ranking.constraints_set(actor=request.user, round=round, **form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Bedingungen gespeichert. Berechnen Sie das Portfolio neu.")
            )
            return redirect("portfolio:staff_round_portfolio", pk=round.pk)
    return render(
        request,
        "portfolio/ranking/constraints.html",
        {"round": round, "form": form, "inputs": inputs},
        status=400 if form.errors else 200,
    )


@editor_view
@require_POST
def staff_round_robust(request, pk: int):
    round = _round(pk)
    form = ranking_forms.RobustForm(request.POST)
    if form.is_valid():
        try:
            progress = ranking.robust_start(
                actor=request.user,
                round=round,
                draws=form.cleaned_data["draws"] or ranking.ROBUST_DRAWS,
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # about the round, not the field: say so there
                _error(request, exc)
                return redirect(
                    reverse("portfolio:staff_round_portfolio", args=[round.pk]) + "#robust"
                )
            add_service_errors(form, exc)
        else:
            return redirect("core:progress_detail", pk=progress.pk)
    context = _portfolio_context(round, robust_form=form)
    return render(request, "portfolio/ranking/portfolio.html", context, status=400)


# --- Decisions and publication -----------------------------------------------------------------


@editor_view
def staff_round_decisions(request, pk: int):
    round = _round(pk)
    page = sel.ranking_page(round)
    inputs = sel.portfolio_inputs(round)
    by_id = {p.pk: p for p in inputs.projects}
    ordered = [by_id[p.id] for p in page.projects if p.id in by_id] or inputs.projects
    ranked = [p.id for p in page.projects]
    ordered += [p for p in inputs.projects if p.pk not in ranked and p not in ordered]
    decisions = {d.project_id: d for d in RoundDecision.objects.filter(round=round)}
    suggested = set(
        (round.results or {}).get("portfolio", {}).get("optimal", {}).get("selected", [])
    )
    form = ranking_forms.DecisionsForm(
        request.POST or None, projects=ordered, decisions=decisions, suggested=suggested
    )
    if request.method == "POST" and form.is_valid():
        rows = [ranking.DecisionRow(p, yes, why) for p, yes, why in form.rows()]
        try:
            ranking.decisions_set(actor=request.user, round=round, rows=rows)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Entscheidungen gespeichert."))
            return redirect("portfolio:staff_round_publish", pk=round.pk)
    facts = {p.id: p for p in page.projects}
    return render(
        request,
        "portfolio/ranking/decisions.html",
        {
            "round": round,
            "form": form,
            "items": [
                (facts.get(p.pk), *pair) for p, pair in zip(ordered, form.pairs(), strict=True)
            ],
        },
        status=400 if form.errors else 200,
    )


@editor_view
def staff_round_publish(request, pk: int):
    round = _round(pk)
    if request.method == "POST":
        try:
            ranking.round_publish(actor=request.user, round=round)
        except ValidationError as exc:
            _error(request, exc)
            return redirect("portfolio:staff_round_publish", pk=round.pk)
        messages.success(request, _("Die Runde ist veröffentlicht."))
        return redirect(reverse("portfolio:overview") + "#priorisierung")
    page = sel.ranking_page(round)
    decisions = list(RoundDecision.objects.filter(round=round).select_related("project"))
    return render(
        request,
        "portfolio/ranking/publish.html",
        {
            "round": round,
            "page": page,
            "portfolio_state": sel.portfolio_state(round),
            "decisions": decisions,
            "prioritised": [d for d in decisions if d.prioritised],
        },
    )


@editor_view
def staff_round_xlsx(request, pk: int):
    round = _round(pk)
    response = HttpResponse(exports.round_xlsx(round), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="priorisierung-runde-{round.number}.xlsx"'
    )
    return response
