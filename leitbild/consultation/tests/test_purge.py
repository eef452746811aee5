"""Personal data of a phase can be deleted; the anonymous results stay."""

from django.urls import reverse

from leitbild.consultation import services
from leitbild.consultation.models import (
    Ballot,
    EmailIdentity,
    Participation,
    ParticipationCode,
    SurveyResponse,
)
from leitbild.core.models import AuditEntry


def test_purge_deletes_identities_codes_and_files_but_keeps_ballots(
    editor_client, make_weighting, fields, cast
):
    weighting = make_weighting("pick", mode="codes", pick_k=2, allow_changes=True)
    phase = weighting.phase
    batch = services.codes_generate(actor=None, phase=phase, count=3)
    code = services.batch_codes(batch)[0]
    cast(weighting, [fields[0].pk], code=code, identity_hash="")
    services.email_identity_request(phase=phase, email="ada@example.org")
    assert EmailIdentity.objects.count() == 1
    url = reverse("consultation:staff_purge", args=[phase.pk])
    assert editor_client.post(url, {}).status_code == 200  # needs the confirmation
    assert editor_client.post(url, {"confirm": "on"}).status_code == 302
    assert not Participation.objects.exists()
    assert not ParticipationCode.objects.exists()
    assert not EmailIdentity.objects.exists()
    assert not services.batch_file(batch, "csv").exists()
    ballot = Ballot.objects.get()
    assert ballot.change_key is None
    assert AuditEntry.objects.filter(action="consultation.personal_data_purge").exists()


def test_purge_deletes_unsubmitted_survey_drafts(make_survey):
    survey = make_survey()
    services.survey_draft_start(survey=survey)
    SurveyResponse.objects.create(survey=survey, submitted=True)
    services.personal_data_purge(actor=None, phase=survey.phase)
    assert list(SurveyResponse.objects.values_list("submitted", flat=True)) == [True]
