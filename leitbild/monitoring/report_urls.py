"""URLs of the monitoring reports, included under /umsetzung/ (namespace ``monitoring``)."""

from django.urls import path

from . import report_views

app_name = "monitoring"

staff = "verwaltung/berichte"

urlpatterns = [
    path(f"{staff}/", report_views.staff_index, name="report_staff_index"),
    path(
        f"{staff}/umsetzungsbericht/",
        report_views.staff_yearly_generate,
        name="report_staff_yearly_generate",
    ),
    path(
        f"{staff}/umsetzungsbericht/<id:year>/texte/",
        report_views.staff_yearly_texts,
        name="report_staff_yearly_texts",
    ),
    path(
        f"{staff}/projekte/<id:pk>/",
        report_views.staff_project_generate,
        name="report_staff_project_generate",
    ),
    path(
        f"{staff}/projekte/<id:pk>/sachstandsbericht.<slug:fmt>",
        report_views.project_download,
        name="report_project_download",
    ),
    path(
        "monitor/berichte/umsetzungsbericht-<id:year>.<slug:fmt>",
        report_views.yearly_download,
        name="report_yearly_download",
    ),
]
