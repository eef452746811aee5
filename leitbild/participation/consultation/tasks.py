"""Background tasks: the printable letters of a batch of participation codes."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from leitbild.core.progress import progress_run

from .models import CodeBatch
from .services import codes_letters_build


@task()
def letters_task(progress_id: str, batch_id: int) -> int:
    with progress_run(progress_id) as reporter:
        batch = CodeBatch.objects.get(pk=batch_id)
        reporter.update(done=0, total=batch.count)
        codes_letters_build(batch=batch, report=reporter.update)
        reporter.update(done=batch.count, total=batch.count)
        reporter.finish(result_url=reverse("consultation:staff_code_download",
                                           args=[batch.pk, "pdf"]),
                        result_label=_("Briefe als PDF herunterladen"))
    return batch.count
