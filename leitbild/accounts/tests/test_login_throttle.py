"""Failed staff logins are limited per client and per account, for the TOTP step too."""

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from leitbild.core.roles import Role

PASSWORD = "geheim-und-lang-1"
THROTTLED = "Zu viele fehlgeschlagene Anmeldeversuche"


def _client(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_after_ten_failures_even_the_right_password_waits(make_user, settings):
    make_user("rita@stadt.example", roles=[Role.EDITOR])
    client = _client("203.0.113.7")
    for _ in range(10):
        page = client.post("/anmelden/", {"email": "rita@stadt.example", "password": "falsch"})
        assert "nicht richtig" in page.content.decode()
    page = client.post("/anmelden/", {"email": "rita@stadt.example", "password": PASSWORD})
    assert page.status_code == 200 and THROTTLED in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_guessing_one_account_from_many_addresses_is_limited(make_user):
    make_user("rita@stadt.example", roles=[Role.EDITOR])
    for n in range(10):
        _client(f"198.51.100.{n}").post(
            "/anmelden/", {"email": "Rita@stadt.example", "password": f"falsch-{n}"}
        )
    page = _client("198.51.100.99").post(
        "/anmelden/", {"email": "rita@stadt.example", "password": PASSWORD}
    )
    assert THROTTLED in page.content.decode()


def test_guessing_many_accounts_from_one_address_is_limited(make_user):
    make_user("rita@stadt.example", roles=[Role.EDITOR])
    client = _client("203.0.113.9")
    for n in range(10):
        client.post("/anmelden/", {"email": f"niemand-{n}@stadt.example", "password": "x"})
    page = client.post("/anmelden/", {"email": "rita@stadt.example", "password": PASSWORD})
    assert THROTTLED in page.content.decode()
    # Someone else, elsewhere, still logs in.
    other = _client("203.0.113.10")
    assert (
        other.post("/anmelden/", {"email": "rita@stadt.example", "password": PASSWORD}).status_code
        == 302
    )


def test_the_totp_step_is_limited_too(make_user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # only our limit, not django-otp's back-off
    user = make_user("rita@stadt.example", roles=[Role.EDITOR])
    device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    right = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    wrong = "000000" if right != "000000" else "111111"
    client = _client("203.0.113.7")
    client.post("/anmelden/", {"email": "rita@stadt.example", "password": PASSWORD})
    for _ in range(10):
        assert "nicht gültig" in client.post("/anmelden/code/", {"token": wrong}).content.decode()
    page = client.post("/anmelden/code/", {"token": right})
    assert THROTTLED in page.content.decode()
    assert "_auth_user_id" not in client.session
