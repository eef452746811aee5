import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from leitbild.participation.models import IdeaStatus
from leitbild.participation.services import submitter_confirm
from leitbild.portfolio import services


def test_linking_ideas_takes_them_up_and_mails_their_submitters(
    project, make_idea, editor, django_capture_on_commit_callbacks
):
    first = make_idea("Freie Parkplätze anzeigen", email="anna@example.org")
    second = make_idea("Parksensoren", email="ben@example.org")
    for idea in (first, second):
        submitter_confirm(token=idea.submitter.token)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.project_ideas_link(actor=editor, project=project, ideas=[first, second])
    first.refresh_from_db()
    assert first.status == IdeaStatus.ACCEPTED
    assert "Digitale Parkraumsteuerung" in first.status_reason
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org", "ben@example.org"]
    assert project.ideas.count() == 2
    # Linking again changes nothing and sends nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.project_ideas_link(actor=editor, project=project, ideas=[first]) == []
    assert mail.outbox == []


def test_ideas_of_another_strategy_are_refused(project, make_idea):
    from leitbild.participation.models import Process
    from leitbild.strategy.tests.factories import StrategyFactory

    idea = make_idea()
    idea.process = Process.objects.create(strategy=StrategyFactory(), title="x", slug="x")
    idea.save()
    with pytest.raises(ValidationError) as exc:
        services.project_ideas_link(actor=None, project=project, ideas=[idea])
    assert "ideas" in exc.value.message_dict
    assert not project.ideas.exists()


def test_a_removed_idea_cannot_be_linked(project, make_idea):
    from leitbild.participation.services import idea_status_set

    idea = idea_status_set(actor=None, idea=make_idea(), status=IdeaStatus.REMOVED, reason="Spam")
    with pytest.raises(ValidationError):
        services.project_ideas_link(actor=None, project=project, ideas=[idea])
