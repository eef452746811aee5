"""Writes of the monitoring reports: generating the yearly implementation report and a
project's status report (PDF and DOCX through ``documents.services.document_store``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from leitbild.core.audit import audit_record
from leitbild.documents.models import DocumentKind, DocumentText, GeneratedDocument
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


MAX_TEXT = 20_000


@transaction.atomic
def yearly_report_texts_save(*, actor, year: int, vorwort: str, ausblick: str) -> None:
    """The Redaktion's foreword and outlook of ``year``'s Umsetzungsbericht; they appear in
    the files generated from then on. Audited."""
    if year not in reports.report_years():
        raise ValidationError(_("Für dieses Jahr gibt es keinen Umsetzungsbericht."))
    values = {"vorwort": vorwort.strip(), "ausblick": ausblick.strip()}
    errors = {
        key: [_("Höchstens %(n)d Zeichen.") % {"n": MAX_TEXT}]
        for key, text in values.items()
        if len(text) > MAX_TEXT
    }
    if errors:
        raise ValidationError(errors)
    before = reports.report_texts(year)
    if before == values:
        return
    for key, text in values.items():
        DocumentText.objects.update_or_create(
            scope=reports.texts_scope(year), key=key, defaults={"text": text}
        )
    audit_record(
        actor=actor,
        action=ProgressAction.REPORT_TEXTS,
        object_type="monitoring.report",
        object_id=str(year),
        object_repr=f"Umsetzungsbericht {year}",
        before=before,
        after=values,
    )


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
