"""The one walk over the project's URLs, for every test that needs all of them.

``all_url_patterns()`` yields each view's URL with its namespace and full route;
``declared_access()`` reads what each view and each API operation declares, in the form of the
access table (``access_table.py``); ``sample_kwargs()`` gives URL parameter values from the
demo city.
"""

from collections.abc import Iterator
from typing import NamedTuple

from django.urls import URLPattern, URLResolver, get_resolver

from leitbild.core.roles import Role

# Django's admin has its own access control (Administration only), tested on its own.
EXEMPT_NAMESPACES = {"admin"}
# The ninja API's own pages: the OpenAPI document, its documentation and the root.
API_DOC_NAMES = {"openapi-json", "openapi-view", "api-root"}


class Url(NamedTuple):
    namespace: str | None
    route: str
    pattern: URLPattern

    @property
    def name(self) -> str | None:
        """The name to reverse and to look up in the access table (None if unnamed)."""
        if not self.pattern.name:
            return None
        return f"{self.namespace}:{self.pattern.name}" if self.namespace else self.pattern.name


def _walk(patterns, namespace=None, prefix="") -> Iterator[Url]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if entry.namespace and namespace and entry.namespace != namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from _walk(entry.url_patterns, ns, route)
        elif isinstance(entry, URLPattern):
            yield Url(namespace, route, entry)


def all_urls() -> list[Url]:
    return [
        url
        for url in _walk(get_resolver().url_patterns)
        if (url.namespace or "").split(":")[0] not in EXEMPT_NAMESPACES
    ]


def all_url_patterns() -> list[tuple[str | None, URLPattern]]:
    return [(url.namespace, url.pattern) for url in all_urls()]


def full_name(ns: str | None, pattern: URLPattern) -> str:
    return f"{ns}:{pattern.name}" if ns else (pattern.name or "")


# --- What the code declares, in the vocabulary of the access table ------------------------------

PUBLIC = "public"
ANY_STAFF = "any_staff"
# An API operation or page with an authentication the table cannot express (e.g. ninja ``auth=``).
RESTRICTED = "restricted"

Access = str | frozenset[str]


def normalise(entry) -> Access:
    """A table entry (PUBLIC, ANY_STAFF or a tuple of roles) as a comparable value."""
    if isinstance(entry, str):
        return entry
    return frozenset(Role(role).value for role in entry)


def view_access(pattern: URLPattern) -> Access | None:
    """What ``public_view``/``staff_view`` declared on a view (None if it declares neither)."""
    callback = pattern.callback
    declared = getattr(callback, "leitbild_access", None) or getattr(
        getattr(callback, "view_class", None), "leitbild_access", None
    )
    if declared is None:
        return None
    kind, roles = declared
    if kind == "public":
        return PUBLIC
    return normalise(roles) if roles else ANY_STAFF


def api_schema() -> dict:
    from leitbild.api import api

    return api.get_openapi_schema()


def api_operations(schema: dict | None = None) -> dict[str, Access]:
    """Every operation of the ninja API as ``"METHOD /path"`` → PUBLIC, or RESTRICTED if it
    declares any authentication (``auth=`` makes ninja write ``security`` into the document)."""
    schema = schema or api_schema()
    operations: dict[str, Access] = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            secured = operation.get("security") or schema.get("security")
            operations[f"{method.upper()} {path}"] = RESTRICTED if secured else PUBLIC
    return operations


def api_path(url: Url) -> str:
    """The OpenAPI path of an API URL: ``api/v1/ideas/<idea_id>`` → ``/api/v1/ideas/{idea_id}``."""
    return "/" + url.route.replace("<", "{").replace(">", "}")


def api_url_access(url: Url, operations: dict[str, Access]) -> Access:
    from leitbild.api import api

    if url.pattern.name in API_DOC_NAMES:
        return RESTRICTED if api.docs_decorator else PUBLIC
    path = api_path(url)
    found = {access for key, access in operations.items() if key.split(" ", 1)[1] == path}
    return PUBLIC if found == {PUBLIC} else RESTRICTED


def declared_access() -> tuple[dict[str, Access | None], dict[str, Access]]:
    """(URL name → declared access, API operation → declared access) as the code has them."""
    operations = api_operations()
    urls: dict[str, Access | None] = {}
    for url in all_urls():
        if url.name is None:
            continue
        if url.namespace == "api":
            urls[url.name] = api_url_access(url, operations)
        else:
            urls[url.name] = view_access(url.pattern)
    return urls, operations


def sample_kwargs() -> dict[str, dict]:
    """Values for URL parameters, taken from the demo city. Add an entry with a new URL."""
    from leitbild.accounts.models import User
    from leitbild.core.models import TaskProgress
    from leitbild.core.tests.url_samples import extra_samples

    progress = TaskProgress.objects.create(label="Beispiel")
    samples: dict[str, dict] = {
        "core:page_detail": {"slug": "impressum"},
        "set_language": {"code": "en"},
        "core:page_edit": {"slug": "impressum"},
        "core:progress_detail": {"pk": progress.pk},
        "core:progress_status": {"pk": progress.pk},
        "core:backup_download": {"name": "fehlt.tar.gz"},
        "accounts:user_edit": {"pk": User.objects.get(email="redaktion@musterstadt.example").pk},
    }
    samples.update(extra_samples())
    return samples
