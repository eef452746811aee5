""" "End after start" is checked once (``Phase.times_check``, called by ``Phase.clean``) and
held by the database: the services of both apps refuse, the forms show the message next to
the end, and the table refuses a row written past them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from leitbild.participation import services
from leitbild.participation.models import ENDS_BEFORE_START, Phase

MESSAGE = str(ENDS_BEFORE_START)


@pytest.fixture
def phase(process):
    return process.phases.get()


def test_the_service_refuses_an_end_before_the_start(process, moderator):
    start = timezone.now()
    with pytest.raises(ValidationError) as refused:
        services.phase_save(
            actor=moderator,
            process=process,
            kind=Phase.Kind.INFORMATION,
            title="Rückblick",
            starts_at=start,
            ends_at=start,
        )
    assert refused.value.message_dict == {"ends_at": [MESSAGE]}
    assert process.phases.count() == 1


def test_moving_only_the_start_past_the_end_is_refused_too(phase, moderator):
    with pytest.raises(ValidationError) as refused:
        services.phase_save(
            actor=moderator,
            process=phase.process,
            phase=phase,
            starts_at=phase.ends_at + timedelta(hours=1),
        )
    assert refused.value.message_dict == {"ends_at": [MESSAGE]}


def test_consultation_s_scheduling_refuses_it_the_same_way(phase, moderator):
    from leitbild.consultation import services as consultation_services

    with pytest.raises(ValidationError) as refused:
        consultation_services.phase_schedule(
            actor=moderator, phase=phase, starts_at=phase.ends_at, ends_at=phase.starts_at
        )
    assert refused.value.message_dict == {"ends_at": [MESSAGE]}
    phase.refresh_from_db()
    assert phase.starts_at < phase.ends_at


def test_the_phase_form_shows_the_message_next_to_the_end(moderator_client, process):
    response = moderator_client.post(
        f"/beteiligung/verwaltung/verfahren/{process.slug}/phasen/neu/",
        {
            "kind": Phase.Kind.INFORMATION,
            "title": "Rückblick",
            "starts_at": "2030-05-02T10:00",
            "ends_at": "2030-05-01T10:00",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"ends_at": [MESSAGE]}
    assert MESSAGE in response.content.decode()
    assert process.phases.count() == 1


def test_the_schedule_form_puts_the_message_on_the_end():
    from leitbild.consultation.forms import ScheduleForm

    form = ScheduleForm({"starts_at": "2030-05-02T10:00", "ends_at": "2030-05-02T10:00"})
    assert not form.is_valid()
    assert form.errors == {"ends_at": [MESSAGE]}


def test_the_database_refuses_it(phase):
    with pytest.raises(IntegrityError), transaction.atomic():
        Phase.objects.filter(pk=phase.pk).update(ends_at=phase.starts_at)
