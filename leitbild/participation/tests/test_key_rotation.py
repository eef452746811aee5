"""After SECRET_KEY is rotated (the old key in SECRET_KEY_FALLBACKS) nobody supports an idea
twice, by browser or by e-mail, and a blocked address stays blocked."""

import pytest
from django.core.exceptions import ValidationError

from leitbild.participation import selectors, services
from leitbild.participation.models import Support

OLD_KEY = "der-alte-schluessel-" + "x" * 40
NEW_KEY = "der-neue-schluessel-" + "y" * 40


@pytest.fixture
def rotate(settings):
    settings.SECRET_KEY = OLD_KEY
    settings.SECRET_KEY_FALLBACKS = []

    def do():
        settings.SECRET_KEY = NEW_KEY
        settings.SECRET_KEY_FALLBACKS = [OLD_KEY]

    return do


def _support_url(idea) -> str:
    return f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/unterstuetzen/"


def test_a_browser_supports_once_across_the_rotation(client, idea, rotate):
    client.post(_support_url(idea))
    rotate()
    page = client.get(f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/")
    assert "Sie unterstützen diese Idee." in page.content.decode()
    client.post(_support_url(idea))
    idea.refresh_from_db()
    assert idea.support_count == 1 and Support.objects.count() == 1


def test_an_email_address_supports_once_across_the_rotation(
    client, make_process, make_idea, rotate, mailoutbox, django_capture_on_commit_callbacks
):
    process = make_process("mit-mail", support_requires_verified_email=True)
    idea = make_idea(process)

    def support_by_mail():
        with django_capture_on_commit_callbacks(execute=True):  # the e-mail is queued on commit
            client.post(
                f"/beteiligung/{process.slug}/ideen/{idea.pk}/unterstuetzen/per-e-mail/",
                {"email": "eva@example.org"},
            )
        link = next(line for line in mailoutbox[-1].body.splitlines() if "/unterstuetzung/" in line)
        client.post(link[link.index("/beteiligung/") :])

    support_by_mail()
    rotate()
    support_by_mail()
    idea.refresh_from_db()
    assert len(mailoutbox) == 2
    assert idea.support_count == 1 and Support.objects.count() == 1


def test_a_blocked_address_stays_blocked_after_the_rotation(process, make_idea, moderator, rotate):
    idea = make_idea(process, email="spam@example.org")
    services.email_block(actor=moderator, idea=idea)
    rotate()
    with pytest.raises(ValidationError):
        make_idea(process, title="Noch eine Idee von dort", email=" SPAM@example.org")


def test_new_supports_are_stored_under_the_current_key(idea, rotate):
    from leitbild.participation import spam

    rotate()
    token = "ein-browser-token-der-neu-ist"
    assert selectors.support_visitor(idea=idea, token=token) == spam.visitor_hash(token)
