"""Reading a council information system over OParl 1.1 (and 1.0), safely.

The client knows HTTP and the OParl object model, nothing of our database:

- only the configured host is ever contacted (a ``next`` link or a list URL on another host is
  an error, never a request);
- connect and read timeouts; retries with exponential back-off on timeouts, connection errors
  and 5xx answers; other answers fail at once;
- every answer is bounded in size (streamed, cut off at ``max_bytes``) and a list in pages
  (``max_pages``, and a page seen twice ends it): a hostile server cannot loop or fill memory;
- every object is validated against the OParl 1.1 schema shipped in ``schema/`` (the types
  of all its properties; see ``_tolerant`` for what real servers are forgiven) after 1.0
  objects were brought to 1.1 (``publishedDate`` becomes ``date``); a page with one invalid
  object is refused whole, so nothing of it is written.

Every failure is an :class:`OParlError` naming the URL and the reason in plain German.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import jsonschema_rs
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

SCHEMA_DIR = Path(__file__).with_name("schema")
TYPE_PREFIXES = ("https://schema.oparl.org/1.1/", "https://schema.oparl.org/1.0/")
KNOWN_TYPES = (
    "System",
    "Body",
    "Organization",
    "Meeting",
    "AgendaItem",
    "Paper",
    "Consultation",
)


class OParlError(Exception):
    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass
class Page:
    url: str
    items: list[dict]
    total_pages: int | None
    number: int
    next_url: str = ""


def _tolerant(schema: dict) -> dict:
    """The official schema as real servers are read: every property keeps its type, but an
    embedded object may also come as its URL (OParl allows both, the schema only the object),
    and of the required properties only ``id`` and ``type`` are insisted on (servers, and the
    specification's own examples, leave out others, e.g. an agenda item's ``order``)."""

    def loosen(spec: dict) -> dict:
        if spec.get("type") == "object" and "schema" in spec:
            return {**spec, "type": ["object", "string"]}
        if spec.get("type") == "array" and isinstance(spec.get("items"), dict):
            return {**spec, "items": loosen(spec["items"])}
        return spec

    properties = {name: loosen(spec) for name, spec in schema.get("properties", {}).items()}
    return {**schema, "required": ["id", "type"], "properties": properties}


@cache
def _validator(type_name: str):
    schema = json.loads((SCHEMA_DIR / f"{type_name}.json").read_text(encoding="utf-8"))
    return jsonschema_rs.Draft4Validator(_tolerant(schema), validate_formats=False)


def type_name(obj: dict) -> str:
    """``Paper`` for an object of type ``https://schema.oparl.org/1.1/Paper`` (or 1.0)."""
    value = obj.get("type")
    if not isinstance(value, str):
        return ""
    for prefix in TYPE_PREFIXES:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return ""


def normalise(obj: dict) -> dict:
    """An OParl 1.0 object in the shape of 1.1: its type, and ``publishedDate`` as ``date``."""
    name = type_name(obj)
    if obj.get("type", "").startswith(TYPE_PREFIXES[1]):
        obj = {**obj, "type": TYPE_PREFIXES[0] + name}
        if name == "Paper" and "date" not in obj and "publishedDate" in obj:
            obj["date"] = obj.pop("publishedDate")
        elif name == "Paper":
            obj.pop("publishedDate", None)
    return obj


def validate(obj, url: str, expected: str | None = None) -> dict:
    """The object brought to 1.1 and checked against its schema, or an OParlError."""
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise OParlError(url, _("Ein Objekt ohne gültige Kennung (id)."))
    name = type_name(obj)
    if expected and name != expected:
        raise OParlError(
            url,
            _("Erwartet war ein OParl-Objekt vom Typ {expected}, gekommen ist „{got}“.").format(
                expected=expected, got=str(obj.get("type", ""))[:100]
            ),
        )
    obj = normalise(obj)
    if name in KNOWN_TYPES:
        errors = list(_validator(name).iter_errors(obj))
        if errors:
            error = errors[0]
            where = "/".join(str(part) for part in error.instance_path) or "/"
            raise OParlError(
                url,
                _("Das Objekt {id} entspricht nicht dem OParl-Schema ({where}: {message}).").format(
                    id=obj["id"][:200], where=where, message=error.message[:200]
                ),
            )
        for key, sub in (("consultation", "Consultation"), ("agendaItem", "AgendaItem")):
            for embedded in obj.get(key) or ():
                if isinstance(embedded, dict):
                    validate(embedded, url, sub)
    return obj


