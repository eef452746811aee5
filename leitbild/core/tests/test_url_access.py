"""Every URL and API operation, compared with the access table and requested by each role.

``access_table.py`` says who may use each page; this module checks (1) that every view declares
exactly that (``public_view``/``staff_view``, or no ``auth`` on an API operation) and (2) that
an anonymous visitor and each staff role are let in or turned away as the *table* says. So
widening a decorator fails here until the table is edited too. URL parameters come from the
demo city (``urlwalk.sample_kwargs``).
"""

import pytest
from django.test import Client
from django.urls import reverse

from leitbild.core.roles import Role
from leitbild.core.tests import urlwalk
from leitbild.core.tests.access_table import API_ACCESS, URL_ACCESS
from leitbild.core.tests.urlwalk import ANY_STAFF, PUBLIC, all_urls, normalise, sample_kwargs


def _show(access) -> str:
    return access if isinstance(access, str) else "(" + ", ".join(sorted(access)) + ")"


def access_table_problems(url_table=URL_ACCESS, api_table=API_ACCESS) -> list[str]:
    """Each difference between the tables and what the code declares, naming the URL or
    operation."""
    declared_urls, declared_api = urlwalk.declared_access()
    problems = []
    for kind, table, declared in (
        ("URL", url_table, declared_urls),
        ("API operation", api_table, declared_api),
    ):
        for name, access in declared.items():
            if name not in table:
                problems.append(
                    f"{kind} {name}: declares {_show(access) if access else 'nothing'}"
                    f" but is not in the access table"
                )
            elif access is None:
                problems.append(f"{kind} {name}: declares neither public_view nor staff_view")
            elif access != normalise(table[name]):
                problems.append(
                    f"{kind} {name}: declares {_show(access)}, the access table "
                    f"says {_show(normalise(table[name]))}"
                )
        problems += [
            f"{kind} {name}: in the access table but no such {kind}"
            for name in table
            if name not in declared
        ]
    return problems


def test_every_view_declares_what_the_access_table_says():
    assert access_table_problems() == []


def test_unnamed_urls_are_only_the_development_media_files():
    # Unnamed patterns cannot be in the table; only the media files served in development are.
    assert [u.route for u in all_urls() if u.name is None] in ([], ["media/<path:path>"])


# --- The comparison notices a widened decorator -----------------------------------------------


def _callback(name: str):
    return next(u.pattern.callback for u in all_urls() if u.name == name)


@pytest.mark.parametrize(
    "name, widened",
    [
        ("consultation:staff_purge", ("public", ())),
        ("participation:staff_export", ("staff", ())),
        ("accounts:user_list", ("staff", (Role.ADMIN, Role.EDITOR))),
    ],
)
def test_a_widened_decorator_fails_until_the_table_is_edited(monkeypatch, name, widened):
    monkeypatch.setattr(_callback(name), "leitbild_access", widened)
    problems = access_table_problems()
    assert [p for p in problems if p.startswith(f"URL {name}:")], problems
    edited = {**URL_ACCESS, name: PUBLIC if widened[0] == "public" else widened[1] or ANY_STAFF}
    assert access_table_problems(url_table=edited) == []


def test_a_new_api_operation_fails_until_it_is_in_the_table(monkeypatch):
    real = urlwalk.api_schema()
    paths = {**real["paths"], "/api/v1/ideas/{idea_id}/support": {"post": {}}}
    monkeypatch.setattr(urlwalk, "api_schema", lambda: {**real, "paths": paths})
    assert access_table_problems() == [
        "API operation POST /api/v1/ideas/{idea_id}/support: declares public but is not in "
        "the access table"
    ]


def test_a_removed_url_fails_until_its_entry_is_gone():
    table = {**URL_ACCESS, "participation:idea_delete": PUBLIC}
    assert access_table_problems(url_table=table) == [
        "URL participation:idea_delete: in the access table but no such URL"
    ]


# --- What the views do ------------------------------------------------------------------------


@pytest.fixture
def demo_city(db):
    from leitbild.core.demo import demo_load

    demo_load()


