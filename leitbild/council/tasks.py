"""Background tasks of the council office: generating a council paper."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from leitbild.core.progress import progress_run
from leitbild.strategy.models import StrategyVersion

from . import services


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
