import pytest
from django.core.exceptions import ValidationError

from leitbild.core.models import AuditEntry
from leitbild.participation import services
from leitbild.participation.models import BlockedEmail, Comment, IdeaStatus, Report, Support


@pytest.fixture
def pre_idea(make_process, make_idea):
    return make_idea(make_process("vorab", moderation="pre"), title="Ampel an der Schule")


def test_a_premoderated_idea_rejected_before_publication_is_shown_with_its_reason(
    client, pre_idea, moderator
):
    url = f"/beteiligung/{pre_idea.process.slug}/ideen/{pre_idea.pk}/"
    assert client.get(url).status_code == 404
    services.idea_status_set(
        actor=moderator, idea=pre_idea, status="rejected", reason="Dafür ist das Land zuständig."
    )
    response = client.get(url)
    assert response.status_code == 200
    assert "Dafür ist das Land zuständig." in response.content.decode()
    listed = client.get(f"/beteiligung/{pre_idea.process.slug}/ideen/?status=rejected")
    assert pre_idea.title in listed.content.decode()


def test_moderator_approves_a_premoderated_idea(pre_idea, moderator):
    services.idea_approve(actor=moderator, idea=pre_idea)
    pre_idea.refresh_from_db()
    assert pre_idea.is_public and pre_idea.moderated_at is not None
    assert AuditEntry.objects.filter(action="idea.status.published").exists()


def test_approving_a_postmoderated_idea_marks_it_checked(idea, moderator):
    services.idea_approve(actor=moderator, idea=idea)
    idea.refresh_from_db()
    assert idea.moderated_at is not None and idea.status == IdeaStatus.PUBLISHED
    assert AuditEntry.objects.filter(action="idea.approve").exists()


def test_rejection_needs_a_reason_and_shows_it(idea, moderator):
    with pytest.raises(ValidationError):
        services.idea_status_set(actor=moderator, idea=idea, status=IdeaStatus.REJECTED)
    services.idea_status_set(
        actor=moderator,
        idea=idea,
        status=IdeaStatus.REJECTED,
        reason="Liegt nicht in der Zuständigkeit der Stadt.",
    )
    idea.refresh_from_db()
    assert idea.status_reason.startswith("Liegt nicht")
    assert idea.is_public  # rejected ideas stay visible with their reason
    assert idea.status_changes.last().reason.startswith("Liegt nicht")


def test_it_follows_the_lifecycle(idea, moderator):
    for status in [IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED]:
        services.idea_status_set(actor=moderator, idea=idea, status=status)
    with pytest.raises(ValidationError):
        services.idea_status_set(actor=moderator, idea=idea, status=IdeaStatus.PUBLISHED)


def test_removing_before_publication_keeps_the_idea_private(pre_idea, moderator):
    """Advertising and spam are removed, not rejected: a rejection is public with its reason."""
    services.idea_status_set(
        actor=moderator, idea=pre_idea, status=IdeaStatus.REMOVED, reason="Werbung"
    )
    pre_idea.refresh_from_db()
    assert not pre_idea.is_public


def test_removed_ideas_leave_the_public_list(idea, moderator):
    services.idea_status_set(actor=moderator, idea=idea, status=IdeaStatus.REMOVED, reason="Spam")
    idea.refresh_from_db()
    assert not idea.is_public


def test_edit_is_marked_and_audited(idea, moderator, action_fields):
    services.idea_edit(
        actor=moderator,
        idea=idea,
        title="Neuer Titel",
        description="Neu " * 10,
        fields=action_fields[1:3],
        note="Telefonnummer entfernt",
    )
    idea.refresh_from_db()
    assert idea.edited_by_moderation_at is not None
    assert idea.moderation_note == "Telefonnummer entfernt"
    entry = AuditEntry.objects.get(action="idea.edit")
    assert entry.before["title"] == "Mehr Fahrradbügel am Bahnhof"
    assert entry.after["fields"] == sorted(f.pk for f in action_fields[1:3])


def test_merge_moves_supports_and_comments_without_double_counting(process, make_idea, moderator):
    kept = make_idea(process, title="Radweg an der Hauptstraße")
    duplicate = make_idea(process, title="Radweg Hauptstraße bitte")
    for visitor in ["a", "b"]:
        services.idea_support(idea=kept, visitor=visitor)
    for visitor in ["b", "c", "d"]:
        services.idea_support(idea=duplicate, visitor=visitor)
    comment = services.comment_add(idea=duplicate, text="Unbedingt!")
    services.comment_add(idea=duplicate, text="Genau", parent=comment)
    services.idea_merge(actor=moderator, idea=duplicate, into=kept)
    kept.refresh_from_db()
    duplicate.refresh_from_db()
    assert kept.support_count == 4  # a, b, c, d: b counted once
    assert kept.comment_count == 2
    assert Support.objects.filter(idea=kept).count() == 4
    assert Comment.objects.filter(idea=kept).count() == 2
    assert duplicate.merged_into == kept and not duplicate.is_public
    assert duplicate.support_count == 0
    assert AuditEntry.objects.filter(action="idea.merge").exists()


