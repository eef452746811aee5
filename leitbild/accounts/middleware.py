"""The first password is changed before anything else in the staff area."""

from urllib.parse import quote

from django.shortcuts import redirect
from django.urls import reverse

# What a person with a first password may still open: the change itself and the log-out.
ALLOWED = {"accounts:password_change", "accounts:logout"}


class FirstPasswordMiddleware:
    """Sends a signed-in person whose password Administration chose (``must_change_password``)
    to the password change from every staff page (``staff_view``) and Django's admin, until
    they have changed it. Public pages stay open as they are for everyone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.must_change_password:
            return None
        match = request.resolver_match
        if match is None or match.view_name in ALLOWED:
            return None
        access = getattr(view_func, "leitbild_access", None) or getattr(
            getattr(view_func, "view_class", None), "leitbild_access", None
        )
        is_admin_site = match.namespace == "admin"
        if not is_admin_site and (access is None or access[0] != "staff"):
            return None
        target = reverse("accounts:password_change")
        return redirect(f"{target}?next={quote(request.get_full_path())}")
