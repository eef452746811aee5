"""Pages of project progress: the public Umsetzungsmonitor under /umsetzung/monitor/ and the
staff pages under /umsetzung/verwaltung/fortschritt/ (url names ``progress_staff_…``).

Who reports progress: the implementation concept has no notion of a person belonging to an
organisational unit, so the lead unit's staff are, for now, the Strategie-Redaktion
(``Role.EDITOR``), who edit the projects themselves.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
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
from .reports import yearly_files
from .subscription_forms import SubscriptionForm
from .subscription_services import UNCONFIRMED_DAYS

reporter_view = staff_view(Role.EDITOR)


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
    return render(
        request,
        "monitoring/progress/staff/index.html",
        {
            "late": selectors.late_milestones(),
            "stale": selectors.stale_projects(),
            "projects": selectors.monitored_projects(),
            "stale_days": selectors.STALE_DAYS,
        },
    )


@reporter_view
def staff_project(request, pk: int):
    progress = selectors.project_progress(pk=pk, public=False)
    if progress is None:
        raise Http404
    return render(
        request,
        "monitoring/progress/staff/project.html",
        {"progress": progress, "project": progress.project, "today": timezone.localdate()},
    )


@reporter_view
def staff_milestones(request, pk: int):
    project = get_object_or_404(Project, pk=pk)
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
    project = get_object_or_404(Project, pk=pk)
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


def _spending_years(project: Project) -> list[int]:
    first, last = year_range(project)
    if last - first > 20:  # no duration: the years of the cost plan and of the spending
        years = {c.year for c in project.costs.all()} | {s.year for s in project.spendings.all()}
        return sorted(years | {timezone.localdate().year})
    return list(range(first, last + 1))


@reporter_view
def staff_spending(request, pk: int):
    project = get_object_or_404(Project.objects.prefetch_related("costs", "spendings"), pk=pk)
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


@reporter_view
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