# Views whose sample object cannot exist in a fresh instance answer 404 to permitted users.
EXPECTED_NOT_FOUND = {"core:backup_download"}
# Public pages that answer 404 for their sample (a link token that cannot exist, a phase whose
# mode is not e-mail or OIDC; ninja's API root has no page of its own).
PUBLIC_NOT_FOUND = {
    "consultation:email_confirm",
    "consultation:email_request",
    "consultation:oidc_start",
    "participation:contact_confirm",
    "participation:support_confirm",
    "api:api-root",
}
# Public steps of the login flow that send a visitor back to the start when out of order.
PUBLIC_REDIRECTS = {"accounts:login_code"}
# A task's progress is shown to the person who started it and to Administration only.
OWNER_ONLY = {"core:progress_detail", "core:progress_status"}


def _request(client: Client, url: str, method: str = "GET"):
    if method != "GET":
        return client.generic(method, url)
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


def _permitted(access, user) -> bool:
    if access == PUBLIC:
        return True
    if user is None or not user.roles:
        return False
    return Role.ADMIN in user.roles or access == ANY_STAFF or any(r in user.roles for r in access)


def _to_login(response) -> bool:
    return response.status_code == 302 and "/anmelden/" in response.get("Location", "")


def _verdict(name: str, access, user, response) -> str | None:
    """What is wrong with the answer (None if it is what the table expects)."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if access == PUBLIC:
        if status in (401, 403) or (_to_login(response) and name not in PUBLIC_REDIRECTS):
            return f"public by the table, answered {status}"
        if status == 404 and name not in PUBLIC_NOT_FOUND | EXPECTED_NOT_FOUND:
            return "public by the table, answered 404 for its sample"
        return None
    if user is None:
        return None if _to_login(response) else f"got {status}, expected 302 to the login page"
    if not _permitted(access, user):
        return None if status == 403 else f"got {status}, expected 403"
    if name in EXPECTED_NOT_FOUND or (name in OWNER_ONLY and Role.ADMIN not in user.roles):
        return None if status == 404 else f"got {status}, expected 404"
    if status == 200 or (status in (301, 302) and not _to_login(response)):
        return None
    return f"got {status}, expected 200 or a redirect within the staff area"


def test_a_staff_page_that_lets_an_anonymous_visitor_in_is_reported():
    from django.http import HttpResponse

    editors = normalise(URL_ACCESS["consultation:staff_purge"])
    assert _verdict("consultation:staff_purge", editors, None, HttpResponse()) == (
        "got 200, expected 302 to the login page"
    )


def _sample_url(url, samples, problems) -> str | None:
    kwargs = samples.get(url.name, {})
    if url.pattern.pattern.converters and not kwargs:
        problems.append(
            f"{url.name}: no sample kwargs for "
            f"{sorted(url.pattern.pattern.converters)} in sample_kwargs()"
        )
        return None
    return reverse(url.name, kwargs=kwargs) if kwargs else reverse(url.name)


def test_every_url_answers_each_role_as_the_table_says(demo_city, staff_users):
    samples = sample_kwargs()
    visitors = {"anonymous": None, **staff_users}
    problems = []
    checked = 0
    for url in all_urls():
        if url.name is None or url.name not in URL_ACCESS:
            continue  # reported by test_every_view_declares_what_the_access_table_says
        path = _sample_url(url, samples, problems)
        if path is None:
            continue
        access = normalise(URL_ACCESS[url.name])
        for who, user in visitors.items():
            client = Client()  # a fresh session each time: one URL is the logout
            if user is not None:
                client.force_login(user)
            wrong = _verdict(url.name, access, user, _request(client, path))
            checked += 1
            if wrong:
                problems.append(f"{url.name} as {who}: {wrong}")
    assert problems == [], "\n".join(problems)
    assert checked > 7 * 150


def test_every_api_operation_answers_an_anonymous_visitor_as_the_table_says(demo_city):
    samples = sample_kwargs()
    by_path = {urlwalk.api_path(u): u for u in all_urls() if u.namespace == "api"}
    problems = []
    for operation, access in API_ACCESS.items():
        method, path = operation.split(" ", 1)
        url = by_path.get(path)
        if url is None:
            problems.append(f"{operation}: no URL pattern")
            continue
        target = _sample_url(url, samples, problems)
        if target is None:
            continue
        status = _request(Client(), target, method).status_code
        if access == PUBLIC and (status >= 500 or status in (401, 403, 404)):
            problems.append(f"{operation}: public by the table, answered {status}")
        if access != PUBLIC and status not in (401, 403):
            problems.append(f"{operation}: not public by the table, answered {status}")
    assert problems == [], "\n".join(problems)


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
