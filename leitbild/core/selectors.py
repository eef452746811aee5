from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .inbox import InboxEntry, Section
from .models import AuditEntry, Page, SiteSetting, TaskProgress
from .roles import Role, has_role

# The legally required pages every German public website links from its footer.
FOOTER_PAGES = [
    ("impressum", _("Impressum")),
    ("datenschutz", _("Datenschutzerklärung")),
    ("barrierefreiheit", _("Erklärung zur Barrierefreiheit")),
]
DEMO_CACHE_KEY = "leitbild:site:demo"


def site_is_demo() -> bool:
    value = cache.get(DEMO_CACHE_KEY)
    if value is None:
        value = SiteSetting.objects.filter(key="demo", value=True).exists()
        cache.set(DEMO_CACHE_KEY, value, 60)
    return value


LETTER_SENDER_FIELDS = ("department", "address", "email", "phone")


def site_letter_sender() -> dict[str, str]:
    """Department, address, e-mail and phone that sign printed letters: each from its setting
    ``LEITBILD_LETTER_*`` if set there, else from the site setting ``letter_sender``."""
    row = SiteSetting.objects.filter(key="letter_sender").first()
    stored = row.value if row is not None and isinstance(row.value, dict) else {}
    return {
        field: getattr(settings, f"LEITBILD_LETTER_{field.upper()}", "")
        or str(stored.get(field) or "")
        for field in LETTER_SENDER_FIELDS
    }


def page_get(*, slug: str) -> Page | None:
    return Page.objects.filter(slug=slug).first()


@dataclass(frozen=True, slots=True)
class PageText:
    """What a reader sees of a page: its text in ``language`` (``only_german`` when the page
    has no text in the reader's language, so the German one is shown with a note)."""

    title: str
    body: str
    language: str
    only_german: bool


def page_text(*, page: Page, language: str) -> PageText:
    if language.split("-")[0] == "en":
        if page.body_en.strip():
            return PageText(page.title_en or page.title, page.body_en, "en", False)
        return PageText(page.title, page.body, "de", True)
    return PageText(page.title, page.body, "de", False)


def audit_list(
    *, object_type: str = "", action: str = "", actor_email: str = ""
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all()
    if object_type:
        qs = qs.filter(object_type=object_type)
    if action:
        qs = qs.filter(action=action)
    if actor_email:
        qs = qs.filter(actor_label__icontains=actor_email)
    return qs


def audit_action_choices() -> list[tuple[str, str]]:
    """Every registered audit action as (value, label in the active language), by label."""
    from .audit import registered_actions

    labels = {value: str(label) for value, label in registered_actions().items()}
    return sorted(labels.items(), key=lambda item: item[1].casefold())


def progress_visible_to(*, user) -> QuerySet[TaskProgress]:
    from leitbild.core.roles import Role

    if Role.ADMIN in user.roles:
        return TaskProgress.objects.all()
    return TaskProgress.objects.filter(started_by=user)


# --- E-mails the task worker gave up on (see core.mail) --------------------------------------
def _failed_emails():
    from django_tasks_db.models import DBTaskResult

    from .mail import TASK_PATH

    return DBTaskResult.objects.filter(task_path=TASK_PATH, status="FAILED")


def email_failure_count() -> int:
    return _failed_emails().count()


def email_failures(*, limit: int = 100) -> list[dict]:
    """Newest first: when, subject, masked recipients and the error of each e-mail that was
    not sent. The stored task holds no address or body any more (``core.mail.task_scrub``)."""
    rows = _failed_emails().order_by("-finished_at").values_list("finished_at", "args_kwargs")
    failures = []
    for finished_at, args_kwargs in rows[:limit]:
        kwargs = (args_kwargs or {}).get("kwargs", {})
        failures.append(
            {
                "finished_at": finished_at,
                "subject": str(kwargs.get("subject", "")),
                "to": ", ".join(kwargs.get("to", [])),
                "attempts": kwargs.get("attempt", 1),
                "error": str(kwargs.get("error", "")),
            }
        )
    return failures


# --- The staff inbox: core's own entries (core.inbox) -------------------------------------------
FAILED_TASKS_SHOWN_DAYS = 7


def inbox_tasks(user) -> list:
    """Background tasks waiting or running, and those that failed in the last week: the
    user's own (Administration sees everyone's). One query."""
    since = timezone.now() - timedelta(days=FAILED_TASKS_SHOWN_DAYS)
    active = [TaskProgress.Status.WAITING, TaskProgress.Status.RUNNING]
    tasks = TaskProgress.objects.filter(
        Q(status__in=active) | Q(status=TaskProgress.Status.FAILED, updated_at__gte=since)
    )
    if not has_role(user, Role.ADMIN):
        tasks = tasks.filter(started_by=user)
    entries = []
    for task in tasks.order_by("-created_at")[:20]:
        url = reverse("core:progress_detail", kwargs={"pk": task.pk})
        if task.status == TaskProgress.Status.FAILED:
            entries.append(InboxEntry(Section.FAILED, task.label, url, detail=task.message))
        else:
            entries.append(
                InboxEntry(
                    Section.RUNS,
                    task.label,
                    url,
                    detail=str(task.get_status_display()),
                    done=task.done,
                    total=task.total or None,
                )
            )
    return entries
