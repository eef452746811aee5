"""Background tasks of the council office: generating a council paper, the OParl sync."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from leitbild.core.progress import progress_run
from leitbild.strategy.models import StrategyVersion

from . import services
from .models import OParlSource
from .oparl import sync
from .oparl.client import OParlError


@task()
def council_paper_task(progress_id: str, version_id: int) -> int:
    with progress_run(progress_id) as reporter:
        version = StrategyVersion.objects.select_related("strategy").get(pk=version_id)

        def report(done: int) -> None:
            reporter.update(done=done, total=3)

        services.paper_generate(actor=reporter.progress.started_by, version=version, report=report)
        reporter.update(done=3, total=3)
        reporter.finish(
            result_url=reverse("council:paper", args=[version.strategy.slug, version.number]),
            result_label=_("Beschlussvorlage ansehen"),
        )
    return version_id


@task()
def oparl_sync_task(progress_id: str, source_id: int, full: bool = False) -> int:
    """A sync started by the Ratsbüro, with its progress on the page."""
    with progress_run(progress_id) as reporter:
        source = OParlSource.objects.get(pk=source_id)

        def report(done: int, total: int | None, message: str) -> None:
            reporter.update(done=done, total=total, message=message)

        sync.source_sync(source=source, full=full, report=report)
        reporter.finish(
            result_url=reverse("council:oparl"),
            result_label=_("Zum Abgleich mit dem Ratsinformationssystem"),
            message=_("Abgeglichen: {pages} Seiten, {count} Objekte geschrieben.").format(
                pages=source.pages, count=source.written
            ),
        )
    return source.written


@task()
def oparl_scheduled_sync(source_id: int, token: str) -> str:
    """The periodic sync: runs only if it is still the scheduled one, then schedules the
    next; a failure is on the staff page and in the log, and the next run tries again."""
    source = OParlSource.objects.filter(pk=source_id).first()
    if source is None or source.next_run_at is None or source.next_run_at.isoformat() != token:
        return "superseded"
    try:
        sync.source_sync(source=source)
    except (OParlError, sync.SyncRunning) as exc:
        outcome = str(exc)
    else:
        outcome = "ok"
    finally:
        services.oparl_schedule(source)
    return outcome