def test_a_merge_entered_later_is_dated_when_it_was_decided(process, make_idea, moderator):
    import datetime

    from leitbild.participation.models import IdeaStatusChange

    kept, duplicate = make_idea(process), make_idea(process)
    decided = datetime.datetime(2023, 11, 20, 10, 0, tzinfo=datetime.UTC)
    services.idea_merge(actor=moderator, idea=duplicate, into=kept, now=decided)
    duplicate.refresh_from_db()
    assert duplicate.moderated_at == decided
    assert IdeaStatusChange.objects.filter(idea=duplicate).latest("pk").at == decided


def test_merge_refuses_itself_and_other_processes(process, make_process, make_idea, moderator):
    one = make_idea(process)
    other = make_idea(make_process("anders"))
    with pytest.raises(ValidationError):
        services.idea_merge(actor=moderator, idea=one, into=one)
    with pytest.raises(ValidationError):
        services.idea_merge(actor=moderator, idea=one, into=other)


def test_merged_idea_redirects_permanently_to_the_kept_one(client, process, make_idea, moderator):
    kept = make_idea(process, title="Behalten")
    gone = make_idea(process, title="Doppelt")
    services.idea_merge(actor=moderator, idea=gone, into=kept)
    response = client.get(f"/beteiligung/{process.slug}/ideen/{gone.pk}/")
    assert response.status_code == 301
    assert response["Location"] == f"/beteiligung/{process.slug}/ideen/{kept.pk}/"


def test_hiding_a_comment_lowers_the_count(idea, moderator):
    comment = services.comment_add(idea=idea, text="Unsinn")
    services.comment_moderate(actor=moderator, comment=comment, visible=False, reason="off")
    idea.refresh_from_db()
    assert idea.comment_count == 0
    assert AuditEntry.objects.filter(action="comment.hide").exists()


def test_hiding_a_comment_takes_its_replies_out_of_the_count(client, idea, moderator):
    top = services.comment_add(idea=idea, text="Unsinn")
    services.comment_add(idea=idea, text="Antwort eins", parent=top)
    services.comment_add(idea=idea, text="Antwort zwei", parent=top)
    services.comment_add(idea=idea, text="Ein anderer Kommentar")
    idea.refresh_from_db()
    assert idea.comment_count == 4
    services.comment_moderate(actor=moderator, comment=top, visible=False, reason="off")
    idea.refresh_from_db()
    assert idea.comment_count == 1
    page = client.get(f"/beteiligung/{idea.process.slug}/ideen/").content.decode()
    assert "1 Kommentar" in page and "4 Kommentare" not in page
    services.comment_moderate(actor=moderator, comment=top, visible=True)
    idea.refresh_from_db()
    assert idea.comment_count == 4


def test_premoderated_comments_wait_and_count_after_approval(pre_idea, moderator):
    services.idea_approve(actor=moderator, idea=pre_idea)
    pre_idea.refresh_from_db()
    comment = services.comment_add(idea=pre_idea, text="Gute Idee")
    assert comment.state == Comment.State.PENDING
    pre_idea.refresh_from_db()
    assert pre_idea.comment_count == 0
    services.comment_moderate(actor=moderator, comment=comment, visible=True)
    pre_idea.refresh_from_db()
    assert pre_idea.comment_count == 1


def test_replies_go_one_level_deep(idea):
    top = services.comment_add(idea=idea, text="Oben")
    reply = services.comment_add(idea=idea, text="Antwort", parent=top)
    with pytest.raises(ValidationError):
        services.comment_add(idea=idea, text="Antwort auf Antwort", parent=reply)


def test_reports_are_resolved_with_audit(idea, moderator):
    report = services.report_create(idea=idea, reason=Report.Reason.SPAM, text="Werbung")
    services.report_resolve(actor=moderator, report=report, resolution="geprüft, in Ordnung")
    report.refresh_from_db()
    assert report.resolved_by == moderator
    assert AuditEntry.objects.filter(action="report.resolve").exists()


def test_blocking_the_submitters_address(process, make_idea, moderator):
    idea = make_idea(process, email="troll@example.org")
    services.email_block(actor=moderator, idea=idea, note="wiederholt Spam")
    assert BlockedEmail.objects.count() == 1
    entry = AuditEntry.objects.get(action="email.block")
    assert "troll" not in str(entry.after) and "troll" not in entry.object_repr
    with pytest.raises(ValidationError):
        make_idea(process, email="troll@example.org")
