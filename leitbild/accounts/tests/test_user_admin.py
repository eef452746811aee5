from leitbild.accounts.models import User
from leitbild.core.models import AuditEntry
from leitbild.core.roles import Role


def test_administration_creates_an_account_with_roles(admin_client):
    response = admin_client.post(
        "/verwaltung/benutzer/neu/",
        {
            "email": "Neu@Stadt.example",
            "name": "Nora Neu",
            "roles": ["editor", "moderator"],
            "is_active": "on",
            "password": "ein-sehr-langes-passwort",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="neu@stadt.example")
    assert user.roles == {"editor", "moderator"}
    assert user.check_password("ein-sehr-langes-passwort")
    entry = AuditEntry.objects.get(action="user.create")
    assert "passwort" not in str(entry.after).lower()


def test_a_weak_password_and_a_taken_address_are_refused_next_to_the_field(admin_client):
    response = admin_client.post(
        "/verwaltung/benutzer/neu/",
        {"email": "admin@stadt.example", "name": "Doppelt", "password": "kurz"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Für diese E-Mail-Adresse gibt es schon ein Konto." in html
    assert 'id="id_password_error"' in html
    assert 'value="Doppelt"' in html
    assert User.objects.count() == 1


def test_administration_changes_roles_and_blocks_an_account(admin_client, make_user):
    person = make_user("rita@stadt.example", roles=[Role.EDITOR])
    response = admin_client.post(
        f"/verwaltung/benutzer/{person.pk}/", {"name": "Rita", "roles": ["assessor"]}
    )
    assert response.status_code == 302
    person = User.objects.get(pk=person.pk)
    assert person.roles == {"assessor"}
    assert not person.is_active
    entry = AuditEntry.objects.get(action="user.update")
    assert entry.before["roles"] == ["editor"] and entry.after["roles"] == ["assessor"]


def test_administration_cannot_lock_itself_out(client, make_user):
    admin = make_user("chefin@stadt.example", roles=[Role.ADMIN])
    client.force_login(admin)
    response = client.post(
        f"/verwaltung/benutzer/{admin.pk}/",
        {"name": "Chefin", "roles": ["editor"], "is_active": "on"},
    )
    assert response.status_code == 200
    assert "nicht selbst die Administration entziehen" in response.content.decode()
    assert Role.ADMIN in User.objects.get(pk=admin.pk).roles
