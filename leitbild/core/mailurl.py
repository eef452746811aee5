"""EMAIL_URL → Django's e-mail settings.

Our own parser instead of dj-email-url: that package has had no release since 2022, and it
does not know ``consolemail://``, our documented default, so Django silently fell back to SMTP
without a host. Every form accepted here is listed in the README and tested in
``core/tests/test_mailurl.py``:

    console://                      print each e-mail on standard output (the default)
    smtp://host[:port]              plain SMTP, port 25
    smtp+tls://user:pass@host[:port]  STARTTLS, port 587
    smtp+ssl://user:pass@host[:port]  implicit TLS, port 465 (``smtps://`` is the same)
    file:///absolute/directory      one file per e-mail
    locmem://, dummy://             kept in memory / discarded (for tests)

User and password are URL-encoded (``%40`` for ``@``); ``?timeout=`` sets the SMTP timeout in
seconds (default 30, so a hanging server cannot block the task worker for ever).

Only the standard library is imported: this module is read by ``settings.py``.
"""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

DEFAULT = "console://"
SMTP_TIMEOUT = 30

_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
# scheme → (backend, security, default port)
_SMTP_SCHEMES = {
    "smtp": ("", 25),
    "smtp+tls": ("tls", 587),
    "smtp+ssl": ("ssl", 465),
    "smtps": ("ssl", 465),
}
_ALIASES = {"consolemail": "console"}  # our old documented default (django-environ's word)


def _fail(url: str, reason: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"EMAIL_URL {_redacted(url)!r} cannot be used: {reason}")


def _redacted(url: str) -> str:
    """The URL without its password, for error messages that end up in logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "…"
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(":" + parts.password + "@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def parse(url: str) -> dict:
    """The EMAIL_* settings for ``url``; ImproperlyConfigured naming EMAIL_URL if it is wrong."""
    url = (url or "").strip() or DEFAULT
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise _fail(url, str(exc)) from None
    scheme = _ALIASES.get(parts.scheme.lower(), parts.scheme.lower())
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = set(query) - {"timeout"}
    if unknown:
        raise _fail(url, f"unknown option {sorted(unknown)[0]!r} (known: timeout)")

    if scheme in _SMTP_SCHEMES:
        return _smtp(url, parts, scheme, port, query)
    if scheme not in _BACKENDS:
        known = ", ".join(sorted({*_BACKENDS, *_SMTP_SCHEMES} - {"smtp"}) + ["smtp"])
        raise _fail(url, f"unknown scheme {parts.scheme!r} (known: {known})")
    if query:
        raise _fail(url, "timeout applies only to SMTP")
    settings = {"EMAIL_BACKEND": _BACKENDS[scheme]}
    if scheme == "file":
        if parts.netloc or not parts.path.startswith("/"):
            raise _fail(url, "file:// needs an absolute directory, e.g. file:///var/mail/leitbild")
        settings["EMAIL_FILE_PATH"] = unquote(parts.path)
    elif parts.netloc or parts.path:
        raise _fail(url, f"{scheme}:// takes no host or path")
    return settings


def _smtp(url, parts, scheme: str, port: int | None, query: dict) -> dict:
    security, default_port = _SMTP_SCHEMES[scheme]
    if not parts.hostname:
        raise _fail(url, "the SMTP host is missing, e.g. smtp+tls://user:pass@mail.example:587")
    if parts.path not in ("", "/"):
        raise _fail(url, "an SMTP URL has no path")
    port = port or default_port
    # The two usual ports do one thing each: refuse a mix that would only time out later.
    if security == "ssl" and port == 587:
        raise _fail(url, "port 587 speaks STARTTLS: use smtp+tls://")
    if security == "tls" and port == 465:
        raise _fail(url, "port 465 speaks implicit TLS: use smtp+ssl://")
    timeout: float = SMTP_TIMEOUT
    if "timeout" in query:
        try:
            timeout = float(query["timeout"][-1])
        except ValueError:
            timeout = 0
        if not 0 < timeout <= 600:
            raise _fail(url, "timeout must be a number of seconds between 0 and 600")
    return {
        "EMAIL_BACKEND": _BACKENDS["smtp"],
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": security == "tls",
        "EMAIL_USE_SSL": security == "ssl",
        "EMAIL_TIMEOUT": int(timeout) if timeout == int(timeout) else timeout,
    }
