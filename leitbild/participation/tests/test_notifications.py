import pytest

from leitbild.participation import services, tasks
from leitbild.participation.models import IdeaStatus


@pytest.fixture
def confirmed_idea(process, make_idea):
    idea = make_idea(process, email="anna@example.org")
    services.submitter_confirm(token=idea.submitter.token)
    return idea


def test_submitters_hear_of_every_status_change(
    confirmed_idea, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_status_set(actor=moderator, idea=confirmed_idea, status=IdeaStatus.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_status_set(
            actor=moderator,
            idea=confirmed_idea,
            status=IdeaStatus.REJECTED,
            reason="Zu teuer für die Stadt.",
        )
    assert [m.to for m in mailoutbox] == [["anna@example.org"]] * 2
    assert "in Prüfung" in mailoutbox[0].body
    assert "nicht aufgenommen" in mailoutbox[1].body and "Zu teuer" in mailoutbox[1].body
    assert f"/ideen/{confirmed_idea.pk}/" in mailoutbox[1].body
    assert all(c.notified_at for c in confirmed_idea.status_changes.filter(by=moderator))


def test_unconfirmed_addresses_get_nothing(
    process, make_idea, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    idea = make_idea(process, email="b@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_status_set(actor=moderator, idea=idea, status=IdeaStatus.ACCEPTED)
    assert mailoutbox == []


def test_the_task_sends_once(
    confirmed_idea, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    services.idea_status_set(actor=moderator, idea=confirmed_idea, status=IdeaStatus.ACCEPTED)
    change = confirmed_idea.status_changes.last()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.notify_status_change.call(change.pk) is True
        assert tasks.notify_status_change.call(change.pk) is False
    assert len(mailoutbox) == 1


def test_merging_tells_the_submitter_where_the_idea_went(
    process, make_idea, confirmed_idea, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    kept = make_idea(process, title="Die bleibende Idee")
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_merge(actor=moderator, idea=confirmed_idea, into=kept)
    assert "zusammengeführt" in mailoutbox[0].body
    assert f"/ideen/{kept.pk}/" in mailoutbox[0].body


def test_the_task_reads_the_address_from_the_database_not_its_arguments(
    confirmed_idea, moderator, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        services.idea_status_set(actor=moderator, idea=confirmed_idea, status=IdeaStatus.IN_REVIEW)
    stored = list(DBTaskResult.objects.values_list("args_kwargs", flat=True))
    assert stored and "anna@example.org" not in str(stored)
