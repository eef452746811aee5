"""Reading a measurement source's address over HTTP, safely.

Only what staff configured is fetched, once per run: an ``http``/``https`` address; connect
and read timeouts of ``LEITBILD_MEASUREMENT_FEED_TIMEOUT`` seconds (and four times that for
the whole answer); no redirect is followed
(the answer names where it points, to be entered instead); the answer is streamed and cut off
after ``MAX_CSV_BYTES`` (the limit of an uploaded file). Every failure is a :class:`FeedError`
naming the address and the reason in plain German; nothing is retried within a run, the
next scheduled run tries again.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from .services import MAX_CSV_BYTES

ACCEPT = {
    "csv": "text/csv, text/plain;q=0.9, */*;q=0.1",
    "json": "application/json, */*;q=0.1",
}
USER_AGENT = "Leitbild-Monitoring/1.0"


class FeedError(Exception):
    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


def url_problem(url: str) -> str:
    """Why ``url`` cannot be fetched ("" if it can): http or https, with a host."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError:
        return _("Das ist keine gültige Adresse.")
    if parts.scheme not in ("http", "https"):
        return _("Nur Adressen mit http:// oder https:// können abgerufen werden.")
    if not parts.hostname:
        return _("In der Adresse fehlt der Server (z. B. https://statistik.musterstadt.de/…).")
    if parts.username or parts.password:
        return _("Die Adresse darf keinen Benutzernamen und kein Kennwort enthalten.")
    return ""


def fetch(url: str, *, fmt: str, timeout: float | None = None) -> bytes:
    """The body of ``url``'s answer (at most ``MAX_CSV_BYTES``), or a FeedError."""
    problem = url_problem(url)
    if problem:
        raise FeedError(url, problem)
    seconds = settings.LEITBILD_MEASUREMENT_FEED_TIMEOUT if timeout is None else timeout
    try:
        with httpx.Client(
            timeout=httpx.Timeout(seconds, connect=seconds),
            follow_redirects=False,
            headers={"Accept": ACCEPT.get(fmt, "*/*"), "User-Agent": USER_AGENT},
        ) as client:
            with client.stream("GET", url) as response:
                _check_status(url, response)
                kind = response.headers.get("content-type", "").lower()
                if "html" in kind:
                    raise FeedError(
                        url,
                        _(
                            "Hier kommt eine HTML-Seite statt der Daten ({format}); bitte die "
                            "Adresse der Datei selbst eintragen, nicht die der Seite, die auf "
                            "sie verweist."
                        ).format(format=fmt.upper()),
                    )
                return _read_bounded(url, response, deadline=time.monotonic() + 4 * seconds)
    except httpx.TimeoutException:
        raise FeedError(
            url,
            _("Der Server antwortet nicht innerhalb von {seconds} Sekunden.").format(
                seconds=seconds
            ),
        ) from None
    except httpx.TransportError as exc:
        raise FeedError(
            url,
            _("Keine Verbindung zum Server ({error}).").format(error=exc.__class__.__name__),
        ) from None


def _check_status(url: str, response: httpx.Response) -> None:
    status = response.status_code
    if 300 <= status < 400:
        location = response.headers.get("location", "")[:300]
        raise FeedError(
            url,
            _(
                "Der Server leitet weiter (Status {status}) nach „{location}“. Weiterleitungen "
                "werden nicht verfolgt; tragen Sie die Zieladresse ein, wenn sie stimmt."
            ).format(status=status, location=location or "?"),
        )
    if status == 404:
        raise FeedError(url, _("Unter dieser Adresse gibt es nichts (Status 404)."))
    if status in (401, 403):
        raise FeedError(
            url,
            _("Der Server verweigert den Zugriff (Status {status}).").format(status=status),
        )
    if status >= 500:
        raise FeedError(
            url, _("Der Server meldet einen Fehler (Status {status}).").format(status=status)
        )
    if not 200 <= status < 300:
        raise FeedError(url, _("Der Server antwortet mit Status {status}.").format(status=status))


def _read_bounded(url: str, response: httpx.Response, *, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_CSV_BYTES:
        raise FeedError(url, _too_large())
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_CSV_BYTES:
            raise FeedError(url, _too_large())
        chunks.append(chunk)
        if time.monotonic() > deadline:  # a server trickling bytes under the read timeout
            raise httpx.ReadTimeout("the whole answer took too long")
    return b"".join(chunks)


def _too_large() -> str:
    return _("Die Antwort ist größer als {kb} KB und wird nicht gelesen.").format(
        kb=MAX_CSV_BYTES // 1024
    )
