"""Fixtures of the idea call: a strategy with fields, a process in its idea phase, ideas,
and solved ALTCHA challenges (at a tiny cost, so tests stay fast)."""

import io
from datetime import timedelta

import altcha
import pytest
from django.utils import timezone
from PIL import Image

from leitbild.core.roles import Role


@pytest.fixture(autouse=True)
def _cheap_altcha(settings):
    settings.LEITBILD_ALTCHA_COST = 1
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
def action_fields(strategy):
    return list(strategy.fields.all())


@pytest.fixture
def make_process(strategy):
    from leitbild.participation.models import Phase, Process

    def make(slug="ideenaufruf", *, open_now=True, moderation=Process.Moderation.POST, **extra):
        process = Process.objects.create(
            strategy=strategy, title="Ideenaufruf", slug=slug, moderation=moderation, **extra
        )
        now = timezone.now()
        if open_now:
            starts, ends = now - timedelta(days=7), now + timedelta(days=7)
        else:
            starts, ends = now - timedelta(days=30), now - timedelta(days=1)
        Phase.objects.create(
            process=process,
            kind=Phase.Kind.IDEAS,
            title="Ideen sammeln",
            starts_at=starts,
            ends_at=ends,
        )
        return process

    return make


@pytest.fixture
def process(make_process):
    return make_process()


@pytest.fixture
def closed_process(make_process):
    return make_process("beendet", open_now=False)


@pytest.fixture
def make_idea(action_fields):
    from leitbild.participation import services

    def make(process, title="Mehr Fahrradbügel am Bahnhof", **kwargs):
        kwargs.setdefault("description", "Am Bahnhof fehlen sichere Abstellplätze für Räder.")
        kwargs.setdefault("fields", action_fields[:1])
        return services.idea_submit(
            process=process, title=title, now=kwargs.pop("now", None) or timezone.now(), **kwargs
        )

    return make


@pytest.fixture
def idea(process, make_idea):
    return make_idea(process)


@pytest.fixture
def moderator(make_user):
    return make_user("moderation@stadt.example", roles=[Role.MODERATOR])


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def solve_altcha() -> str:
    from leitbild.participation.spam import altcha_challenge

    challenge = altcha.Challenge.from_dict(altcha_challenge())
    solution = altcha.solve_challenge(challenge)
    return altcha.Payload(challenge, solution).to_base64()


@pytest.fixture
def altcha_payload():
    return solve_altcha


def image_bytes(fmt="JPEG", size=(64, 48), exif=None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()
