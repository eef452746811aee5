"""Background tasks of the idea call: e-mails to submitters.

Old addresses are deleted by the ``participation_purge`` management command.

The e-mail address is read from the database when the task runs, never passed as an argument
of these tasks. They hand the e-mail to ``core.mail.email_enqueue``, whose task delivers it
(with retries) and then removes address and body from the queue.
"""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from leitbild.core.mail import email_enqueue

from .models import IdeaStatusChange, Submitter

log = logging.getLogger(__name__)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


@task()
def send_submitter_confirmation(submitter_id: int) -> bool:
    """The double opt-in e-mail: feedback starts only after the link was used."""
    submitter = Submitter.objects.filter(pk=submitter_id, confirmed_at__isnull=True).first()
    if submitter is None:
        return False
    idea = submitter.ideas.select_related("process").first()
    context = {
        "idea": idea,
        "city": settings.LEITBILD_CITY_NAME,
        "confirm_url": _absolute(reverse("participation:contact_confirm", args=[submitter.token])),
    }
    email_enqueue(
        to=submitter.email,
        subject=render_to_string("participation/email/confirm_subject.txt", context).strip(),
        body=render_to_string("participation/email/confirm.txt", context),
    )
    log.info("confirmation queued", extra={"submitter": submitter.pk})
    return True


@task()
def notify_status_change(change_id: int) -> bool:
    """Tell the submitter (if they confirmed their address) what became of their idea."""
    change = (
        IdeaStatusChange.objects.select_related(
            "idea__submitter", "idea__process", "idea__merged_into"
        )
        .filter(pk=change_id)
        .first()
    )
    if change is None or change.notified_at is not None:
        return False
    idea = change.idea
    submitter = idea.submitter
    if submitter is None or submitter.confirmed_at is None:
        return False
    target = idea.merged_into or idea
    context = {
        "idea": idea,
        "change": change,
        "status_label": idea.get_status_display() if not idea.merged_into_id else "",
        "city": settings.LEITBILD_CITY_NAME,
        "idea_url": _absolute(
            reverse("participation:idea_detail", args=[target.process.slug, target.pk])
        ),
    }
    email_enqueue(
        to=submitter.email,
        subject=render_to_string("participation/email/status_subject.txt", context).strip(),
        body=render_to_string("participation/email/status.txt", context),
    )
    IdeaStatusChange.objects.filter(pk=change.pk).update(notified_at=timezone.now())
    log.info("status change notified", extra={"idea": idea.pk, "change": change.pk})
    return True
