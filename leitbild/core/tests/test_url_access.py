"""Every URL of the project, requested by an anonymous visitor and by each staff role.

A view must declare ``public_view`` or ``staff_view(...)`` (leitbild.core.permissions). This
test walks all URL patterns, so a new view cannot ship without a declared and enforced access
rule. URLs with parameters take their values from the demo city (see ``sample_kwargs``).
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from leitbild.accounts.roles import Role

# Django's admin has its own access control (Administration only); tested separately below.
EXEMPT_NAMESPACES = {"admin"}


def _walk(patterns, namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if entry.namespace and namespace and entry.namespace != namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from _walk(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def all_url_patterns():
    return [(ns, p) for ns, p in _walk(get_resolver().url_patterns)
            if (ns or "").split(":")[0] not in EXEMPT_NAMESPACES]


def _access(pattern: URLPattern, namespace: str | None = None):
    callback = pattern.callback
    if namespace == "api":
        return ("public", ())  # the JSON API is read-only and public by design
    view_class = getattr(callback, "view_class", None)
    return (getattr(callback, "leitbild_access", None)
            or getattr(view_class, "leitbild_access", None))


def test_every_view_declares_who_may_use_it():
    undeclared = [f"{ns}:{p.name} ({p.pattern})" for ns, p in all_url_patterns()
                  if _access(p, ns) is None]
    assert undeclared == []


@pytest.fixture
def demo_city(db):
    from leitbild.core.demo import demo_load

    demo_load()


def sample_kwargs() -> dict[str, dict]:
    """Values for URL parameters, taken from the demo city. Add an entry with a new URL."""
    from leitbild.accounts.models import User
    from leitbild.core.models import TaskProgress

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
    try:
        from leitbild.core.tests.url_samples import extra_samples
    except ImportError:  # pragma: no cover
        return samples
    samples.update(extra_samples())
    return samples


# Views whose sample object cannot exist in a fresh instance answer 404 to permitted users.
EXPECTED_NOT_FOUND = {"core:backup_download"}
# Public steps of the login flow that send a visitor back to the start when out of order.
PUBLIC_REDIRECTS = {"accounts:login_code"}
# A task's progress is shown to the person who started it and to Administration only.
OWNER_ONLY = {"core:progress_detail", "core:progress_status"}


def _full_name(ns, pattern):
    return f"{ns}:{pattern.name}" if ns else pattern.name


def _request(client: Client, url: str):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


def test_every_url_answers_each_role_as_declared(demo_city, staff_users):
    samples = sample_kwargs()
    problems = []
    checked = 0
    for ns, pattern in all_url_patterns():
        name = _full_name(ns, pattern)
        if not pattern.name:
            continue
        params = pattern.pattern.converters
        kwargs = samples.get(name, {})
        if params and not kwargs:
            problems.append(f"{name}: no sample kwargs for {sorted(params)} in sample_kwargs()")
            continue
        url = reverse(name, kwargs=kwargs) if kwargs else reverse(name)
        kind, roles = _access(pattern, ns)
        visitors = {"anonymous": None, **staff_users}
        for who, user in visitors.items():
            client = Client()
            if user is not None:
                client.force_login(user)
            response = _request(client, url)
            status = response.status_code
            checked += 1
            if status >= 500:
                problems.append(f"{name} as {who}: server error {status}")
                continue
            if kind == "public":
                if status in (401, 403) or (
                    status == 302 and "/anmelden/" in response.get("Location", "")
                    and name not in PUBLIC_REDIRECTS):
                    problems.append(f"{name} as {who}: public view answered {status}")
                continue
            permitted = user is not None and (
                Role.ADMIN in user.roles or any(r in user.roles for r in roles)
                or (not roles and user.roles)
            )
            if user is None:
                ok = status == 302 and "/anmelden/" in response["Location"]
                expected = "302 to the login page"
            elif not permitted:
                ok, expected = status == 403, "403"
            elif name in EXPECTED_NOT_FOUND or (
                    name in OWNER_ONLY and Role.ADMIN not in user.roles):
                ok, expected = status == 404, "404"
            else:
                ok = status == 200 or (status in (301, 302)
                                       and "/anmelden/" not in response.get("Location", ""))
                expected = "200 or a redirect within the staff area"
            if not ok:
                problems.append(f"{name} as {who}: got {status}, expected {expected}")
    assert problems == [], "\n".join(problems)
    assert checked > 50


def test_django_admin_is_for_administration_only(client, staff_users):
    for who, user in staff_users.items():
        client.force_login(user)
        response = client.get("/admin/")
        if who == Role.ADMIN:
            assert response.status_code == 200
        else:
            assert response.status_code == 302
            assert "/admin/login/" in response["Location"]
        client.logout()
    assert client.get("/admin/").status_code == 302
