"""This app's part of the project-wide URL walk (core/tests/test_url_access.py): every view
declares its access, and answers each role as declared, with the demo city's data."""

import pytest
from django.test import Client
from django.urls import reverse

from leitbild.accounts.roles import Role
from leitbild.core.tests.test_url_access import _access, all_url_patterns

from .url_samples import consultation_samples

# Public pages that answer 404 for the sample (a link token that cannot exist, a phase whose
# mode is not e-mail or OIDC) or 405 for a GET (forms posted from another page).
PUBLIC_NOT_FOUND = {"consultation:email_confirm", "consultation:email_request",
                    "consultation:oidc_start"}


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.LEITBILD_PRIVATE_DIR = tmp_path / "private"
    from leitbild.core.demo import demo_load

    demo_load()


def _ours():
    return [(ns, p) for ns, p in all_url_patterns() if ns == "consultation"]


def test_every_view_declares_who_may_use_it():
    assert [p.name for ns, p in _ours() if _access(p, ns) is None] == []


def test_every_url_answers_each_role_as_declared(demo, staff_users):
    samples = consultation_samples()
    problems = []
    for ns, pattern in _ours():
        name = f"{ns}:{pattern.name}"
        kwargs = samples.get(name, {})
        if pattern.pattern.converters and not kwargs:
            problems.append(f"{name}: no sample")
            continue
        url = reverse(name, kwargs=kwargs)
        kind, roles = _access(pattern, ns)
        for who, user in {"anonymous": None, **staff_users}.items():
            client = Client()
            if user is not None:
                client.force_login(user)
            response = client.get(url)
            if response.status_code == 405:
                response = client.post(url)
            status = response.status_code
            if status >= 500:
                problems.append(f"{name} as {who}: {status}")
            elif kind == "public":
                if status in (401, 403) or (status == 302 and "/anmelden/" in
                                            response.get("Location", "")):
                    problems.append(f"{name} as {who}: public view answered {status}")
                if status == 404 and name not in PUBLIC_NOT_FOUND:
                    problems.append(f"{name} as {who}: 404")
            elif user is None:
                if not (status == 302 and "/anmelden/" in response["Location"]):
                    problems.append(f"{name} as anonymous: {status}")
            elif Role.ADMIN in user.roles or any(r in user.roles for r in roles):
                if status not in (200, 301, 302):
                    problems.append(f"{name} as {who}: {status}")
            elif status != 403:
                problems.append(f"{name} as {who}: {status}, expected 403")
    assert problems == [], "\n".join(problems)
