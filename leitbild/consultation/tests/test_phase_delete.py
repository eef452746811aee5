"""Weighting and survey phases belong to consultation: the idea call's pages cannot delete
them or change their kind; the Strategie-Redaktion deletes them here, after archiving the
results, with the identities and code files, audited with counts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from leitbild.consultation import archive, services
from leitbild.consultation.models import (
    Ballot,
    CodeBatch,
    EmailIdentity,
    Participation,
    ParticipationCode,
    PendingBallot,
    ResultsArchive,
    SurveyResponse,
    Weighting,
)
from leitbild.core.errors import Conflict
from leitbild.core.models import AuditEntry
from leitbild.core.roles import Role
from leitbild.participation import services as idea_call
from leitbild.participation.models import Phase

from .conftest import close, stored_ballots


@pytest.fixture
def voted(make_weighting, fields, cast):
    """A weighting with codes (a CSV file on disk), three ballots cast with codes and an
    e-mail confirmation, ended."""
    weighting = make_weighting("pick", mode="codes", minimum_group_size=2)
    batch = services.codes_generate(actor=None, phase=weighting.phase, count=6)
    for code in services.batch_codes(batch)[:3]:
        cast(weighting, [fields[0].pk, fields[1].pk], code=code, identity_hash="")
    services.email_identity_request(phase=weighting.phase, email="ada@example.org")
    close(weighting.phase)
    return weighting, batch


@pytest.fixture
def moderator(make_user):
    return make_user("moderation@stadt.example", roles=[Role.MODERATOR])


# --- The idea call's phase pages ---------------------------------------------------------------
def test_the_idea_call_cannot_delete_a_weighting_phase(voted, moderator):
    weighting, _batch = voted
    with pytest.raises(ValidationError, match="Strategie-Redaktion"):
        idea_call.phase_delete(actor=moderator, phase=weighting.phase)
    assert Phase.objects.filter(pk=weighting.phase_id).exists()
    assert len(stored_ballots()) == 3
    assert not AuditEntry.objects.filter(action="phase.delete").exists()


def test_the_idea_call_cannot_change_the_kind_of_a_survey_phase(make_survey, moderator):
    survey = make_survey()
    phase = survey.phase
    with pytest.raises(ValidationError) as refused:
        idea_call.phase_save(
            actor=moderator,
            process=phase.process,
            phase=phase,
            kind=Phase.Kind.IDEAS,
            title="Ideen",
            description="",
            starts_at=phase.starts_at,
            ends_at=phase.ends_at,
        )
    assert "kind" in refused.value.message_dict
    phase.refresh_from_db()
    assert (phase.kind, phase.title) == (Phase.Kind.SURVEY, "Phase 1")


def test_the_idea_call_page_refuses_with_a_message_and_changes_nothing(voted, client, moderator):
    weighting, batch = voted
    phase = weighting.phase
    client.force_login(moderator)
    url = reverse("participation:staff_phase_edit", args=[phase.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="loeschen"' not in page.content.decode()
    assert "Strategie-Redaktion" in page.content.decode()

    refused = client.post(url, {"loeschen": "1"}, follow=True)
    assert refused.status_code == 200
    assert "Strategie-Redaktion" in refused.content.decode()
    local = timezone.localtime
    client.post(
        url,
        {
            "kind": "ideas",
            "title": "Umbenannt",
            "description": "",
            "starts_at": local(phase.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": local(phase.ends_at).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    phase.refresh_from_db()
    assert (phase.kind, phase.title) == (Phase.Kind.WEIGHTING, "Umbenannt")  # kind disabled
    assert len(stored_ballots()) == 3
    assert ParticipationCode.objects.count() == 6
    assert services.batch_file(batch, "csv").exists()


def test_the_idea_call_still_deletes_its_own_phases(make_phase, moderator):
    phase = make_phase("ideas")
    idea_call.phase_delete(actor=moderator, phase=phase)
    assert not Phase.objects.filter(pk=phase.pk).exists()


# --- Deleting in consultation ------------------------------------------------------------------
def test_deleting_refuses_while_ballots_are_not_archived(voted, editor):
    weighting, batch = voted
    with pytest.raises(ValidationError, match="Archivieren Sie zuerst"):
        archive.consultation_phase_delete(actor=editor, phase=weighting.phase)
    assert len(stored_ballots()) == 3
    assert Participation.objects.count() == 3
    assert services.batch_file(batch, "csv").exists()


def test_deleting_refuses_when_ballots_arrived_after_the_archive(voted, editor):
    weighting, _batch = voted
    archive.results_archive(actor=editor, phase=weighting.phase)
    late = Ballot.objects.first()
    Ballot.objects.create(weighting=weighting, choices=late.choices, vector=late.vector)
    with pytest.raises(ValidationError, match="erneut"):
        archive.consultation_phase_delete(actor=editor, phase=weighting.phase)
    assert Ballot.objects.count() == 4


def test_results_of_an_open_phase_are_not_archived(make_weighting, editor):
    weighting = make_weighting("pick")
    with pytest.raises(ValidationError, match="Beenden Sie die Phase"):
        archive.results_archive(actor=editor, phase=weighting.phase)
    assert not ResultsArchive.objects.exists()


def test_only_the_strategie_redaktion_deletes(voted, moderator):
    weighting, _batch = voted
    with pytest.raises(PermissionDenied):
        archive.results_archive(actor=moderator, phase=weighting.phase)
    with pytest.raises(PermissionDenied):
        archive.consultation_phase_delete(actor=moderator, phase=weighting.phase)
    assert Phase.objects.filter(pk=weighting.phase_id).exists()


def test_a_phase_without_ballots_is_deleted_without_an_archive(
    make_phase, editor_client, django_capture_on_commit_callbacks
):
    phase = make_phase("survey")  # not even configured yet
    url = reverse("consultation:staff_phase_delete", args=[phase.pk])
    assert editor_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(url, {"confirm": "on"}).status_code == 302
    assert not Phase.objects.filter(pk=phase.pk).exists()
    entry = AuditEntry.objects.get(action="consultation.phase_delete")
    assert entry.after["ballots"] == entry.after["responses"] == 0


def test_archived_results_survive_the_deletion_of_the_phase(
    voted, editor_client, django_capture_on_commit_callbacks
):
    weighting, batch = voted
    phase_id = weighting.phase_id
    delete_url = reverse("consultation:staff_phase_delete", args=[phase_id])
    assert "noch nicht archiviert" in editor_client.get(delete_url).content.decode()

    refused = editor_client.post(delete_url, {"confirm": "on"})
    assert refused.status_code == 200
    assert "Archivieren Sie zuerst" in refused.content.decode()

    archived = editor_client.post(reverse("consultation:staff_results_archive", args=[phase_id]))
    assert archived.status_code == 302
    saved = ResultsArchive.objects.get()
    assert saved.ballots == 3
    # The three ballots waited in the ballot box (fewer than k): archiving mixed them first.
    assert not PendingBallot.objects.exists() and Ballot.objects.count() == 3
    assert len(saved.records["rows"]) == 3
    assert saved.results["rows"]

    assert editor_client.post(delete_url, {}).status_code == 200  # needs the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        deleted = editor_client.post(delete_url, {"confirm": "on"})
    assert deleted.status_code == 302
    assert not Phase.objects.filter(pk=phase_id).exists()
    for model in (Weighting, Ballot, Participation, ParticipationCode, EmailIdentity, CodeBatch):
        assert not model.objects.exists(), model
    assert not services.batch_file(batch, "csv").exists()
    entry = AuditEntry.objects.get(action="consultation.phase_delete")
    assert entry.after["ballots"] == 3
    assert entry.after["participations"] == 3
    assert entry.after["codes"] == 6
    assert entry.after["email_identities"] == 1
    assert entry.after["files"] == 1
    assert entry.after["archive"] == saved.pk

    page = editor_client.get(reverse("consultation:staff_archive", args=[saved.pk]))
    assert page.status_code == 200
    assert "Mobilität" in page.content.decode()
    export = editor_client.get(
        reverse("consultation:staff_archive_export", args=[saved.pk, "einzeln", "csv"])
    )
    assert export.status_code == 200
    assert len(export.content.decode("utf-8-sig").strip().splitlines()) == 4
    listing = editor_client.get(reverse("consultation:staff_archives"))
    assert saved.phase_title in listing.content.decode()


def test_a_survey_is_archived_and_deleted_with_its_drafts(
    make_survey, editor, django_capture_on_commit_callbacks
):
    survey = make_survey()
    for _i in range(2):
        SurveyResponse.objects.create(survey=survey, submitted=True, answers={})
    services.survey_draft_start(survey=survey)
    close(survey.phase)
    saved = archive.results_archive(actor=editor, phase=survey.phase)
    assert saved.ballots == 2
    with django_capture_on_commit_callbacks(execute=True):
        counts = archive.consultation_phase_delete(actor=editor, phase=survey.phase)
    assert (counts["responses"], counts["drafts"]) == (2, 1)
    assert not SurveyResponse.objects.exists()
    assert ResultsArchive.objects.count() == 1


def test_an_archive_cannot_be_changed(voted, editor):
    weighting, _batch = voted
    saved = archive.results_archive(actor=editor, phase=weighting.phase)
    saved.ballots = 99
    with pytest.raises(Conflict) as refused:
        saved.save()
    assert refused.value.code == "results_archive_frozen"
    assert refused.value.status == 409


def test_the_phase_page_links_to_deleting(voted, editor_client):
    weighting, _batch = voted
    page = editor_client.get(reverse("consultation:staff_phase", args=[weighting.phase_id]))
    assert (
        reverse("consultation:staff_phase_delete", args=[weighting.phase_id])
        in page.content.decode()
    )
