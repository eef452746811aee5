"""One way to send e-mail: ``email_enqueue`` where it is decided, ``send_email`` in the worker.

No request opens an SMTP connection: a slow or broken mail server must not turn a visitor's
click into an error page. ``email_enqueue`` queues the task when the surrounding transaction
commits (nothing is sent for a write that was rolled back); the task worker delivers it and
tries again with growing pauses (``LEITBILD_EMAIL_RETRY_DELAYS``) before it gives up. A task
that gave up is FAILED, counted by /healthz and listed for Administration.

Personal data in the queue: the recipient and the body (which may carry a confirmation link)
are arguments of the task until it is done. Then ``task_scrub`` replaces them with the masked
domain and the subject, which is all Administration needs to see what failed.
"""

import logging
import smtplib
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

log = logging.getLogger(__name__)

TASK_PATH = "leitbild.core.tasks.send_email"


class EmailNotSent(Exception):
    """Raised by the last attempt. Its text names the error, never an address: it is stored
    with the failed task and written to the log."""


def email_enqueue(
    *, to: str | Sequence[str], subject: str, body: str, reply_to: Sequence[str] = ()
) -> None:
    """Queue an e-mail for the task worker once the current transaction commits."""
    from .tasks import send_email

    kwargs: dict[str, Any] = {
        "to": [to.strip()] if isinstance(to, str) else [address.strip() for address in to],
        "subject": str(subject),
        "body": str(body),
        "reply_to": list(reply_to),
    }
    transaction.on_commit(lambda: send_email.enqueue(**kwargs))


def email_deliver(
    *, to: Sequence[str], subject: str, body: str, reply_to: Sequence[str] = ()
) -> None:
    """Hand one e-mail to the configured backend. Only ``send_email`` calls this."""
    EmailMessage(subject=subject, body=body, to=list(to), reply_to=list(reply_to)).send()


def retry_delay(attempt: int) -> int | None:
    """Seconds to wait before the attempt after ``attempt``, or None when it was the last."""
    delays = settings.LEITBILD_EMAIL_RETRY_DELAYS
    return delays[attempt - 1] if attempt <= len(delays) else None


def is_permanent(exc: OSError) -> bool:
    """A 5xx answer (unknown recipient, refused sender) will not change by trying again."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in exc.recipients.values())
    code = getattr(exc, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def describe(exc: OSError) -> str:
    """The error without the server's text, which may repeat the addresses."""
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code = ",".join(sorted({str(c) for c, _m in exc.recipients.values()}))
    return f"{exc.__class__.__name__} {code}" if code else exc.__class__.__name__


def mask(address: str) -> str:
    """``…@example.org``: enough to see which provider refuses, not who was written to."""
    return "…@" + address.rpartition("@")[2] if "@" in address else "…"


def task_scrub(
    *, result_id: str, to: Sequence[str], subject: str, attempt: int, error: str = ""
) -> None:
    """Remove address and body from the stored task, keeping what Administration is shown.

    The worker saves only status, result and traceback after the task returns, so the
    replaced arguments stay replaced."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=result_id, task_path=TASK_PATH).update(
        args_kwargs={
            "args": [],
            "kwargs": {
                "to": [mask(a) for a in to],
                "subject": subject,
                "attempt": attempt,
                "error": error,
            },
        }
    )
