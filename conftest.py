"""Shared test fixtures: a user per staff role, logged-in clients, a clean cache."""

import pytest
from django.core.cache import cache

from leitbild.core.roles import Role


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings, request):
    # Argon2 is deliberately slow; only the tests about password storage need it.
    if "argon2" not in request.node.name:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LEITBILD_PRIVATE_DIR = tmp_path / "private"


@pytest.fixture
def make_user(db):
    from leitbild.accounts.models import RoleAssignment, User

    def make(email: str = "person@stadt.example", roles=(), password: str = "geheim-und-lang-1"):
        user = User.objects.create_user(email=email, password=password, name=email.split("@")[0])
        for role in roles:
            RoleAssignment.objects.create(user=user, role=role)
        return user

    return make


@pytest.fixture
def staff_users(make_user):
    """One user for each role, plus a staff account without any role."""
    users = {role.value: make_user(f"{role.value}@stadt.example", roles=[role]) for role in Role}
    users["no_role"] = make_user("ohne-rolle@stadt.example")
    return users


@pytest.fixture
def client_for(client, staff_users):
    def login_as(role: str):
        client.force_login(staff_users[role])
        return client

    return login_as


@pytest.fixture
def editor_client(client, make_user):
    client.force_login(make_user("redaktion@stadt.example", roles=[Role.EDITOR]))
    return client


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("admin@stadt.example", roles=[Role.ADMIN]))
    return client
