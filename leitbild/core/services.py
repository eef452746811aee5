from django.db import transaction

from .audit import CoreAction, audit_record, audited_save, snapshot
from .models import Page, SiteSetting
from .selectors import DEMO_CACHE_KEY, LETTER_SENDER_FIELDS


@transaction.atomic
def page_update(
    *, actor, page: Page, title: str, body: str, title_en: str = "", body_en: str = ""
) -> Page:
    """German title and text, and the English ones (empty: the page exists in German only)."""
    before = snapshot(page)
    return audited_save(
        actor=actor,
        obj=page,
        action=CoreAction.PAGE_UPDATE,
        before=before,
        values={"title": title, "body": body, "title_en": title_en, "body_en": body_en},
    )


def site_mark_demo(*, is_demo: bool) -> None:
    from django.core.cache import cache

    SiteSetting.objects.update_or_create(key="demo", defaults={"value": is_demo})
    cache.delete(DEMO_CACHE_KEY)


@transaction.atomic
def site_letter_sender_set(
    *, actor, department: str = "", address: str = "", email: str = "", phone: str = ""
) -> dict[str, str]:
    """Who signs the printed letters (see ``selectors.site_letter_sender``)."""
    values = dict(zip(LETTER_SENDER_FIELDS, (department, address, email, phone), strict=True))
    values = {field: " ".join(value.split())[:200] for field, value in values.items()}
    row = SiteSetting.objects.filter(key="letter_sender").first()
    before = row.value if row is not None else None
    if before == values:
        return values
    SiteSetting.objects.update_or_create(key="letter_sender", defaults={"value": values})
    audit_record(
        actor=actor,
        action=CoreAction.LETTER_SENDER_UPDATE,
        object_type="core.SiteSetting",
        object_id="letter_sender",
        object_repr="letter_sender",
        before=before,
        after=values,
    )
    return values


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
            action=CoreAction.EMAIL_FAILURES_DISMISS,
            object_type="django_tasks_db.DBTaskResult",
            object_repr=f"{count} nicht gesendete E-Mails",
            after={"count": count},
        )
    return count
