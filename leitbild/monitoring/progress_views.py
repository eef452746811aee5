"""Pages of project progress: the public Umsetzungsmonitor under /umsetzung/monitor/ and the
staff pages under /umsetzung/verwaltung/fortschritt/ (url names ``progress_staff_…``).

Who reports progress: the lead unit's project team (role Projektteam, members of the unit in
``portfolio.OrgUnit.members``) for the projects their unit leads, and the Strategie-Redaktion
(``Role.EDITOR``) for every project (``progress_selectors.may_report``). The CSV import covers
any project and stays with the Strategie-Redaktion.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from leitbild.core.forms import add_service_errors
from leitbild.core.permissions import public_view, staff_view
from leitbild.core.roles import Role
from leitbild.portfolio.models import Project
from leitbild.portfolio.services import year_range

from . import progress_charts as charts
from . import progress_forms as forms
from . import progress_selectors as selectors
from . import progress_services as services
from .progress_models import ProgressUpdate
from .reports import yearly_files
from .subscription_forms import SubscriptionForm
from .subscription_services import UNCONFIRMED_DAYS

reporter_view = staff_view(Role.EDITOR, Role.PROJECT_TEAM)
editor_view = staff_view(Role.EDITOR)


def _reportable(request, pk: int, queryset=None) -> Project:
    """The project, if the user may report on it (404 if there is none, else 403)."""
    project = get_object_or_404(queryset if queryset is not None else Project.objects, pk=pk)
    if not selectors.may_report(request.user, project):
        raise PermissionDenied
    return project


def _staff_project_url(project: Project, anchor: str = "") -> str:
    url = reverse("monitoring:progress_staff_project", args=[project.pk])
    return f"{url}#{anchor}" if anchor else url


# --- Public ---------------------------------------------------------------------------------


@public_view
def overview(request):
    overview = selectors.monitor_overview()
    return render(
        request,
        "monitoring/progress/overview.html",
        {
            "overview": overview,
            "stage_chart": charts.stage_chart(overview),
            "money_chart": charts.money_chart(overview),
            "yearly_reports": yearly_files(),
        },
    )


@public_view
def project(request, pk: int):
    progress = selectors.project_progress(pk=pk)
    if progress is None:
        raise Http404
    return render(
        request,
        "monitoring/progress/project.html",
        {
            "progress": progress,
            "project": progress.project,
            "today": timezone.localdate(),
            "subscription_form": SubscriptionForm(),
            "unconfirmed_days": UNCONFIRMED_DAYS,
        },
    )


# --- Staff ----------------------------------------------------------------------------------


@reporter_view
def staff_index(request):
    units = selectors.report_scope(request.user)
    return render(
        request,
        "monitoring/progress/staff/index.html",
        {
            "late": selectors.late_milestones(units=units),
            "stale": selectors.stale_projects(units=units),
            "projects": selectors.monitored_projects(units=units),
            "stale_days": selectors.STALE_DAYS,
            "team_only": units is not None,
        },
    )


@reporter_view
def staff_project(request, pk: int):
    progress = selectors.project_progress(pk=pk, public=False)
    if progress is None:
        raise Http404
    if not selectors.may_report(request.user, progress.project):
        raise PermissionDenied
    return render(
        request,
        "monitoring/progress/staff/project.html",
        {
            "progress": progress,
            "project": progress.project,
            "today": timezone.localdate(),
            "team_only": selectors.report_scope(request.user) is not None,
        },
    )


@reporter_view
def staff_milestones(request, pk: int):
    project = _reportable(request, pk)
    data = request.POST if request.method == "POST" else None
    page = forms.MilestoneForms(data, project=project)
    if data is not None and page.is_valid():
        try:
            services.milestones_set(actor=request.user, project=project, rows=page.rows())
        except ValidationError as exc:
            page.add_service_errors(exc)
        else:
            messages.success(request, _("Meilensteine gespeichert."))
            return redirect(_staff_project_url(project, "meilensteine"))
    return render(
        request,
        "monitoring/progress/staff/milestones.html",
        {"project": project, "formset": page.formset, "has_errors": page.has_errors},
    )


@reporter_view
def staff_update_create(request, pk: int):
    project = _reportable(request, pk)
    form = forms.ProgressUpdateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_update_create(
                actor=request.user, project=project, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Fortschrittsbericht gespeichert."))
            return redirect(_staff_project_url(project, "berichte"))
    return render(
        request, "monitoring/progress/staff/update_form.html", {"project": project, "form": form}
    )


def _reportable_update(request, pk: int) -> ProgressUpdate:
    update = get_object_or_404(ProgressUpdate.objects.select_related("project"), pk=pk)
    if not selectors.may_report(request.user, update.project):
        raise PermissionDenied
    return update


@reporter_view
def staff_update_edit(request, pk: int):
    update = _reportable_update(request, pk)
    form = forms.ProgressUpdateEditForm(request.POST or None, request.FILES or None, update=update)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_update_change(actor=request.user, update=update, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Fortschrittsbericht geändert."))
            return redirect(_staff_project_url(update.project, f"bericht-{update.pk}"))
    return render(
        request,
        "monitoring/progress/staff/update_form.html",
        {"project": update.project, "form": form, "update": update},
    )


@reporter_view
def staff_update_delete(request, pk: int):
    update = _reportable_update(request, pk)
    if request.method == "POST":
        services.progress_update_delete(actor=request.user, update=update)
        messages.success(request, _("Fortschrittsbericht gelöscht."))
        return redirect(_staff_project_url(update.project, "berichte"))
    return render(
        request,
        "monitoring/progress/staff/update_delete.html",
        {"project": update.project, "update": update},
    )


def _spending_years(project: Project) -> list[int]:
    first, last = year_range(project)
    if last - first > 20:  # no duration: the years of the cost plan and of the spending
        years = {c.year for c in project.costs.all()} | {s.year for s in project.spendings.all()}
        return sorted(years | {timezone.localdate().year})
    return list(range(first, last + 1))


@reporter_view
def staff_spending(request, pk: int):
    project = _reportable(request, pk, Project.objects.prefetch_related("costs", "spendings"))
    years = _spending_years(project)
    initial = {f"year_{s.year}": s.amount for s in project.spendings.all()}
    form = forms.SpendingForm(request.POST or None, years=years, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.spending_set(actor=request.user, project=project, years=form.year_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Ausgaben gespeichert."))
            return redirect(_staff_project_url(project, "ausgaben"))
    planned = {y.year: y.planned for y in selectors.year_money(project)}
    rows = [(form[f"year_{year}"], planned.get(year)) for year in years]
    return render(
        request,
        "monitoring/progress/staff/spending.html",
        {"project": project, "form": form, "rows": rows},
    )


@editor_view
def staff_import(request):
    form = forms.ProgressImportForm(request.POST or None, request.FILES or None)
    problems: list = []
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            count = services.progress_import(actor=request.user, text=text)
        except services.ProgressImportError as exc:
            problems = exc.problems
            form = forms.ProgressImportForm({"text": text})  # the file's text, to correct
            form.is_valid()
            form.add_error("text", _("Nichts wurde importiert. Bitte beheben Sie die Probleme."))
        else:
            messages.success(request, _("%(n)d Zeilen importiert.") % {"n": count})
            return redirect("monitoring:progress_staff_index")
    return render(
        request,
        "monitoring/progress/staff/import.html",
        {
            "form": form,
            "problems": problems,
            "columns": ";".join(services.IMPORT_COLUMNS),
            "milestone_columns": ";".join(services.MILESTONE_COLUMNS),
        },
    )
