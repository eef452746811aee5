"""One helper for the cookies that recognise a browser (the idea call's visitor token, the
consultation's access, ballot and draft tokens): signed with a salt per purpose, so that a
value of one purpose is worth nothing for another, HttpOnly, SameSite=Lax, and Secure in
production (``SESSION_COOKIE_SECURE``) or whenever the request came over HTTPS.

They hold random tokens only, never a personal datum; what a token stands for is on the
server (a keyed hash of it)."""

import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

TOKEN_LENGTHS = range(20, 65)  # what ``new_token`` makes fits well inside


def new_token() -> str:
    return secrets.token_urlsafe(32)


def signed_read(request: HttpRequest, name: str, *, salt: str) -> str:
    """The cookie's value if its signature holds for ``salt``, else ""."""
    value = request.get_signed_cookie(name, default="", salt=salt)
    return value if isinstance(value, str) else ""


def signed_set(
    response: HttpResponse,
    name: str,
    value: str,
    *,
    salt: str,
    max_age: int,
    request: HttpRequest | None = None,
) -> None:
    secure = getattr(settings, "SESSION_COOKIE_SECURE", False) or bool(
        request is not None and request.is_secure()
    )
    response.set_signed_cookie(
        name, value, salt=salt, max_age=max_age, httponly=True, samesite="Lax", secure=secure
    )


def browser_token(request: HttpRequest, name: str, *, salt: str) -> tuple[str, bool]:
    """The random token this browser's cookie holds, or a new one; True if it is new (the
    caller sets the cookie with ``signed_set`` on its response)."""
    token = signed_read(request, name, salt=salt)
    if len(token) in TOKEN_LENGTHS:
        return token, False
    return new_token(), True