class OParlClient:
    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 15.0,
        connect_timeout: float = 5.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_bytes: int = 10_000_000,
        max_pages: int = 5_000,
        max_items: int = 1_000,
        sleep: Callable[[float], None] = time.sleep,
    ):
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise OParlError(base_url, _("Das ist keine http- oder https-Adresse."))
        self.origin = (parts.scheme, parts.hostname, parts.port)
        self.retries, self.backoff, self.sleep = retries, backoff, sleep
        self.max_bytes, self.max_pages, self.max_items = max_bytes, max_pages, max_items
        self.requests = 0
        self.http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            follow_redirects=False,
            headers={"Accept": "application/json", "User-Agent": "Leitbild-OParl/1.0"},
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> OParlClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- one request ---------------------------------------------------------------------------

    def check_host(self, url: str) -> None:
        parts = urlsplit(url)
        if (parts.scheme, parts.hostname, parts.port) != self.origin:
            raise OParlError(
                url,
                _(
                    "Der Verweis führt zu einem anderen Server als dem eingestellten; "
                    "ihm wird nicht gefolgt."
                ),
            )

    def get_json(self, url: str, params: dict | None = None):
        self.check_host(url)
        for attempt in range(self.retries + 1):
            try:
                return self._get_once(url, params)
            except _Retry as retry:
                if attempt == self.retries:
                    raise OParlError(url, retry.reason) from None
                delay = self.backoff * 2**attempt
                log.warning(
                    "OParl request failed, will try again",
                    extra={"url": url, "reason": retry.reason, "delay": delay},
                )
                self.sleep(delay)
        raise AssertionError("unreachable")

    def _get_once(self, url: str, params: dict | None):
        self.requests += 1
        try:
            with self.http.stream("GET", url, params=params) as response:
                if response.status_code >= 500:
                    raise _Retry(
                        _("Der Server antwortet mit Fehler {status}.").format(
                            status=response.status_code
                        )
                    )
                if response.status_code != 200:
                    raise OParlError(
                        url,
                        _("Der Server antwortet mit Status {status}.").format(
                            status=response.status_code
                        ),
                    )
                body = self._read_bounded(url, response)
                kind = response.headers.get("content-type", "")
        except httpx.TimeoutException:
            raise _Retry(_("Der Server antwortet nicht rechtzeitig.")) from None
        except httpx.TransportError as exc:
            raise _Retry(
                _("Keine Verbindung zum Server ({error}).").format(error=exc.__class__.__name__)
            ) from None
        if "html" in kind:
            raise OParlError(url, _("Hier kommt eine HTML-Seite, keine OParl-Antwort (JSON)."))
        try:
            return json.loads(body)
        except ValueError:
            raise OParlError(url, _("Die Antwort ist kein gültiges JSON.")) from None

    def _read_bounded(self, url: str, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise OParlError(url, self._too_large())
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise OParlError(url, self._too_large())
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self) -> str:
        return _("Die Antwort ist größer als {size} MB und wird nicht gelesen.").format(
            size=self.max_bytes // 1_000_000
        )

    # --- objects and lists ---------------------------------------------------------------------

    def get_object(self, url: str, expected: str | None = None) -> dict:
        return validate(self.get_json(url), url, expected)

    def pages(self, url: str, params: dict | None = None) -> Iterator[Page]:
        """The pages of an external list, following ``links.next`` within the bounds."""
        seen: set[str] = set()
        number = 0
        while url:
            if url in seen:
                raise OParlError(
                    url, _("Die Liste verweist auf eine Seite, die schon gelesen wurde.")
                )
            if number >= self.max_pages:
                raise OParlError(
                    url,
                    _("Die Liste hat mehr als {count} Seiten; das Lesen wurde abgebrochen.").format(
                        count=self.max_pages
                    ),
                )
            seen.add(url)
            number += 1
            data = self.get_json(url, params if number == 1 else None)
            page = self._page(url, data, number)
            yield page
            url = page.next_url

    def _page(self, url: str, data, number: int) -> Page:
        if isinstance(data, list):  # a few OParl 1.0 servers answer with a bare array
            items = data
            data = {}
        elif isinstance(data, dict) and isinstance(data.get("data"), list):
            items = data["data"]
        else:
            raise OParlError(url, _("Das ist keine OParl-Liste (es fehlt „data“)."))
        if len(items) > self.max_items:
            raise OParlError(
                url,
                _("Die Seite enthält mehr als {count} Objekte.").format(count=self.max_items),
            )
        objects = [validate(item, url) for item in items]
        pagination = data.get("pagination") if isinstance(data.get("pagination"), dict) else {}
        total = pagination.get("totalPages")
        links = data.get("links") if isinstance(data.get("links"), dict) else {}
        following = links.get("next") or ""
        if not isinstance(following, str):
            raise OParlError(url, _("Der Verweis auf die nächste Seite ist keine Adresse."))
        if following:
            self.check_host(following)
        return Page(url, objects, total if isinstance(total, int) else None, number, following)


class _Retry(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
