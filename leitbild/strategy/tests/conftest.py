import datetime

import pytest

from leitbild.core.roles import Role
from leitbild.strategy import services
from leitbild.strategy.models import StrategyVersion

from .factories import build_framework


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 takes most of the time of these tests, and no test here is about passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(make_user):
    return make_user("redakteurin@stadt.example", roles=[Role.EDITOR])


@pytest.fixture
def framework(db):
    """A draft with two Leitlinien, two fields, two goals each, one indicator per goal."""
    return build_framework()


def adopt(
    version: StrategyVersion,
    actor=None,
    *,
    on=datetime.date(2024, 3, 21),
    reference="Drucksache 2024/0412",
) -> StrategyVersion:
    services.version_set_status(
        actor=actor, version=version, status=StrategyVersion.Status.CONSULTATION
    )
    return services.version_set_status(
        actor=actor,
        version=version,
        status=StrategyVersion.Status.ADOPTED,
        decided_on=on,
        decision_reference=reference,
    )


@pytest.fixture
def adopted(framework, editor):
    """Version 1 of ``framework``, adopted by the council."""
    return adopt(services.draft_freeze(actor=editor, strategy=framework), editor)
