import logging
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskContext, task
from django_tasks_db.backend import DatabaseBackend

from . import mail
from .backup import backup_create
from .progress import progress_run

log = logging.getLogger(__name__)


@task()
def backup_task(progress_id: str) -> str:
    with progress_run(progress_id) as reporter:
        name = f"leitbild-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        target = settings.DATA_DIR / "backups" / name
        backup_create(
            target=target, report=lambda done, total: reporter.update(done=done, total=total)
        )
        reporter.finish(
            result_url=reverse("core:backup_download", args=[name]),
            result_label=f"{name} herunterladen",
        )
    return name


@task(takes_context=True)
def send_email(
    context: TaskContext,
    *,
    to: list[str],
    subject: str,
    body: str,
    reply_to: list[str] | None = None,
    attempt: int = 1,
) -> dict:
    """Deliver one e-mail queued by ``core.mail.email_enqueue``; on a network or SMTP error
    queue the next attempt after a pause, and fail (FAILED, seen on /healthz) after the last."""
    backend = send_email.get_backend()
    stored = isinstance(backend, DatabaseBackend)  # it keeps the arguments: scrub them
    result_id = context.task_result.id

    def scrub(error: str = "") -> None:
        if stored:
            mail.task_scrub(
                result_id=result_id, to=to, subject=subject, attempt=attempt, error=error
            )

    try:
        mail.email_deliver(to=to, subject=subject, body=body, reply_to=reply_to or ())
    except OSError as exc:  # smtplib.SMTPException is an OSError, so are refused connections
        error = mail.describe(exc)
        delay = None if mail.is_permanent(exc) else mail.retry_delay(attempt)
        if delay is None or not backend.supports_defer:
            scrub(error)
            log.error("e-mail not sent", extra={"attempt": attempt, "error": error})
            raise mail.EmailNotSent(f"{error} (attempt {attempt})") from None
        retry_at = timezone.now() + timedelta(seconds=delay)
        send_email.using(run_after=retry_at).enqueue(
            to=to, subject=subject, body=body, reply_to=reply_to, attempt=attempt + 1
        )
        scrub(error)
        log.warning(
            "e-mail not sent, will try again",
            extra={"attempt": attempt, "error": error, "retry_at": retry_at.isoformat()},
        )
        return {"sent": False, "attempt": attempt, "error": error, "retry_at": retry_at.isoformat()}
    except Exception as exc:  # e.g. a header the backend refuses: trying again cannot help
        error = exc.__class__.__name__
        scrub(error)
        log.exception("e-mail not sent", extra={"attempt": attempt, "error": error})
        raise mail.EmailNotSent(f"{error} (attempt {attempt})") from None
    scrub()
    log.info("e-mail sent", extra={"attempt": attempt})
    return {"sent": True, "attempt": attempt}
