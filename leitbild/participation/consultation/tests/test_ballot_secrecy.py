"""Ballot secrecy: nothing links a ballot or a survey response to an identity."""

import csv
import io
import json

from django.db import models
from django.urls import reverse

from leitbild.participation.consultation import identity, services
from leitbild.participation.consultation.models import (
    Ballot,
    CodeBatch,
    EmailIdentity,
    Participation,
    ParticipationCode,
    SurveyResponse,
)

IDENTITY_MODELS = (Participation, ParticipationCode, EmailIdentity, CodeBatch)


def test_ballots_and_responses_have_no_link_to_identity_tables():
    for model in (Ballot, SurveyResponse):
        for field in model._meta.get_fields():
            target = getattr(field, "related_model", None)
            assert target not in IDENTITY_MODELS, f"{model.__name__}.{field.name}"
    for model in IDENTITY_MODELS:
        for field in model._meta.get_fields():
            assert getattr(field, "related_model", None) not in (Ballot, SurveyResponse)


def test_ballots_and_participations_carry_no_order_or_time():
    for model in (Ballot, Participation, SurveyResponse):
        assert isinstance(model._meta.pk, models.UUIDField)
    for model in (Ballot, Participation):
        kinds = {type(f) for f in model._meta.concrete_fields}
        assert not kinds & {models.DateTimeField, models.DateField}, model


def test_the_change_token_is_hashed_differently_on_ballot_and_participation(
        make_weighting, fields, cast):
    weighting = make_weighting("pick", pick_k=2, allow_changes=True)
    token = cast(weighting, [fields[0].pk])
    ballot, participation = Ballot.objects.get(), Participation.objects.get()
    assert token and token not in (ballot.change_key, participation.change_key)
    assert ballot.change_key == identity.ballot_key(token)
    assert participation.change_key == identity.participation_key(token)
    assert ballot.change_key != participation.change_key


def test_the_code_is_stored_only_as_a_keyed_hash(make_weighting, fields, cast):
    weighting = make_weighting("pick", mode="codes", pick_k=2)
    batch = services.codes_generate(actor=None, phase=weighting.phase, count=2)
    code = services.batch_codes(batch)[0]
    cast(weighting, [fields[0].pk], code=code, identity_hash="")
    dump = json.dumps([list(m.objects.values()) for m in (Ballot, Participation,
                                                           ParticipationCode)], default=str)
    assert code not in dump and code.replace("-", "") not in dump


def test_exports_and_api_hold_no_identity(client, make_weighting, fields, cast, demographics):
    weighting = make_weighting("pick", pick_k=2, allow_changes=True)
    demographics(weighting.phase)
    for i in range(6):
        cast(weighting, [fields[i % 4].pk], {"alter": "jung"})
    weighting.results_published = True
    weighting.save()
    secrets = {p.identity_hash for p in Participation.objects.all()} | {
        b.change_key for b in Ballot.objects.all()} | {str(b.pk) for b in Ballot.objects.all()}
    url = reverse("consultation:weighting_export", args=[weighting.phase_id, "stimmzettel",
                                                         "csv"])
    body = client.get(url).content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(body), delimiter=";"))
    assert header == [f.name for f in fields] + ["Wie alt sind Sie?"]
    api = client.get(f"/api/v1/processes/{weighting.phase.process_id}/weighting/results")
    page = client.get(reverse("consultation:weighting_results", args=[weighting.phase_id]))
    for text in (body, api.content.decode(), page.content.decode()):
        assert not any(secret in text for secret in secrets)
