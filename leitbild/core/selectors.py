from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, Page, SiteSetting, TaskProgress

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


def page_get(*, slug: str) -> Page | None:
    return Page.objects.filter(slug=slug).first()


def audit_list(*, object_type: str = "", actor_email: str = "") -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all()
    if object_type:
        qs = qs.filter(object_type=object_type)
    if actor_email:
        qs = qs.filter(actor_label__icontains=actor_email)
    return qs


def progress_visible_to(*, user) -> QuerySet[TaskProgress]:
    from leitbild.accounts.roles import Role

    if Role.ADMIN in user.roles:
        return TaskProgress.objects.all()
    return TaskProgress.objects.filter(started_by=user)
