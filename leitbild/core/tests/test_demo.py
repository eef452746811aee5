import pytest
from django.core.management import call_command

from leitbild.accounts.demo import DEMO_PASSWORD
from leitbild.accounts.models import User
from leitbild.core.demo import demo_load
from leitbild.core.models import AuditEntry, Page
from leitbild.core.roles import Role


def test_the_demo_has_a_login_for_every_role(db):
    logins = demo_load()
    assert {label for _email, _password, labels in logins for label in labels} == {
        str(role.label) for role in Role
    }
    for role in Role:
        for user in User.objects.filter(role_assignments__role=role):
            assert user.check_password(DEMO_PASSWORD)


def test_loading_the_demo_twice_changes_nothing(db):
    demo_load()
    counts = (User.objects.count(), Page.objects.count())
    demo_load()
    assert (User.objects.count(), Page.objects.count()) == counts


def test_every_page_says_that_it_shows_demo_data(client, db):
    demo_load()
    assert "Musterstadt ist eine erfundene Stadt" in client.get("/").content.decode()


@pytest.fixture
def no_site_url(monkeypatch, settings):
    """SITE_URL not set, as on a fresh machine; what the demo command sets is undone after."""
    monkeypatch.delenv("SITE_URL", raising=False)
    settings.SITE_URL = "http://127.0.0.1:8000"


def test_the_demo_command_prints_the_url_and_the_logins(db, capsys, no_site_url):
    call_command("demo", "--no-serve", "--port", "8123")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8123/" in out
    for role in Role:
        assert str(role.label) in out
    assert "admin@musterstadt.example" in out


def test_the_demo_command_never_serves_with_debug_pages(db, monkeypatch, settings, no_site_url):
    settings.LEITBILD_ENV = "development"
    started = {}

    class Started(Exception):
        pass

    def execve(path, argv, env):
        started.update(argv=argv, env=env)
        raise Started

    monkeypatch.setattr("os.execve", execve)
    with pytest.raises(Started):
        call_command("demo", "--port", "8123")
    assert started["env"]["LEITBILD_ENV"] == "demo"
    assert started["env"]["SITE_URL"] == "http://127.0.0.1:8123"
    assert started["argv"][-5:] == ["demo", "--port", "8123", "--host", "127.0.0.1"]


def test_the_demo_sets_site_url_from_its_port_so_letters_point_to_it(db, no_site_url):
    import os

    from django.conf import settings

    call_command("demo", "--no-serve", "--port", "8080")
    assert os.environ["SITE_URL"] == settings.SITE_URL == "http://127.0.0.1:8080"


def test_an_explicit_site_url_wins_over_the_demo_port(db, monkeypatch, settings, capsys):
    monkeypatch.setenv("SITE_URL", "https://beteiligung.musterstadt.example")
    settings.SITE_URL = "https://beteiligung.musterstadt.example"
    call_command("demo", "--no-serve", "--port", "8080")
    assert settings.SITE_URL == "https://beteiligung.musterstadt.example"
    assert "https://beteiligung.musterstadt.example/" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8080"),
        ("0.0.0.0", "http://127.0.0.1:8080"),
        ("::", "http://127.0.0.1:8080"),
        ("::1", "http://[::1]:8080"),
        ("demo.local", "http://demo.local:8080"),
    ],
)
def test_the_demo_address_is_one_a_browser_can_open(host, url):
    from leitbild.core.management.commands.demo import demo_site_url

    assert demo_site_url(host, 8080) == url


def test_the_demo_signs_letters_with_the_unit_of_its_impressum(db, settings):
    from leitbild.core.selectors import site_letter_sender

    for field in ("DEPARTMENT", "ADDRESS", "EMAIL", "PHONE"):
        setattr(settings, f"LEITBILD_LETTER_{field}", "")  # not set on this machine
    demo_load()
    sender = site_letter_sender()
    impressum = Page.objects.get(slug="impressum").body
    assert sender["department"] == "Stabsstelle Digitalisierung und Smart City"
    for value in (sender["department"], sender["email"], sender["phone"], "Rathausplatz 1"):
        assert value in impressum
    assert AuditEntry.objects.filter(action="site.letter_sender").count() == 1
    demo_load()
    assert AuditEntry.objects.filter(action="site.letter_sender").count() == 1


def test_a_configured_sender_wins_over_the_site_setting(db, settings):
    from leitbild.core.selectors import site_letter_sender
    from leitbild.core.services import site_letter_sender_set

    site_letter_sender_set(actor=None, department="Stabsstelle", email="a@example.org")
    settings.LEITBILD_LETTER_EMAIL = "digital@wolfsburg.example"
    assert site_letter_sender() == {
        "department": "Stabsstelle",
        "address": "",
        "email": "digital@wolfsburg.example",
        "phone": "",
    }
