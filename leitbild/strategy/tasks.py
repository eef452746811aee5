"""Background tasks of the strategy: generating the strategy document of a version."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from leitbild.core.progress import progress_run

from . import services
from .models import StrategyVersion


@task()
def strategy_document_task(progress_id: str, version_id: int) -> int:
    with progress_run(progress_id) as reporter:
        version = StrategyVersion.objects.select_related("strategy").get(pk=version_id)
        reporter.update(done=0, total=3, message=_("Inhalt wird zusammengestellt"))
        messages = {1: _("PDF wird gesetzt"), 2: _("DOCX wird geschrieben")}

        def report(done: int) -> None:
            reporter.update(done=done, total=3, message=messages.get(done, ""))

        services.document_generate(
            actor=reporter.progress.started_by, version=version, report=report
        )
        reporter.update(done=3, total=3, message=_("Fertig"))
        reporter.finish(
            result_url=reverse(
                "strategy:staff_documents", args=[version.strategy.slug, version.number]
            ),
            result_label=_("Dokumente ansehen"),
        )
    return version_id
