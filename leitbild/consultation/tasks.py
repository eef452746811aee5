"""Background tasks: the printable letters of a batch of participation codes, and mixing
the ballot box (see ``services.ballot_box_mix``)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from leitbild.core.progress import progress_run
from leitbild.participation.models import Phase

from .models import CodeBatch
from .services import ballot_box_mix, ballot_boxes_flush, codes_letters_build


@task()
def letters_task(progress_id: str, batch_id: int) -> int:
    with progress_run(progress_id) as reporter:
        batch = CodeBatch.objects.get(pk=batch_id)
        reporter.update(done=0, total=batch.count)
        codes_letters_build(batch=batch, report=reporter.update)
        reporter.update(done=batch.count, total=batch.count)
        reporter.finish(
            result_url=reverse("consultation:staff_code_download", args=[batch.pk, "pdf"]),
            result_label=_("Briefe als PDF herunterladen"),
        )
    return batch.count


@task()
def ballot_box_mix_task(kind: str, pk: int) -> int:
    """Enqueued after a cast once k entries wait; does nothing if another run was faster."""
    return ballot_box_mix(kind=kind, pk=pk)


@task()
def ballot_boxes_flush_task(phase_id: int) -> int:
    """Enqueued for the end of a phase (again whenever the end moves): mix the rest."""
    phase = Phase.objects.filter(pk=phase_id).first()
    return ballot_boxes_flush(phase=phase) if phase is not None else 0
