import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from leitbild.core.roles import Role

PASSWORD = "geheim-und-lang-1"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_staff_log_in_with_email_and_password(client, make_user):
    make_user("rita@stadt.example", roles=[Role.EDITOR])
    response = client.post("/anmelden/", {"email": "Rita@Stadt.example", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/verwaltung/"
    assert client.get("/verwaltung/").status_code == 200


def test_passwords_are_stored_with_argon2(make_user):
    user = make_user("rita@stadt.example")
    assert user.password.startswith("argon2")


def test_a_wrong_password_gets_one_message_that_reveals_nothing(client, make_user):
    make_user("rita@stadt.example")
    wrong_password = client.post("/anmelden/", {"email": "rita@stadt.example", "password": "x"})
    unknown = client.post("/anmelden/", {"email": "niemand@stadt.example", "password": "x"})
    message = "E-Mail-Adresse oder Passwort sind nicht richtig."
    assert message in wrong_password.content.decode()
    assert message in unknown.content.decode()
    assert 'value="rita@stadt.example"' in wrong_password.content.decode()


def test_an_inactive_account_cannot_log_in(client, make_user):
    user = make_user("ex@stadt.example")
    user.is_active = False
    user.save()
    response = client.post("/anmelden/", {"email": "ex@stadt.example", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_does_not_redirect_to_other_sites(client, make_user):
    make_user("rita@stadt.example", roles=[Role.EDITOR])
    response = client.post(
        "/anmelden/",
        {"email": "rita@stadt.example", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/verwaltung/"


def test_a_second_factor_is_asked_for_when_set_up(client, make_user):
    user = make_user("rita@stadt.example", roles=[Role.EDITOR])
    device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    response = client.post("/anmelden/", {"email": "rita@stadt.example", "password": PASSWORD})
    assert response["Location"] == "/anmelden/code/"
    assert "_auth_user_id" not in client.session
    right = client.post("/anmelden/code/", {"token": _code(device)})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/verwaltung/").status_code == 200


def test_a_wrong_code_is_refused_and_repeated_guessing_is_slowed_down(client, make_user):
    user = make_user("rita@stadt.example", roles=[Role.EDITOR])
    device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    client.post("/anmelden/", {"email": "rita@stadt.example", "password": PASSWORD})
    wrong = "000000" if _code(device) != "000000" else "111111"
    first = client.post("/anmelden/code/", {"token": wrong})
    assert "Der Code ist nicht gültig" in first.content.decode()
    # Even the right code is refused right after a failure: django-otp throttles guessing.
    second = client.post("/anmelden/code/", {"token": _code(device)})
    assert "Zu viele Versuche" in second.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_set_up_and_remove_the_second_factor(client, make_user):
    from leitbild.core.models import AuditEntry

    user = make_user("rita@stadt.example", roles=[Role.EDITOR])
    client.force_login(user)
    page = client.get("/verwaltung/konto/zwei-faktor/")
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    good = client.post("/verwaltung/konto/zwei-faktor/", {"token": _code(device)})
    assert good.status_code == 302
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    client.post("/verwaltung/konto/zwei-faktor/aus/")
    assert not TOTPDevice.objects.filter(user=user).exists()
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "user.totp_enable" in actions and "user.totp_disable" in actions


def test_a_wrong_code_does_not_set_up_the_second_factor(client, make_user):
    user = make_user("rita@stadt.example", roles=[Role.EDITOR])
    client.force_login(user)
    client.get("/verwaltung/konto/zwei-faktor/")
    response = client.post("/verwaltung/konto/zwei-faktor/", {"token": "12345a"})
    assert response.status_code == 200
    assert "Der Code passt nicht" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_logout_needs_a_post_and_ends_the_session(client, make_user):
    client.force_login(make_user("rita@stadt.example", roles=[Role.EDITOR]))
    assert client.get("/abmelden/").status_code == 405
    client.post("/abmelden/")
    assert client.get("/verwaltung/").status_code == 302


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_role_reaches_the_staff_home(client_for, role):
    assert client_for(role).get("/verwaltung/").status_code == 200


def test_staff_without_a_role_are_refused(client_for):
    assert client_for("no_role").get("/verwaltung/").status_code == 403


def test_administration_holds_every_role(staff_users):
    from leitbild.core.roles import has_role

    admin = staff_users["admin"]
    assert all(has_role(admin, role) for role in Role)
    assert not has_role(staff_users["editor"], Role.MODERATOR)


def test_changing_the_password_is_audited_without_the_password(client, make_user):
    from leitbild.core.models import AuditEntry

    user = make_user("rita@stadt.example", roles=[Role.EDITOR])
    client.force_login(user)
    response = client.post(
        "/verwaltung/konto/passwort/",
        {
            "old_password": PASSWORD,
            "new_password1": "ein-ganz-neues-passwort-2026",
            "new_password2": "ein-ganz-neues-passwort-2026",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="user.password_change")
    assert entry.actor == user
    assert "ein-ganz-neues" not in str(entry.before) + str(entry.after)
