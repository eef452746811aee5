"""Fixtures of weighting and surveys: a strategy with fields, phases open or closed, a
configured weighting of each method, a small survey, and a way to cast ballots quickly."""

from datetime import timedelta

import pytest
from django.utils import timezone

from leitbild.core.roles import Role


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.LEITBILD_PRIVATE_DIR = tmp_path / "private"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def strategy(db):
    from leitbild.strategy.models import ActionField, Strategy

    strategy = Strategy.objects.create(
        title="Smart City Musterstadt", slug="smart-city", edition="2021"
    )
    for order, (code, name) in enumerate(
        [("MOB", "Mobilität"), ("BIL", "Bildung"), ("UMW", "Umwelt"), ("VER", "Verwaltung")]
    ):
        ActionField.objects.create(strategy=strategy, code=code, name=name, order=order)
    return strategy


@pytest.fixture
def fields(strategy):
    return list(strategy.fields.order_by("order"))


@pytest.fixture
def make_phase(strategy):
    from leitbild.participation.models import Phase, Process

    counter = {"n": 0}

    def make(kind="weighting", *, open_now=True, process=None):
        counter["n"] += 1
        process = process or Process.objects.create(
            strategy=strategy, title="Schwerpunkte", slug=f"schwerpunkte-{counter['n']}"
        )
        now = timezone.now()
        starts, ends = (
            (now - timedelta(days=7), now + timedelta(days=7))
            if open_now
            else (now - timedelta(days=30), now - timedelta(days=1))
        )
        return Phase.objects.create(
            process=process,
            kind=kind,
            title=f"Phase {counter['n']}",
            starts_at=starts,
            ends_at=ends,
        )

    return make


@pytest.fixture
def make_weighting(make_phase, fields):
    from leitbild.consultation import services

    def make(method="pick", *, mode="open", open_now=True, phase=None, **rules):
        phase = phase or make_phase("weighting", open_now=True)
        weighting = services.weighting_configure(
            actor=None, phase=phase, fields=fields, mode=mode, method=method, **rules
        )
        if not open_now:
            close(phase)
        return weighting

    return make


def close(phase):
    """End a phase now (as staff do by moving its end into the past)."""
    phase.ends_at = timezone.now() - timedelta(seconds=1)
    if phase.starts_at >= phase.ends_at:
        phase.starts_at = phase.ends_at - timedelta(days=1)
    phase.save()


def stored_ballots(**filters) -> list:
    """Every stored ballot, mixed into ``Ballot`` or still waiting in the ballot box."""
    from leitbild.consultation.models import Ballot, PendingBallot

    return [*PendingBallot.objects.filter(**filters), *Ballot.objects.filter(**filters)]


def stored_responses(**filters) -> list:
    """Every submitted survey response, mixed or still in the ballot box."""
    from leitbild.consultation.models import PendingResponse, SurveyResponse

    return [
        *PendingResponse.objects.filter(**filters),
        *SurveyResponse.objects.filter(submitted=True, **filters),
    ]


@pytest.fixture
def demographics():
    from leitbild.consultation import services
    from leitbild.consultation.questionnaire import parse_options

    def add(phase, *, key="alter", text="Wie alt sind Sie?", labels=("jung", "mittel", "alt")):
        return services.demographic_question_save(
            actor=None,
            phase=phase,
            key=key,
            text=text,
            options=parse_options("\n".join(labels)),
            position=phase.demographic_questions.count(),
        )

    return add


@pytest.fixture
def cast():
    """Cast ballots through the service, each with a fresh open-mode identity."""
    from leitbild.consultation import identity, services

    def do(weighting, choices, demographics=None, **kwargs):
        kwargs.setdefault("identity_hash", identity.browser_identity(identity.new_token()))
        return services.ballot_cast(
            weighting=weighting, choices=choices, demographics=demographics or {}, **kwargs
        )

    return do


@pytest.fixture
def make_survey(make_phase):
    """A survey: section 1 with a yes/no question and a Likert question shown only after
    "ja"; section 2 with multiple choice, a number and free text."""
    from leitbild.consultation import services
    from leitbild.consultation.questionnaire import parse_options

    def make(*, mode="open", open_now=True):
        phase = make_phase("survey", open_now=True)
        survey = services.survey_configure(actor=None, phase=phase, mode=mode)
        one = services.survey_section_save(actor=None, survey=survey, title="Erfahrung", position=0)
        two = services.survey_section_save(actor=None, survey=survey, title="Wünsche", position=1)
        took_part = services.survey_question_save(
            actor=None,
            section=one,
            kind="single",
            text="Schon beteiligt?",
            required=True,
            options=parse_options("Ja\nNein"),
            position=0,
        )
        services.survey_question_save(
            actor=None,
            section=one,
            kind="likert",
            text="Zufrieden?",
            position=1,
            condition_question=took_part,
            condition_value="ja",
        )
        services.survey_question_save(
            actor=None,
            section=two,
            kind="multiple",
            text="Welche Wege?",
            position=0,
            options=parse_options("App\nBrief\nWorkshop"),
        )
        services.survey_question_save(
            actor=None,
            section=two,
            kind="number",
            text="Minuten im Monat?",
            number_min=0,
            number_max=600,
            position=1,
        )
        services.survey_question_save(
            actor=None, section=two, kind="text", text="Was noch?", position=2
        )
        if not open_now:
            close(phase)
        return survey

    return make


@pytest.fixture
def editor(make_user):
    return make_user("redaktion@stadt.example", roles=[Role.EDITOR])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
