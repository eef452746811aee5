import logging
import time

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

log = logging.getLogger("leitbild.request")

DATABASE_DOWN = (OperationalError, InterfaceError)

# What a visitor sees when even the error page cannot be rendered (a broken template, static
# files that were not collected): plain HTML in both languages, nothing that can fail.
PLAIN_500 = """<!DOCTYPE html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fehler – Leitbild</title></head>
<body>
<main>
<h1>Es ist ein Fehler aufgetreten</h1>
<p>Der Fehler wurde aufgezeichnet. Bitte versuchen Sie es später erneut.</p>
<p lang="en">An error occurred. It has been logged; please try again later.</p>
<p><a href="/">Zur Startseite / Home</a></p>
</main>
</body>
</html>
"""
PLAIN_503 = """<!DOCTYPE html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vorübergehend nicht erreichbar – Leitbild</title></head>
<body>
<main>
<h1>Vorübergehend nicht erreichbar</h1>
<p>Die Seite kann gerade nicht angezeigt werden, weil die Datenbank nicht antwortet.
Bitte versuchen Sie es in einigen Minuten erneut.</p>
<p lang="en">Temporarily unavailable: the database is not answering.
Please try again in a few minutes.</p>
</main>
</body>
</html>
"""


def request_language(request) -> str:
    """German unless the visitor chose another language with the switch (a cookie)."""
    from django.conf import settings

    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "") if request else ""
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def error_page(request, *, template: str, status: int, plain: str) -> HttpResponse:
    """An error page in the site's layout that needs neither the database nor a session.

    Rendered without context processors (they read the database and the session, which may be
    what failed); if even that fails, the plain page in both languages. Under /api/ a JSON body.
    """
    from django.conf import settings

    from .selectors import FOOTER_PAGES

    with translation.override(request_language(request)):
        if request is not None and request.path.startswith("/api/"):
            detail = (
                _("Vorübergehend nicht erreichbar.")
                if status == 503
                else _("Es ist ein Fehler aufgetreten.")
            )
            return JsonResponse({"detail": detail}, status=status)
        try:
            body: str = render_to_string(
                template,
                {
                    "request": request,
                    "CITY_NAME": settings.LEITBILD_CITY_NAME,
                    "FOOTER_PAGES": FOOTER_PAGES,
                },
            )
        except Exception:
            log.exception("error page %s could not be rendered", template)
            body = plain
    return HttpResponse(body, status=status)


def database_unavailable_response(request=None) -> HttpResponse:
    response = error_page(request, template="503.html", status=503, plain=PLAIN_503)
    response["Retry-After"] = "30"
    return response


def server_error_response(request=None) -> HttpResponse:
    return error_page(request, template="500.html", status=500, plain=PLAIN_500)


class DatabaseUnavailableMiddleware:
    """A database that went away gives a 503 page, never a traceback.

    Sits outermost so that it also covers the session and authentication middleware, which
    reach the database before any view runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except DATABASE_DOWN:
            log.exception("database unavailable", extra={"path": request.path})
            return database_unavailable_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN) or (
            isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
        ):
            log.error("database unavailable: %s", exception, extra={"path": request.path})
            return database_unavailable_response(request)
        return None


class RequestLogMiddleware:
    """One structured log line per request: method, path, status, duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response


class MessagesOnceMiddleware:
    """A page that showed a message ("Danke …") is never kept by the browser.

    Without this, going back in the history later (e.g. after supporting an idea via htmx,
    which changes the page without a new entry) showed the page from the browser's cache,
    old message and old counts included. Placed inside ``MessageMiddleware``: the page has
    been rendered, so the storage knows whether its messages were read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        storage = getattr(request, "_messages", None)
        if storage is not None and storage.used:
            patch_cache_control(response, no_store=True, private=True)
        return response


class LanguageMiddleware:
    """German unless the visitor chose English with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; a German city's
    site stays German by default, and the switch is on every page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary = response.get("Vary", "")
        if "Cookie" not in patch_vary:
            response["Vary"] = f"{patch_vary}, Cookie" if patch_vary else "Cookie"
        return response


class RefusalMiddleware:
    """The one place where a ``core.errors.Refusal`` a view did not catch becomes an answer.

    Pages get ``core/refusal.html`` (the site's layout, the refusal's message, its status);
    anything under /api/ gets the API's error body ``{"detail": …, "parameter": …}``. The
    JSON API itself answers through its own handler in ``leitbild/api.py`` with the same body.
    A view that can show the message next to a field catches the refusal itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from .errors import Refusal

        if not isinstance(exception, Refusal):
            return None
        log.info(
            "refused",
            extra={"path": request.path, "code": exception.code, "status": exception.status},
        )
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": str(exception), "parameter": exception.field}, status=exception.status
            )
        return render(
            request,
            "core/refusal.html",
            {"refusal": exception, "heading": refusal_heading(exception.status)},
            status=exception.status,
        )


def refusal_heading(status: int) -> str:
    """The heading of the refusal page, by status."""
    headings = {
        403: _("Nicht erlaubt"),
        404: _("Nicht gefunden"),
        409: _("Inzwischen geändert"),
    }
    return headings.get(status, _("Nicht möglich"))
