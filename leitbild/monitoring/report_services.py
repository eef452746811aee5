"""Writes of the monitoring reports: generating the yearly implementation report and a
project's status report (PDF and DOCX through ``documents.services.document_store``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from leitbild.core.audit import audit_record
from leitbild.documents.models import DocumentKind, GeneratedDocument
from leitbild.documents.services import document_store
from leitbild.portfolio.models import Project

from . import reports
from .progress_audit import ProgressAction


def yearly_report_generate(*, actor, year: int, report=None) -> list[GeneratedDocument]:
    """Builds the Umsetzungsbericht of ``year`` and stores its files (replacing earlier ones)."""
    if report:
        report(0)
    rows = document_store(
        actor=actor,
        subject=reports.yearly_subject(year),
        kind=DocumentKind.MONITORING_REPORT,
        document=reports.yearly_report(year),
        basename=f"umsetzungsbericht-{year}",
        report=report,
    )
    audit_record(
        actor=actor,
        action=ProgressAction.REPORT_GENERATE,
        object_type="monitoring.report",
        object_id=str(year),
        object_repr=f"Umsetzungsbericht {year}",
        after={"year": year, **{row.format: row.sha256 for row in rows}},
    )
    return rows


def project_report_generate(*, actor, project: Project, report=None) -> list[GeneratedDocument]:
    """Builds the Sachstandsbericht of ``project`` and stores its files."""
    if report:
        report(0)
    found = reports.report_project(project.pk)
    assert found is not None
    rows = document_store(
        actor=actor,
        subject=reports.project_subject(project),
        kind=DocumentKind.PROJECT_REPORT,
        document=reports.project_report(found),
        basename=f"sachstandsbericht-projekt-{project.pk}",
        report=report,
    )
    audit_record(
        actor=actor,
        action=ProgressAction.PROJECT_REPORT_GENERATE,
        obj=project,
        after={row.format: row.sha256 for row in rows},
    )
    return rows


def yearly_report_generate_start(*, actor, year: int):
    from leitbild.core.progress import progress_start

    from .report_tasks import yearly_report_task

    return progress_start(
        label=_("Umsetzungsbericht %(year)d erzeugen") % {"year": year},
        started_by=actor,
        task=yearly_report_task,
        args=(year,),
    )


def project_report_generate_start(*, actor, project: Project):
    from leitbild.core.progress import progress_start

    from .report_tasks import project_report_task

    return progress_start(
        label=_("Sachstandsbericht erzeugen: %(title)s") % {"title": project.title},
        started_by=actor,
        task=project_report_task,
        args=(project.pk,),
    )
