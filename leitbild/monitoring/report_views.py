"""Pages of the monitoring reports: the staff page that generates them (``Role.EDITOR``, as
the other monitoring staff pages) and the downloads. The yearly Umsetzungsbericht is public
once generated; a project's Sachstandsbericht for the funding programme is for staff only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from leitbild.core.forms import add_service_errors
from leitbild.core.permissions import public_view, staff_view
from leitbild.core.roles import Role
from leitbild.documents import selectors as documents
from leitbild.portfolio.models import Project

from . import report_services as services
from . import reports
from .report_forms import ReportTextsForm, YearForm

editor_view = staff_view(Role.EDITOR)
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _index(request, form: YearForm):
    projects = list(reports.reportable_projects())
    files = reports.project_files()
    return render(
        request,
        "monitoring/reports/staff_index.html",
        {
            "form": form,
            "yearly": reports.yearly_files(),
            "years": reports.report_years(),
            "projects": [(p, files.get(p.pk, {})) for p in projects],
        },
    )


@editor_view
def staff_index(request):
    return _index(request, YearForm(years=reports.report_years()))


@editor_view
def staff_yearly_generate(request):
    if request.method != "POST":
        return redirect("monitoring:report_staff_index")
    form = YearForm(request.POST, years=reports.report_years())
    if not form.is_valid():
        return _index(request, form)
    progress = services.yearly_report_generate_start(
        actor=request.user, year=form.cleaned_data["year"]
    )
    return redirect("core:progress_detail", pk=progress.pk)


@editor_view
def staff_yearly_texts(request, year: int):
    if year not in reports.report_years():
        raise Http404
    form = ReportTextsForm(request.POST or None, initial=reports.report_texts(year))
    if request.method == "POST" and form.is_valid():
        try:
            services.yearly_report_texts_save(actor=request.user, year=year, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Gespeichert. Erzeugen Sie den Bericht neu, damit die Dateien sie enthalten."),
            )
            return redirect("monitoring:report_staff_index")
    return render(request, "monitoring/reports/staff_texts.html", {"form": form, "year": year})


@editor_view
def staff_project_generate(request, pk: int):
    project = get_object_or_404(reports.reportable_projects(), pk=pk)
    if request.method != "POST":
        return redirect("monitoring:report_staff_index")
    progress = services.project_report_generate_start(actor=request.user, project=project)
    return redirect("core:progress_detail", pk=progress.pk)


def _download(row):
    if row is None or not documents.file_path(row).is_file():
        raise Http404
    response = FileResponse(
        documents.file_path(row).open("rb"),
        as_attachment=True,
        filename=row.filename,
        content_type=CONTENT_TYPES[row.format],
    )
    response["X-Checksum-SHA256"] = row.sha256
    return response


@public_view
def yearly_download(request, year: int, fmt: str):
    return _download(reports.yearly_files().get(year, {}).get(fmt))


@editor_view
def project_download(request, pk: int, fmt: str):
    project = get_object_or_404(Project, pk=pk)
    return _download(reports.project_files().get(project.pk, {}).get(fmt))
