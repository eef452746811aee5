from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from leitbild.core.models import AuditEntry
from leitbild.participation import services
from leitbild.participation.models import (
    BlockedEmail,
    IdeaSource,
    IdeaStatus,
    Submitter,
    Workshop,
)
from leitbild.participation.spam import email_hash


def test_it_publishes_at_once_under_post_moderation(idea):
    assert idea.status == IdeaStatus.PUBLISHED
    assert idea.is_public
    assert [c.to_status for c in idea.status_changes.all()] == ["submitted", "published"]


def test_it_keeps_ideas_private_under_pre_moderation(make_process, make_idea):
    idea = make_idea(make_process("vorab", moderation="pre"))
    assert idea.status == IdeaStatus.SUBMITTED
    assert idea.published_at is None
    assert not idea.is_public


def test_an_idea_sent_without_altcha_waits_for_moderation_until_approved(
    process, action_fields, moderator
):
    idea = services.idea_submit(
        process=process,
        title="Ohne JavaScript",
        description="Eine Idee aus einem Browser ohne JavaScript.",
        fields=action_fields[:1],
        premoderate=True,
    )
    assert idea.status == IdeaStatus.SUBMITTED and not idea.is_public
    services.idea_approve(actor=moderator, idea=idea)
    idea.refresh_from_db()
    assert idea.is_public


def test_a_comment_sent_without_altcha_waits_for_moderation(idea, moderator):
    comment = services.comment_add(idea=idea, text="Ohne Skript", premoderate=True)
    assert comment.state == comment.State.PENDING
    idea.refresh_from_db()
    assert idea.comment_count == 0
    services.comment_moderate(actor=moderator, comment=comment, visible=True)
    idea.refresh_from_db()
    assert idea.comment_count == 1


def test_it_refuses_visitors_after_the_phase_ended(closed_process, action_fields):
    with pytest.raises(services.NotAllowed, match="nicht geöffnet"):
        services.idea_submit(
            process=closed_process, title="Zu spät", description="x" * 30, fields=action_fields[:1]
        )


def test_staff_may_enter_postcards_after_the_phase(closed_process, action_fields, moderator):
    idea = services.idea_submit(
        process=closed_process,
        title="Von der Postkarte",
        description="Text einer Postkarte",
        fields=action_fields[:2],
        source=IdeaSource.POSTCARD,
        actor=moderator,
    )
    assert idea.is_public and idea.source == IdeaSource.POSTCARD
    assert AuditEntry.objects.filter(action="idea.create", object_id=str(idea.pk)).exists()


def test_visitors_cannot_claim_an_offline_source(process, action_fields):
    with pytest.raises(services.NotAllowed):
        services.idea_submit(
            process=process,
            title="Workshop?",
            description="y" * 30,
            fields=action_fields[:1],
            source=IdeaSource.WORKSHOP,
        )


def test_workshop_ideas_need_a_workshop_of_the_process(process, action_fields, moderator):
    with pytest.raises(ValidationError):
        services.idea_submit(
            process=process,
            title="Aus dem Workshop",
            description="z" * 30,
            fields=action_fields[:1],
            source=IdeaSource.WORKSHOP,
            actor=moderator,
        )
    workshop = Workshop.objects.create(
        process=process,
        title="Wirtschaft",
        held_on=timezone.localdate(),
        stakeholder_group="wirtschaft",
        participant_count=18,
    )
    idea = services.idea_submit(
        process=process,
        title="Aus dem Workshop",
        description="z" * 30,
        fields=action_fields[:1],
        source=IdeaSource.WORKSHOP,
        workshop=workshop,
        actor=moderator,
    )
    assert idea.source_label == "Workshop „Wirtschaft“"


@pytest.mark.parametrize("count", [0, 4])
def test_it_needs_one_to_three_fields(process, action_fields, count):
    with pytest.raises(ValidationError):
        services.idea_submit(
            process=process, title="Felder", description="f" * 30, fields=action_fields[:count]
        )


def test_it_refuses_fields_of_another_strategy(process, action_fields):
    from leitbild.strategy.models import ActionField, Strategy

    other = Strategy.objects.create(title="Andere", slug="andere", edition="2030")
    foreign = ActionField.objects.create(strategy=other, code="X", name="Fremd")
    with pytest.raises(ValidationError):
        services.idea_submit(
            process=process, title="Fremdes Feld", description="f" * 30, fields=[foreign]
        )


def test_it_stores_the_email_only_as_contact_and_asks_for_confirmation(
    process, make_idea, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        idea = make_idea(process, email="Anna@Example.org")
    assert idea.submitter.confirmed_at is None
    assert idea.submitter_email_hash == email_hash("anna@example.org")
    assert len(mailoutbox) == 1
    assert idea.submitter.token in mailoutbox[0].body


def test_blocked_addresses_cannot_submit(process, make_idea):
    BlockedEmail.objects.create(email_hash=email_hash("spam@example.org"))
    with pytest.raises(ValidationError) as exc:
        make_idea(process, email="SPAM@example.org")
    assert "email" in exc.value.error_dict


def test_contacts_are_deleted_after_the_process_and_retention(process, make_idea):
    idea = make_idea(process, email="anna@example.org")
    end = process.phases.get().ends_at
    assert services.contacts_purge_expired(now=end + timedelta(days=89)) == 0
    assert services.contacts_purge_expired(now=end + timedelta(days=90)) == 1
    idea.refresh_from_db()
    assert idea.submitter is None
    assert not Submitter.objects.exists()
    assert idea.submitter_email_hash  # blocking keeps working without the address


def test_confirming_twice_keeps_the_first_time(idea, process, make_idea):
    other = make_idea(process, email="b@example.org")
    first = services.submitter_confirm(token=other.submitter.token)
    again = services.submitter_confirm(token=other.submitter.token)
    assert first.confirmed_at == again.confirmed_at
    assert services.submitter_confirm(token="falsch") is None
