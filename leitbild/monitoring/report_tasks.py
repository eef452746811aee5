"""Background tasks of the monitoring reports (progress on the page, ``core.progress``)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from leitbild.core.progress import progress_run
from leitbild.portfolio.models import Project

from . import report_services as services

STEPS = 3


def _reporter_callback(reporter):
    messages = {1: _("PDF wird gesetzt"), 2: _("DOCX wird geschrieben")}

    def report(done: int) -> None:
        reporter.update(done=done, total=STEPS, message=messages.get(done, ""))

    return report


@task()
def yearly_report_task(progress_id: str, year: int) -> int:
    with progress_run(progress_id) as reporter:
        reporter.update(done=0, total=STEPS, message=_("Inhalt wird zusammengestellt"))
        services.yearly_report_generate(
            actor=reporter.progress.started_by, year=year, report=_reporter_callback(reporter)
        )
        reporter.update(done=STEPS, total=STEPS, message=_("Fertig"))
        reporter.finish(
            result_url=reverse("monitoring:report_staff_index"),
            result_label=_("Berichte ansehen"),
        )
    return year


@task()
def project_report_task(progress_id: str, project_id: int) -> int:
    with progress_run(progress_id) as reporter:
        project = Project.objects.get(pk=project_id)
        reporter.update(done=0, total=STEPS, message=_("Inhalt wird zusammengestellt"))
        services.project_report_generate(
            actor=reporter.progress.started_by,
            project=project,
            report=_reporter_callback(reporter),
        )
        reporter.update(done=STEPS, total=STEPS, message=_("Fertig"))
        reporter.finish(
            result_url=reverse("monitoring:report_staff_index"),
            result_label=_("Berichte ansehen"),
        )
    return project_id
