"""A password chosen by Administration is a first password: its holder changes it before the
staff area opens (the account form says so)."""

from django.test import Client

from leitbild.accounts.models import User
from leitbild.core.models import AuditEntry

FIRST = "vom-admin-vergeben-1"
OWN = "mein-eigenes-passwort-9"


def _create(admin_client) -> User:
    admin_client.post(
        "/verwaltung/benutzer/neu/",
        {
            "email": "nora@stadt.example",
            "name": "Nora Neu",
            "roles": ["moderator"],
            "is_active": "on",
            "password": FIRST,
        },
    )
    return User.objects.get(email="nora@stadt.example")


def test_a_new_account_changes_its_first_password_before_using_the_staff_area(admin_client):
    user = _create(admin_client)
    assert user.must_change_password

    nora = Client()
    login = nora.post("/anmelden/", {"email": "nora@stadt.example", "password": FIRST})
    assert login.status_code == 302 and login["Location"] == "/verwaltung/"
    # Every staff page leads to the password change, and back afterwards.
    for path in ("/verwaltung/", "/beteiligung/verwaltung/", "/verwaltung/konto/"):
        response = nora.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/verwaltung/konto/passwort/?next={path}"
    assert nora.get("/beteiligung/").status_code == 200  # public pages stay open
    page = nora.get("/verwaltung/konto/passwort/?next=/beteiligung/verwaltung/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "erstes Passwort" in html
    assert 'name="next" value="/beteiligung/verwaltung/"' in html

    same = nora.post(
        "/verwaltung/konto/passwort/",
        {"old_password": "falsch", "new_password1": OWN, "new_password2": OWN},
    )
    assert same.status_code == 200  # a wrong old password changes nothing
    assert User.objects.get(pk=user.pk).must_change_password

    changed = nora.post(
        "/verwaltung/konto/passwort/",
        {
            "old_password": FIRST,
            "new_password1": OWN,
            "new_password2": OWN,
            "next": "/beteiligung/verwaltung/",
        },
    )
    assert changed.status_code == 302 and changed["Location"] == "/beteiligung/verwaltung/"
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(OWN)
    assert nora.get("/verwaltung/").status_code == 200  # still signed in, the area is open
    assert AuditEntry.objects.filter(action="user.password_change").count() == 1


def test_the_change_goes_nowhere_outside_the_site(admin_client):
    _create(admin_client)
    nora = Client()
    nora.post("/anmelden/", {"email": "nora@stadt.example", "password": FIRST})
    changed = nora.post(
        "/verwaltung/konto/passwort/",
        {
            "old_password": FIRST,
            "new_password1": OWN,
            "new_password2": OWN,
            "next": "https://elsewhere.example/",
        },
    )
    assert changed["Location"] == "/verwaltung/konto/"


def test_accounts_that_chose_their_own_password_are_not_asked(client, make_user):
    """Demo accounts and those from ``createsuperuser`` chose their own password."""
    from leitbild.accounts import services

    demo = services.user_create(
        actor=None, email="demo@stadt.example", password=FIRST, roles=["editor"]
    )
    assert not demo.must_change_password
    client.force_login(demo)
    assert client.get("/verwaltung/").status_code == 200


def test_django_admin_waits_for_the_change_too(admin_client, make_user):
    admin = User.objects.get(email="admin@stadt.example")
    admin.must_change_password = True
    admin.save(update_fields=["must_change_password"])
    response = admin_client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/verwaltung/konto/passwort/?next=/admin/")
