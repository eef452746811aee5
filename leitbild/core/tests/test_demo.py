import pytest
from django.core.management import call_command

from leitbild.accounts.demo import DEMO_PASSWORD
from leitbild.accounts.models import User
from leitbild.core.demo import demo_load
from leitbild.core.models import Page
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


def test_the_demo_command_prints_the_url_and_the_logins(db, capsys):
    call_command("demo", "--no-serve", "--port", "8123")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8123/" in out
    for role in Role:
        assert str(role.label) in out
    assert "admin@musterstadt.example" in out


def test_the_demo_command_never_serves_with_debug_pages(db, monkeypatch, settings):
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
    assert started["argv"][-5:] == ["demo", "--port", "8123", "--host", "127.0.0.1"]
