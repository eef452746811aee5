"""The public JSON API (read-only), described at /offene-daten/ and /api/v1/openapi.json.

Each app contributes a router from its own ``api.py``; this module only assembles them.
"""

import functools

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from leitbild.core.errors import Refusal
from leitbild.core.permissions import public_view

api = NinjaAPI(
    title="Leitbild API",
    version="1",
    description=(
        "Offene Daten der Smart-City-Strategie: strategischer Rahmen, Beteiligung, Projekte. "
        "Enthält keine personenbezogenen Daten."
    ),
    urls_namespace="api",
)


# --- Error answers: always the body ``core.api_common.Error``, as the OpenAPI document says ---


def _error(request, status: int, detail: str, parameter: str | None = None):
    return api.create_response(request, {"detail": detail, "parameter": parameter}, status=status)


@api.exception_handler(ValidationError)
def _invalid_parameter(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    names = [part for part in first.get("loc", ()) if isinstance(part, str)]
    parameter = names[-1] if len(names) > 1 else None
    reason = first.get("msg", "")
    if parameter:
        detail = _("Der Parameter „%(name)s“ ist ungültig: %(reason)s") % {
            "name": parameter,
            "reason": reason,
        }
    else:
        detail = _("Die Anfrage ist ungültig: %(reason)s") % {"reason": reason}
    return _error(request, 422, detail, parameter)


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    return _error(request, 404, _("Nicht gefunden."))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):  # and core.api_common.ApiError, which names one
    return _error(request, exc.status_code, str(exc), getattr(exc, "parameter", None))


@api.exception_handler(Refusal)
def _refused(request, exc: Refusal):  # the rules said no: 400, 403, 404 or 409, never a 500
    return _error(request, exc.status, str(exc), exc.field)


def _register_routers() -> None:
    from leitbild.participation.api import router as participation_router
    from leitbild.strategy.api import router as strategy_router

    api.add_router("/strategy", strategy_router, tags=["Strategie"])
    api.add_router("", participation_router, tags=["Beteiligung"])

    from leitbild.consultation.api import router as consultation_router

    api.add_router("", consultation_router, tags=["Gewichtung und Umfragen"])

    from leitbild.portfolio.api import router as portfolio_router

    api.add_router("", portfolio_router, tags=["Umsetzungskonzept"])

    from leitbild.monitoring.api import router as monitoring_router

    api.add_router("", monitoring_router, tags=["Umsetzungsmonitor"])


_register_routers()


# --- The page about the API (linked in every footer) ------------------------------------------
# django-ninja's own documentation page (/api/v1/docs) is a Swagger UI that fails axe-core
# (contrast, no lang, nested interactive controls); this page of ours, in the site's layout,
# lists the operations from the same OpenAPI document and links it for tools.


@functools.cache
def api_operations() -> list[dict]:
    """The operations of the OpenAPI document grouped by tag, in the document's order."""
    schema = api.get_openapi_schema(path_prefix=reverse("api:api-root"))
    groups: dict[str, list[dict]] = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            tag = (operation.get("tags") or [""])[0]
            groups.setdefault(tag, []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    # The docstrings' code marks (``status``, `bbox`) mean nothing on a page.
                    "description": operation.get("description", "").replace("`", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p.get("in", ""),
                            "required": bool(p.get("required")),
                            "description": p.get("description")
                            or p.get("schema", {}).get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                }
            )
    return [{"tag": tag, "operations": ops} for tag, ops in groups.items()]


@public_view
def api_overview(request):
    # The tags are the routers' German names (msgids of the navigation): in the reader's language.
    groups = [group | {"tag": _(group["tag"])} for group in api_operations()]
    return render(
        request,
        "api_overview.html",
        {"groups": groups, "version": api.version},
    )
