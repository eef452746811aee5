"""One progress mechanism for every long task.

A view calls ``progress_start`` with a task of the Tasks API; the task receives the progress id
as its first argument and reports through ``progress_run``. The page that started it polls
``core:progress_status`` (htmx) and shows the bar, then the result or the error.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from .models import TaskProgress

log = logging.getLogger(__name__)


def progress_start(*, label: str, started_by, task, args: tuple = (), kwargs=None) -> TaskProgress:
    progress = TaskProgress.objects.create(label=label, started_by=started_by)
    transaction.on_commit(lambda: task.enqueue(str(progress.pk), *args, **(kwargs or {})))
    return progress


class Reporter:
    def __init__(self, progress: TaskProgress):
        self.progress = progress

    def update(self, *, done: int, total: int | None = None, message: str = "") -> None:
        fields: dict[str, int | str] = {"done": done}
        if total is not None:
            fields["total"] = total
        if message:
            fields["message"] = message[:500]
        TaskProgress.objects.filter(pk=self.progress.pk).update(**fields)

    def finish(self, *, result_url: str = "", result_label: str = "", message: str = "") -> None:
        self.progress.result_url = result_url
        self.progress.result_label = result_label
        if message:
            self.progress.message = message[:500]


@contextmanager
def progress_run(progress_id: str) -> Iterator[Reporter]:
    """Marks the task running, then done, or failed with a message the user can read."""
    TaskProgress.objects.filter(pk=progress_id).update(status=TaskProgress.Status.RUNNING)
    progress = TaskProgress.objects.get(pk=progress_id)
    reporter = Reporter(progress)
    try:
        yield reporter
    except Exception as exc:
        log.exception("task failed", extra={"progress_id": progress_id})
        TaskProgress.objects.filter(pk=progress_id).update(
            status=TaskProgress.Status.FAILED,
            message=(str(exc) or exc.__class__.__name__)[:500],
        )
        raise
    TaskProgress.objects.filter(pk=progress_id).update(
        status=TaskProgress.Status.DONE,
        result_url=progress.result_url,
        result_label=progress.result_label,
        message=progress.message,
    )
