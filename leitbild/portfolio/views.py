"""Pages of the implementation concept: public pages under /umsetzung/, staff pages under
/umsetzung/verwaltung/ (url names ``staff_…``). Views only translate HTTP; the rules are in
``services.py`` and the reads in ``selectors.py``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leitbild.core.exports import FORMATS, attachment, export_response
from leitbild.core.fields import parse_key
from leitbild.core.forms import add_service_errors
from leitbild.core.permissions import public_view, staff_view
from leitbild.core.roles import Role
from leitbild.participation.models import Idea
from leitbild.strategy.models import Strategy

from . import charts, exports, forms, selectors, services
from .models import OrgUnit, Programme, Project, Stage

editor_view = staff_view(Role.EDITOR)


def _project_url(project: Project, anchor: str = "") -> str:
    url = reverse("portfolio:staff_project", args=[project.pk])
    return f"{url}#{anchor}" if anchor else url


def _form_page(
    request,
    *,
    form,
    title: str,
    back: str,
    save,
    done,
    submit: str = "",
    template: str = "portfolio/staff/form.html",
    extra: dict | None = None,
):
    """GET shows ``form``; a valid POST calls ``save(**cleaned_data)`` and redirects to
    ``done(saved)``. Invalid input comes back with the errors next to their fields."""
    if request.method == "POST" and form.is_valid():
        try:
            item = save(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Gespeichert."))
            return redirect(done(item))
    return render(
        request,
        template,
        {"form": form, "title": title, "back": back, "submit": submit, **(extra or {})},
        status=400 if form.errors else 200,
    )


# --- Staff: projects ------------------------------------------------------------------------


@editor_view
def staff_index(request):
    strategies = list(Strategy.objects.order_by("title"))
    stage = request.GET.get("stand", "")
    if stage not in Stage.values:
        stage = ""
    projects = list(selectors.project_list(stage=stage))
    return render(
        request,
        "portfolio/staff/index.html",
        {
            "strategies": strategies,
            "projects": projects,
            "stages": Stage.choices,
            "stage": stage,
        },
    )


def _ideas_from_query(request, strategy) -> list[Idea]:
    ids = [key for v in request.GET.getlist("idee") if (key := parse_key(v)) is not None][:50]
    if not ids:
        return []
    return list(Idea.objects.public().filter(pk__in=ids, process__strategy=strategy))


@editor_view
def staff_project_create(request, slug: str):
    strategy = get_object_or_404(Strategy, slug=slug)
    ideas = _ideas_from_query(request, strategy)
    initial = {}
    if ideas:
        initial = {"title": ideas[0].title, "summary": ideas[0].description[:500]}
    form = forms.ProjectForm(
        request.POST or None, strategy=strategy, initial=initial, ideas=ideas if ideas else None
    )

    def save(form):
        data = form.service_data()
        return services.project_create(
            actor=request.user,
            strategy=strategy,
            ideas=list(form.cleaned_data.get("ideas") or []),
            **data,
        )

    return _form_page(
        request,
        form=form,
        title=_("Neues Projekt anlegen"),
        back=reverse("portfolio:staff_index"),
        save=save,
        done=_project_url,
        submit=_("Projekt anlegen"),
        template="portfolio/staff/project_form.html",
    )


@editor_view
def staff_project_edit(request, pk: int):
    project = get_object_or_404(Project, pk=pk)
    initial = {name: getattr(project, name) for name in services.PROJECT_FIELDS}
    initial["partner_units"] = list(project.partner_units.all())
    initial["depends_on"] = list(project.depends_on.all())
    for link in project.goal_links.all():
        initial[f"goal_{link.goal_id}"] = link.strength
    form = forms.ProjectForm(
        request.POST or None, strategy=project.strategy, project=project, initial=initial
    )
    return _form_page(
        request,
        form=form,
        title=_("Projekt bearbeiten"),
        back=_project_url(project),
        save=lambda form: services.project_update(
            actor=request.user, project=project, **form.service_data()
        ),
        done=_project_url,
        template="portfolio/staff/project_form.html",
    )


@editor_view
def staff_project(request, pk: int):
    project = selectors.project_get(pk=pk)
    if project is None:
        raise Http404
    return render(
        request,
        "portfolio/staff/project.html",
        {
            "project": project,
            "finance": selectors.project_finance(project),
            "ideas": selectors.project_ideas(project=project),
            "assessments": selectors.assessments_of(project=project),
            "programmes": Programme.objects.all(),
            "stage_form": forms.StageForm(initial={"stage": project.stage}),
            "search_form": forms.IdeaSearchForm(),
        },
    )


@editor_view
def staff_stage(request, pk: int):
    project = get_object_or_404(Project, pk=pk)
    form = forms.StageForm(request.POST or None, initial={"stage": project.stage})
    return _form_page(
        request,
        form=form,
        title=_("Stand ändern: %(title)s") % {"title": project.title},
        back=_project_url(project),
        save=lambda form: services.project_stage_set(
            actor=request.user, project=project, **form.cleaned_data
        ),
        done=lambda p: _project_url(p, "stand"),
        submit=_("Stand ändern"),
    )


@editor_view
def staff_costs(request, pk: int):
    project = get_object_or_404(Project, pk=pk)
    plan = forms.CostPlanForms(request.POST if request.method == "POST" else None, project=project)
    if request.method == "POST" and plan.is_valid():
        costs, third_party = plan.rows()
        try:
            services.cost_plan_set(
                actor=request.user, project=project, costs=costs, third_party=third_party
            )
        except ValidationError as exc:
            plan.add_service_errors(exc)
        else:
            messages.success(request, _("Kostenplan gespeichert."))
            return redirect(_project_url(project, "kosten"))
    first, last = services.year_range(project)
    context = {
        "project": project,
        "costs": plan.costs,
        "third": plan.third,
        "first": first,
        "last": last,
        "has_errors": plan.has_errors,
    }
    status = 400 if plan.has_errors else 200
    return render(request, "portfolio/staff/costs.html", context, status=status)


@editor_view
def staff_project_ideas(request, pk: int):
    """Search and pick ideas to link (GET searches, POST links)."""
    project = get_object_or_404(Project, pk=pk)
    search = forms.IdeaSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    found = selectors.ideas_search(strategy=project.strategy, query=query, exclude_project=project)
    pick = forms.IdeaPickForm(request.POST or None, strategy=project.strategy)
    if request.method == "POST" and pick.is_valid():
        try:
            new = services.project_ideas_link(
                actor=request.user, project=project, ideas=list(pick.cleaned_data["ideas"])
            )
        except ValidationError as exc:
            add_service_errors(pick, exc)
        else:
            messages.success(request, _("%(n)d Ideen verknüpft.") % {"n": len(new)})
            return redirect(_project_url(project, "ideen"))
    return render(
        request,
        "portfolio/staff/ideas.html",
        {
            "project": project,
            "search": search,
            "found": found,
            "pick": pick,
            "query": query,
            "linked": selectors.project_ideas(project=project),
        },
        status=400 if pick.errors else 200,
    )


@editor_view
@require_POST
def staff_idea_unlink(request, pk: int, idea_pk: int):
    project = get_object_or_404(Project, pk=pk)
    idea = get_object_or_404(Idea, pk=idea_pk)
    services.project_idea_unlink(actor=request.user, project=project, idea=idea)
    messages.success(request, _("Verknüpfung gelöst."))
    return redirect(_project_url(project, "ideen"))


@editor_view
def staff_idea_link(request, idea_pk: int):
    """From the moderation side: put an idea into an existing project."""
    idea = get_object_or_404(Idea.objects.select_related("process__strategy"), pk=idea_pk)
    form = forms.ProjectPickForm(request.POST or None, strategy=idea.process.strategy)

    def save(form):
        project = form.cleaned_data["project"]
        services.project_ideas_link(actor=request.user, project=project, ideas=[idea])
        return project

    return _form_page(
        request,
        form=form,
        title=_("Idee „%(title)s“ mit einem Projekt verknüpfen") % {"title": idea.title},
        back=reverse("participation:staff_idea", args=[idea.pk]),
        save=save,
        done=lambda p: _project_url(p, "ideen"),
        submit=_("Verknüpfen"),
        extra={
            "new_url": reverse("portfolio:staff_project_create", args=[idea.process.strategy.slug])
            + f"?idee={idea.pk}"
        },
    )


@editor_view
def staff_assessment(request, pk: int, programme_pk: int):
    project = get_object_or_404(Project, pk=pk)
    programme = get_object_or_404(Programme, pk=programme_pk)
    existing = project.assessments.filter(programme=programme).first()
    form = forms.AssessmentForm(request.POST or None, programme=programme, assessment=existing)
    back = _project_url(project, "foerderung")
    return _form_page(
        request,
        form=form,
        title=_("Förderbewertung: %(project)s – %(programme)s")
        % {"project": project.title, "programme": programme},
        back=back,
        save=lambda form: services.assessment_save(
            actor=request.user, project=project, programme=programme, **form.assessment_data()
        ),
        done=lambda assessment: back,
        template="portfolio/staff/assessment.html",
        extra={
            "finance": selectors.project_finance(project, programme=programme),
            "programme": programme,
            "project": project,
        },
    )


# --- Staff: organisational units and programmes --------------------------------------------


@editor_view
def staff_units(request):
    form = forms.OrgUnitForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        title=_("Organisationseinheiten im Konzern Stadt"),
        back=reverse("portfolio:staff_index"),
        save=lambda form: services.orgunit_save(actor=request.user, **form.cleaned_data),
        done=lambda u: reverse("portfolio:staff_units"),
        submit=_("Hinzufügen"),
        template="portfolio/staff/units.html",
        extra={"units": OrgUnit.objects.all()},
    )


@editor_view
def staff_unit_edit(request, pk: int):
    unit = get_object_or_404(OrgUnit, pk=pk)
    form = forms.OrgUnitForm(
        request.POST or None,
        initial={
            "name": unit.name,
            "short_name": unit.short_name,
            "kind": unit.kind,
            "members": list(unit.members.all()),
        },
    )
    return _form_page(
        request,
        form=form,
        title=_("Organisationseinheit bearbeiten"),
        back=reverse("portfolio:staff_units"),
        save=lambda form: services.orgunit_save(actor=request.user, unit=unit, **form.cleaned_data),
        done=lambda u: reverse("portfolio:staff_units"),
    )


@editor_view
@require_POST
def staff_unit_delete(request, pk: int):
    unit = get_object_or_404(OrgUnit, pk=pk)
    try:
        services.orgunit_delete(actor=request.user, unit=unit)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Gelöscht."))
    return redirect("portfolio:staff_units")


@editor_view
def staff_programmes(request):
    return render(
        request, "portfolio/staff/programmes.html", {"programmes": selectors.programme_list()}
    )


def _programme_initial(programme: Programme) -> dict:
    return {
        "name": programme.name,
        "short_name": programme.short_name,
        "level": programme.level,
        "description": programme.description,
        "rate": programme.rate,
        "emergency_rate": programme.emergency_rate,
        "eligible_cost_types": programme.eligible_cost_types,
        "runs_from": programme.runs_from,
        "runs_until": programme.runs_until,
        "phases": "\n".join(
            f"{p.name} | {p.cap:f} | {p.note}".rstrip(" |") for p in programme.phases.all()
        ),
        "criteria": "\n".join(c.title for c in programme.criteria.all()),
    }


@editor_view
def staff_programme_create(request):
    form = forms.ProgrammeForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        title=_("Förderprogramm anlegen"),
        back=reverse("portfolio:staff_programmes"),
        save=lambda form: services.programme_save(actor=request.user, **form.cleaned_data),
        done=lambda p: reverse("portfolio:staff_programmes"),
        submit=_("Anlegen"),
    )


@editor_view
def staff_programme_edit(request, pk: int):
    programme = get_object_or_404(Programme, pk=pk)
    form = forms.ProgrammeForm(request.POST or None, initial=_programme_initial(programme))
    return _form_page(
        request,
        form=form,
        title=_("Förderprogramm bearbeiten"),
        back=reverse("portfolio:staff_programmes"),
        save=lambda form: services.programme_save(
            actor=request.user, programme=programme, **form.cleaned_data
        ),
        done=lambda p: reverse("portfolio:staff_programmes"),
    )


@editor_view
@require_POST
def staff_programme_delete(request, pk: int):
    programme = get_object_or_404(Programme, pk=pk)
    try:
        services.programme_delete(actor=request.user, programme=programme)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Gelöscht."))
    return redirect("portfolio:staff_programmes")


# --- Staff: financing plan and exports ------------------------------------------------------


@editor_view
def staff_financing(request):
    plan = selectors.financing_plan()
    return render(
        request,
        "portfolio/staff/financing.html",
        {"plan": plan, "charts": charts.financing_charts(plan)},
    )


@editor_view
def staff_budget(request):
    plan = selectors.financing_plan()
    years = plan.years or list(range(2025, 2030))
    initial = {f"year_{y}": amount for y, amount in plan.budgets.items()}
    initial["budget_emergency"] = plan.emergency
    form = forms.BudgetForm(request.POST or None, years=years, initial=initial)
    return _form_page(
        request,
        form=form,
        title=_("Haushaltsmittel für den Eigenanteil"),
        back=reverse("portfolio:staff_financing"),
        save=lambda form: services.budget_set(
            actor=request.user,
            years=form.year_values(),
            budget_emergency=form.cleaned_data["budget_emergency"],
        ),
        done=lambda _r: reverse("portfolio:staff_financing"),
    )


@editor_view
def staff_financing_xlsx(request):
    content = exports.financing_xlsx(selectors.financing_plan())
    return attachment(content, fmt="xlsx", name="finanzierungsplan")


@editor_view
def staff_export(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    projects = selectors.project_list().prefetch_related(
        "costs", "third_party", "assessments__programme"
    )
    headers, rows = exports.portfolio_rows(projects)
    return export_response(headers, rows, fmt=fmt, name="projekte", dated=False)


# --- Public pages ---------------------------------------------------------------------------


@public_view
def overview(request):
    """The Umsetzungskonzept: prioritised projects first, then the others by stage."""
    projects = list(selectors.project_list(public=True).exclude(stage=Stage.DISCARDED))
    prioritised = [p for p in projects if p.stage in (Stage.PRIORITISED, Stage.IMPLEMENTING)]
    from . import ranking_selectors

    published = ranking_selectors.public_prioritisation()
    return render(
        request,
        "portfolio/overview.html",
        {
            "prioritisation": published,
            "chart": charts.rank_acceptability_chart(published[1]["projects"])
            if published and published[1]["projects"]
            else None,
            "prioritised": prioritised,
            "others": [p for p in projects if p not in prioritised and p.stage != Stage.POOL],
            "pool_count": sum(1 for p in projects if p.stage == Stage.POOL),
            "count": len(projects),
        },
    )


@public_view
def pool(request):
    return render(
        request,
        "portfolio/pool.html",
        {"projects": selectors.project_list(public=True, stage=Stage.POOL)},
    )


@public_view
def by_field(request):
    projects = list(selectors.project_list(public=True).exclude(stage=Stage.DISCARDED))
    groups: dict = {}
    for project in projects:
        seen = set()
        for link in project.goal_links.all():
            field = link.goal.field
            if field.pk not in seen:
                seen.add(field.pk)
                groups.setdefault(field, []).append(project)
    return render(
        request,
        "portfolio/by_field.html",
        {"groups": sorted(groups.items(), key=lambda item: (item[0].order, item[0].pk))},
    )


@public_view
def project_map(request):
    from django.conf import settings

    return render(
        request,
        "portfolio/map.html",
        {
            "points": selectors.map_points(),
            "map_tile_url": getattr(settings, "MAP_TILE_URL", ""),
            "map_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
        },
    )


@public_view
def project_detail(request, pk: int):
    project = selectors.project_get(pk=pk, public=True)
    if project is None:
        raise Http404
    ideas = selectors.project_ideas(project=project, public=True)
    workshops = list(dict.fromkeys(i.workshop for i in ideas if i.workshop_id))
    profile = selectors.project_profile(project)
    return render(
        request,
        "portfolio/project_detail.html",
        {
            "project": project,
            "ideas": ideas,
            "workshops": workshops,
            "profile": profile,
            "finance": selectors.project_finance(project) if project.costs_public else None,
        },
    )
