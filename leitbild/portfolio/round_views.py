"""Staff pages of prioritisation rounds under /umsetzung/verwaltung/priorisierung/ (url names
``round_…``): the catalogue and weights for the Strategie-Redaktion, the scoring forms for
Bewertung. Views only translate HTTP; the rules are in ``rounds.py``, the reads in
``round_selectors.py``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leitbild.core.forms import add_service_errors
from leitbild.core.permissions import staff_view
from leitbild.core.roles import Role, has_role

from . import round_forms as forms
from . import round_selectors as selectors
from . import rounds
from .models import CriterionKind, PrioritisationRound, Project, RoundCriterion, WeightMethod

editor_view = staff_view(Role.EDITOR)
assessor_view = staff_view(Role.ASSESSOR)
CR_LIMIT = 0.10


def _round(pk: int) -> PrioritisationRound:
    round_ = selectors.round_get(pk=pk)
    if round_ is None:
        raise Http404
    return round_


def _detail_url(round_: PrioritisationRound, anchor: str = "") -> str:
    url = reverse("portfolio:round_detail", args=[round_.pk])
    return f"{url}#{anchor}" if anchor else url


def _refused(request, round_: PrioritisationRound, exc: ValidationError, anchor: str = ""):
    for message in exc.messages:
        messages.error(request, message)
    return redirect(_detail_url(round_, anchor))


# --- Rounds ---------------------------------------------------------------------------------


@staff_view(Role.EDITOR, Role.ASSESSOR)
def round_list(request):
    return render(
        request,
        "portfolio/rounds/list.html",
        {
            "rounds": list(selectors.round_list()),
            "is_editor": has_role(request.user, Role.EDITOR),
        },
    )


@editor_view
def round_create(request):
    form = forms.RoundCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = rounds.round_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Die Runde ist angelegt."))
            return redirect(_detail_url(round_))
    return render(
        request,
        "portfolio/staff/form.html",
        {
            "form": form,
            "title": _("Neue Priorisierungsrunde"),
            "back": reverse("portfolio:round_list"),
            "submit": _("Runde anlegen"),
        },
        status=400 if form.errors else 200,
    )


@editor_view
def round_detail(request, pk: int):
    round_ = _round(pk)
    criteria = selectors.round_criteria(round_)
    projects = selectors.round_projects(round_)
    ahp = selectors.ahp_state(round_) if round_.weight_method == WeightMethod.AHP else None
    for criterion in criteria:
        criterion.percent = selectors.weight_percent(criterion)  # type: ignore[attr-defined]
    residents = selectors.residents_source(round_.strategy_id)
    computed = selectors.computed_values(round_, projects, source=residents)
    computed_rows = [
        (
            p,
            computed[CriterionKind.GOALS][p.pk],
            computed[CriterionKind.RESIDENTS][p.pk],
            computed[CriterionKind.FUNDING][p.pk],
            p.entry_mandatory,  # type: ignore[attr-defined]
        )
        for p in projects
    ]
    return render(
        request,
        "portfolio/rounds/detail.html",
        {
            "round": round_,
            "criteria": criteria,
            "projects": projects,
            "progress": selectors.progress(round_),
            "ahp": ahp,
            "cr_limit": CR_LIMIT,
            "residents": residents,
            "computed_rows": computed_rows,
        },
    )


@editor_view
def round_edit(request, pk: int):
    round_ = _round(pk)
    initial = {
        name: getattr(round_, name)
        for name in (
            "title",
            "blind",
            "disagreement_range",
            "concentration",
            "draws",
            "top_k",
            "per_field_minimum",
        )
    }
    form = forms.RoundEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rounds.round_update(actor=request.user, round=round_, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Gespeichert."))
            return redirect(_detail_url(round_))
    return render(
        request,
        "portfolio/staff/form.html",
        {
            "form": form,
            "title": _("Einstellungen der Runde"),
            "back": _detail_url(round_),
        },
        status=400 if form.errors else 200,
    )


@editor_view
@require_POST
def round_copy(request, pk: int):
    round_ = _round(pk)
    new = rounds.round_copy(actor=request.user, round=round_)
    messages.success(
        request,
        _("Neue Runde angelegt, mit den Kriterien und Gewichten von „%(title)s“.")
        % {"title": round_.title},
    )
    return redirect(_detail_url(new))


@editor_view
def round_projects(request, pk: int):
    round_ = _round(pk)
    current = selectors.round_projects(round_)
    form = forms.RoundProjectsForm(
        request.POST or None,
        strategy=round_.strategy,
        initial={
            "projects": current,
            "mandatory": [p for p in current if p.entry_mandatory],  # type: ignore[attr-defined]
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            rounds.round_projects_set(
                actor=request.user,
                round=round_,
                projects=list(form.cleaned_data["projects"]),
                mandatory=list(form.cleaned_data["mandatory"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Gespeichert."))
            return redirect(_detail_url(round_, "projekte"))
    return render(
        request,
        "portfolio/staff/form.html",
        {
            "form": form,
            "title": _("Projekte der Runde"),
            "back": _detail_url(round_, "projekte"),
        },
        status=400 if form.errors else 200,
    )


# --- Criteria -------------------------------------------------------------------------------


def _criterion_page(request, round_: PrioritisationRound, criterion: RoundCriterion | None):
    initial = {"kind": CriterionKind.ASSESSED, "benefit": "1", "scale_min": 0, "scale_max": 5}
    if criterion is not None:
        initial = {
            name: getattr(criterion, name)
            for name in ("title", "key", "description", "kind", "scale_min", "scale_max")
        }
        initial["benefit"] = "1" if criterion.benefit else "0"
    form = forms.CriterionForm(request.POST or None, initial=initial)
    if round_.is_frozen and request.method == "POST":
        form.is_valid()
        form.add_error(None, rounds.frozen_message())
    elif request.method == "POST" and form.is_valid():
        try:
            rounds.criterion_save(
                actor=request.user, round=round_, criterion=criterion, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Gespeichert."))
            return redirect(_detail_url(round_, "kriterien"))
    return render(
        request,
        "portfolio/rounds/criterion_form.html",
        {
            "form": form,
            "round": round_,
            "title": _("Kriterium bearbeiten") if criterion else _("Neues Kriterium"),
            "back": _detail_url(round_, "kriterien"),
        },
        status=400 if form.errors else 200,
    )


@editor_view
def round_criterion_create(request, pk: int):
    return _criterion_page(request, _round(pk), None)


@editor_view
def round_criterion_edit(request, pk: int, criterion_pk: int):
    round_ = _round(pk)
    criterion = get_object_or_404(RoundCriterion, pk=criterion_pk, round=round_)
    return _criterion_page(request, round_, criterion)


@editor_view
@require_POST
def round_criterion_delete(request, pk: int, criterion_pk: int):
    round_ = _round(pk)
    criterion = get_object_or_404(RoundCriterion, pk=criterion_pk, round=round_)
    try:
        rounds.criterion_delete(actor=request.user, criterion=criterion)
    except ValidationError as exc:
        return _refused(request, round_, exc, "kriterien")
    messages.success(request, _("Das Kriterium ist entfernt."))
    return redirect(_detail_url(round_, "kriterien"))


# --- Weights --------------------------------------------------------------------------------


@editor_view
def round_weights(request, pk: int):
    round_ = _round(pk)
    criteria = selectors.round_criteria(round_)
    data = request.POST if request.method == "POST" else None
    form = forms.DirectWeightsForm(data, criteria=criteria)
    sum_error = ""
    if request.method == "POST":
        if round_.is_frozen:
            form.is_valid()
            form.add_error(None, rounds.frozen_message())
        elif request.POST.get("method") == WeightMethod.NONE:
            rounds.weights_set_none(actor=request.user, round=round_)
            messages.success(request, _("Die Runde rechnet ohne Gewichte."))
            return redirect(_detail_url(round_, "gewichte"))
        elif form.is_valid():
            try:
                rounds.weights_set_direct(
                    actor=request.user, round=round_, percents=form.percents()
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    sum_error = " ".join(exc.message_dict.get("weights", []))
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Die Gewichte sind gespeichert."))
                return redirect(_detail_url(round_, "gewichte"))
    return render(
        request,
        "portfolio/rounds/weights.html",
        {
            "form": form,
            "round": round_,
            "sum_error": sum_error,
            "back": _detail_url(round_, "gewichte"),
        },
        status=400 if form.errors else 200,
    )


@editor_view
def round_ahp(request, pk: int):
    round_ = _round(pk)
    state = selectors.ahp_state(round_)
    form = forms.ComparisonForm(request.POST or None, criteria=state.criteria, values=state.values)
    result = state.result
    if request.method == "POST":
        saved = _ahp_save(request, round_, form)
        if saved is not None:
            _ahp_message(request, saved)
            return redirect(reverse("portfolio:round_ahp", args=[round_.pk]))
    weights = []
    if result is not None:
        weights = list(zip(state.criteria, [float(w) * 100 for w in result.weights], strict=True))
    context = {"form": form, "round": round_, "result": result, "weights": weights}
    context |= {"cr_limit": CR_LIMIT, "back": _detail_url(round_, "gewichte")}
    return render(request, "portfolio/rounds/ahp.html", context, status=400 if form.errors else 200)


def _ahp_save(request, round_, form):
    """The comparison saved as weights, or None with the errors on the form."""
    if round_.is_frozen:
        form.is_valid()
        form.add_error(None, rounds.frozen_message())
        return None
    if not form.is_valid():
        return None
    try:
        return rounds.comparisons_set(actor=request.user, round=round_, values=form.values())
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def _ahp_message(request, result) -> None:
    if result.consistency_ratio > CR_LIMIT:
        messages.warning(
            request,
            _(
                "Die Gewichte sind gespeichert, aber der Vergleich ist nicht "
                "konsistent genug (Konsistenzverhältnis über 0,10). Bitte prüfen "
                "Sie die Paare."
            ),
        )
    else:
        messages.success(request, _("Die Gewichte sind aus dem Vergleich abgeleitet."))


# --- Scoring (Bewertung) --------------------------------------------------------------------


def _assessed(round_: PrioritisationRound) -> list[RoundCriterion]:
    return [c for c in selectors.round_criteria(round_) if c.kind == CriterionKind.ASSESSED]


@assessor_view
def round_scoring(request, pk: int):
    round_ = _round(pk)
    criteria = _assessed(round_)
    projects = selectors.round_projects(round_)
    own = selectors.own_scores(round_, request.user)
    rows = [
        (project, sum((project.pk, c.pk) in own for c in criteria), len(criteria))
        for project in projects
    ]
    done = sum(r[1] for r in rows)
    return render(
        request,
        "portfolio/rounds/scoring.html",
        {
            "round": round_,
            "rows": rows,
            "done": done,
            "total": len(criteria) * len(projects),
            "submitted": selectors.has_submitted(round_, request.user),
        },
    )


@assessor_view
def round_score(request, pk: int, project_pk: int):
    round_ = _round(pk)
    project = get_object_or_404(Project, pk=project_pk, round_entries__round=round_)
    criteria = _assessed(round_)
    own = {
        c: s for (p, c), s in selectors.own_scores(round_, request.user).items() if p == project.pk
    }
    submitted = selectors.has_submitted(round_, request.user)
    form = forms.ScoreForm(request.POST or None, criteria=criteria, scores=own)
    if request.method == "POST" and form.is_valid():
        inputs = [
            rounds.ScoreInput(c.pk, form.cleaned_data.get(v), form.cleaned_data.get(t) or "")
            for c, v, t in form.rows
        ]
        try:
            rounds.scores_save(actor=request.user, round=round_, project=project, scores=inputs)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Ihre Bewertung ist gespeichert (Entwurf)."))
            if request.POST.get("next"):
                projects = selectors.round_projects(round_)
                ids = [p.pk for p in projects]
                following = ids[(ids.index(project.pk) + 1) % len(ids)]
                return redirect(reverse("portfolio:round_score", args=[round_.pk, following]))
            return redirect(reverse("portfolio:round_scoring", args=[round_.pk]))
    others = selectors.others_scores(round_, request.user, project)
    return render(
        request,
        "portfolio/rounds/score.html",
        {
            "round": round_,
            "project": project,
            "form": form,
            "submitted": submitted,
            "others": others,
        },
        status=400 if form.errors else 200,
    )


@assessor_view
@require_POST
def round_submit(request, pk: int):
    round_ = _round(pk)
    try:
        rounds.assessment_submit(actor=request.user, round=round_)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Ihre Bewertung ist abgeschlossen. Vielen Dank!"))
    return redirect(reverse("portfolio:round_scoring", args=[round_.pk]))


# --- Aggregation and agreed values ----------------------------------------------------------


@editor_view
def round_aggregation(request, pk: int):
    round_ = _round(pk)
    rows = selectors.aggregation(round_)
    return render(
        request,
        "portfolio/rounds/aggregation.html",
        {
            "round": round_,
            "rows": rows,
            "criteria": _assessed(round_),
            "progress": selectors.progress(round_),
            "open": sum(c.open_disagreement for r in rows for c in r.cells),
        },
    )


@editor_view
def round_agree(request, pk: int, project_pk: int, criterion_pk: int):
    round_ = _round(pk)
    project = get_object_or_404(Project, pk=project_pk, round_entries__round=round_)
    criterion = get_object_or_404(
        RoundCriterion, pk=criterion_pk, round=round_, kind=CriterionKind.ASSESSED
    )
    current = round_.agreed_values.filter(project=project, criterion=criterion).first()
    form = forms.AgreedValueForm(request.POST or None, initial=_agreed_initial(current))
    if request.method == "POST" and form.is_valid():
        try:
            rounds.agreed_value_save(
                actor=request.user, round=round_, project=project, criterion=criterion,
                **{key: form.cleaned_data[key] for key in ("value", "note", "version")},
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
            if any(e.code == "stale" for e in getattr(exc, "error_list", ())):
                # Show what is stored now; saving again is then a deliberate choice.
                current = round_.agreed_values.filter(project=project, criterion=criterion).first()
                form = _stale_form(request, form, current)
        else:
            messages.success(request, _("Der vereinbarte Wert ist gespeichert."))
            return redirect(reverse("portfolio:round_aggregation", args=[round_.pk]))
    context: dict[str, object] = {"round": round_, "project": project, "criterion": criterion}
    context |= {"current": current, "form": form}
    context["scores"] = selectors.cell_scores(round_, project, criterion)
    context["back"] = reverse("portfolio:round_aggregation", args=[round_.pk])
    return render(
        request, "portfolio/rounds/agree.html", context, status=400 if form.errors else 200
    )


def _agreed_initial(current) -> dict:
    return {
        "value": str(current.value) if current else "",
        "note": current.note if current else "",
        "version": current.version if current else 0,
    }


def _stale_form(request, stale, current):
    """The submitted values against the version stored now, with the stale form's message."""
    data = request.POST.copy()
    data["version"] = str(current.version if current else 0)
    form = forms.AgreedValueForm(data)
    form.is_valid()
    for error in stale.non_field_errors():
        form.add_error(None, error)
    return form
