"""How views declare who may use them.

Every view of the project is wrapped in exactly one of ``public_view`` or ``staff_view``. The
test ``core/tests/test_url_access.py`` walks every URL pattern and fails for a view that
declares neither or declares other access than ``core/tests/access_table.py`` expects, so a
new page cannot ship unprotected, nor an old one be widened, by accident.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from leitbild.core.roles import has_role


def public_view(view: Callable) -> Callable:
    view.leitbild_access = ("public", ())  # type: ignore[attr-defined]
    return view


def staff_view(*roles: str) -> Callable[[Callable], Callable]:
    """Only for signed-in staff holding one of ``roles`` (any role if none is named)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and not has_role(request.user, *roles):
                raise PermissionDenied
            if not roles and not request.user.roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.leitbild_access = ("staff", tuple(roles))  # type: ignore[attr-defined]
        return wrapped

    return decorator
