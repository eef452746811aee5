from django.db import transaction

from .audit import audit_record, snapshot
from .models import Page, SiteSetting
from .selectors import DEMO_CACHE_KEY


@transaction.atomic
def page_update(
    *, actor, page: Page, title: str, body: str, title_en: str = "", body_en: str = ""
) -> Page:
    """German title and text, and the English ones (empty: the page exists in German only)."""
    before = snapshot(page)
    page.title = title
    page.body = body
    page.title_en = title_en
    page.body_en = body_en
    page.full_clean()
    page.save()
    audit_record(actor=actor, action="page.update", obj=page, before=before, after=snapshot(page))
    return page


def site_mark_demo(*, is_demo: bool) -> None:
    from django.core.cache import cache

    SiteSetting.objects.update_or_create(key="demo", defaults={"value": is_demo})
    cache.delete(DEMO_CACHE_KEY)


@transaction.atomic
def email_failures_dismiss(*, actor) -> int:
    """Administration has seen the e-mails that were not sent (and fixed the cause): remove
    them, so that /healthz and the staff home are no longer degraded by them."""
    from django_tasks_db.models import DBTaskResult

    from .mail import TASK_PATH

    count, _detail = DBTaskResult.objects.filter(task_path=TASK_PATH, status="FAILED").delete()
    if count:
        audit_record(
            actor=actor,
            action="email.failures_dismiss",
            object_type="django_tasks_db.DBTaskResult",
            object_repr=f"{count} nicht gesendete E-Mails",
            after={"count": count},
        )
    return count
