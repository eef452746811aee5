import sys

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control, never_cache
from django.views.i18n import JavaScriptCatalog

from leitbild.core.roles import Role, has_role

from . import districts, geojson, selectors, services
from .fields import query_text
from .home import home_cards, home_now
from .inbox import staff_areas, staff_inbox
from .middleware import DATABASE_DOWN, database_unavailable_response, server_error_response
from .permissions import public_view, staff_view


@public_view
def home(request):
    now = home_now(timezone.now())
    return render(request, "core/home.html", {"cards": home_cards(), "now": now})


@staff_view()
def staff_home(request):
    """The work inbox: what waits for me, what runs, what failed; and the areas I may open."""
    failed = selectors.email_failure_count() if has_role(request.user, Role.ADMIN) else 0
    return render(
        request,
        "core/staff_home.html",
        {
            "roles": request.user.role_labels(),
            "email_failure_count": failed,
            "email_failures": selectors.email_failures(limit=5) if failed else [],
            "inbox": staff_inbox(request.user),
            "areas": staff_areas(request.user),
        },
    )


@staff_view(Role.ADMIN)
def email_failures(request):
    """E-mails the task worker gave up on; Administration dismisses them once it has seen
    (and fixed) the cause."""
    if request.method == "POST":
        count = services.email_failures_dismiss(actor=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)d Meldung über eine nicht gesendete E-Mail wurde entfernt.",
                "%(count)d Meldungen über nicht gesendete E-Mails wurden entfernt.",
                count,
            )
            % {"count": count},
        )
        return redirect("core:email_failures")
    return render(
        request,
        "core/email_failures.html",
        {
            "failures": selectors.email_failures(),
            "count": selectors.email_failure_count(),
        },
    )


_catalog = JavaScriptCatalog.as_view(domain="djangojs")


@public_view
@cache_control(max_age=3600)
def javascript_catalog(request):
    """The JavaScript strings in the active language (``gettext()``, ``interpolate()``), as a
    script file the application serves itself: the CSP allows no inline script. Loaded by
    base.html before every other script; the URL carries the language so that a switch is
    not answered from the browser's cache."""
    return _catalog(request)


@public_view
def page_detail(request, slug: str):
    page = selectors.page_get(slug=slug)
    if page is None:
        raise Http404
    text = selectors.page_text(page=page, language=request.LANGUAGE_CODE)
    return render(request, "core/page_detail.html", {"page": page, "text": text})


class PageForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 16}))
    title_en = forms.CharField(
        label=_("Titel (Englisch)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"lang": "en"}),
    )
    body_en = forms.CharField(
        label=_("Text (Englisch)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "lang": "en"}),
        help_text=_("Leer lassen, wenn es die Seite nur auf Deutsch gibt."),
    )


@staff_view(Role.ADMIN)
def page_edit(request, slug: str):
    from .models import Page

    page = get_object_or_404(Page, slug=slug)
    fields = ("title", "body", "title_en", "body_en")
    form = PageForm(request.POST or None, initial={name: getattr(page, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        services.page_update(actor=request.user, page=page, **form.cleaned_data)
        messages.success(request, _("Die Seite wurde gespeichert."))
        return redirect("core:page_detail", slug=page.slug)
    return render(request, "core/page_edit.html", {"page": page, "form": form})


@staff_view(Role.ADMIN)
def audit_log(request):
    from django.core.paginator import Paginator

    actions = selectors.audit_action_choices()
    action = query_text(request.GET.get("aktion", ""))
    action = action if action in dict(actions) else ""
    entries = selectors.audit_list(
        object_type=query_text(request.GET.get("typ", "")), action=action
    )
    page = Paginator(entries, 50).get_page(request.GET.get("seite"))
    context = {"page_obj": page, "actions": actions, "action": action}
    return render(request, "core/audit_log.html", context)


@staff_view()
def progress_detail(request, pk):
    progress = get_object_or_404(selectors.progress_visible_to(user=request.user), pk=pk)
    return render(request, "core/progress_detail.html", {"progress": progress})


@never_cache
@staff_view()
def progress_status(request, pk):
    progress = get_object_or_404(selectors.progress_visible_to(user=request.user), pk=pk)
    return render(request, "core/_progress.html", {"progress": progress})


@public_view
@cache_control(max_age=3600)
def map_districts(request):
    """The city's outline and districts (``MAP_DISTRICTS``), the base layer of every map."""
    found = districts.city_map()
    if found is None:
        raise Http404
    return HttpResponse(found.text, content_type=f"{geojson.MEDIA_TYPE}; charset=utf-8")


@public_view
@never_cache
def healthz(request):
    """For the load balancer: 200 when the database answers, 503 when it does not.

    ``status`` is "degraded" (still 200) while e-mails the worker gave up on are waiting for
    Administration (``email.failed``)."""
    status: dict = {"time": timezone.now().isoformat()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status["database"] = "ok"
    except DATABASE_DOWN as exc:
        status["database"] = "unavailable"
        status["error"] = exc.__class__.__name__
        return JsonResponse({"status": "unavailable", **status}, status=503)
    try:
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(status="READY")
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        status["tasks"] = {
            "waiting": waiting.count(),
            "running": DBTaskResult.objects.filter(status="RUNNING").count(),
            "failed": DBTaskResult.objects.filter(status="FAILED").count(),
            "oldest_waiting_seconds": (
                round((timezone.now() - oldest).total_seconds()) if oldest else 0
            ),
        }
        status["email"] = {"failed": selectors.email_failure_count()}
    except DATABASE_DOWN:
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    # E-mails that were not sent degrade the service but stay 200: every application server
    # shares the queue, so a 503 would make the load balancer take all of them out of service.
    overall = "degraded" if status["email"]["failed"] else "ok"
    return JsonResponse({"status": overall, **status})


def server_error(request):
    """handler500: a database that went away is a 503, anything else the 500 page."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_DOWN):
        return database_unavailable_response(request)
    return server_error_response(request)


@staff_view(Role.ADMIN)
def system(request):
    from .progress import progress_start
    from .tasks import backup_task

    if request.method == "POST":
        progress = progress_start(
            label=str(_("Sicherung erstellen")), started_by=request.user, task=backup_task
        )
        return redirect("core:progress_detail", pk=progress.pk)
    backups_dir = settings.DATA_DIR / "backups"
    backups = sorted(backups_dir.glob("*.tar.gz"), reverse=True) if backups_dir.is_dir() else []
    return render(request, "core/system.html", {"backups": [b.name for b in backups[:20]]})


@staff_view(Role.ADMIN)
def backup_download(request, name: str):
    from django.http import FileResponse

    path = settings.DATA_DIR / "backups" / name
    if "/" in name or not name.endswith(".tar.gz") or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)


@public_view
def switch_language(request, code: str):
    """A plain link, so that public pages carry no CSRF token and can be cached whole."""
    from django.utils.http import url_has_allowed_host_and_scheme

    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "/")
    # Only a path on this site: redirect() would take "abc" for the name of a URL.
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
