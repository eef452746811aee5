"""Background tasks of the measurement sources: a run started by staff, and the schedule."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from leitbild.core.progress import progress_run

from . import feed_services
from .models import MeasurementFeed


class FeedRunFailed(Exception):
    """The run failed; its reason is recorded on the source and shown on the progress page."""


@task()
def feed_run_task(progress_id: str, feed_id: int) -> int:
    """ "Jetzt abrufen", with its progress on the page."""
    with progress_run(progress_id) as reporter:
        feed = MeasurementFeed.objects.get(pk=feed_id)
        reporter.update(done=0, total=1, message=_("Die Adresse wird abgerufen."))
        result = feed_services.feed_run(actor=reporter.progress.started_by, feed=feed)
        if not result.ok:
            raise FeedRunFailed(result.error)
        reporter.update(done=1, total=1)
        reporter.finish(
            result_url=reverse("monitoring:feed_list"),
            result_label=_("Zu den Datenquellen"),
            message=result.summary(),
        )
    return result.created + result.updated


@task()
def feed_scheduled_run(feed_id: int, token: str) -> str:
    """The periodic run: only if it is still the scheduled one and the source is enabled and
    due; then the next is scheduled. A failure is recorded on the source (staff page, inbox)
    and the next run tries again."""
    feed = MeasurementFeed.objects.filter(pk=feed_id).first()
    if feed is None or feed.next_run_at is None or feed.next_run_at.isoformat() != token:
        return "superseded"
    if not feed.enabled:
        return "disabled"
    if feed.next_run_at > timezone.now():  # a worker that ran it early: put it back
        feed_scheduled_run.using(run_after=feed.next_run_at).enqueue(feed.pk, token)
        return "not due"
    try:
        result = feed_services.feed_run(actor=None, feed=feed)
    finally:
        feed_services.feed_schedule(feed)
    return "ok" if result.ok else "failed"
