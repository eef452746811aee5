"""Schemathesis against the JSON API: what the OpenAPI document promises is what it answers.

A bounded, deterministic run with all checks: valid and invalid parameters for every
operation, each answer checked for a server error, a status the document does not declare, a
body or content type that does not match it. It runs in-process against the WSGI application
(no network) on the demo city, on SQLite and PostgreSQL alike.
"""

import hypothesis
import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from leitbild.wsgi import application

CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"max-examples": 25, "deterministic": True, "database": "none"},
        "checks": {
            # A request can be well formed by the document and still be refused for what it says:
            # a box whose minimum exceeds its maximum, a `by` the phase does not ask. The document
            # declares 400 for exactly that.
            "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "403", "404"]},
        },
    }
)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)


@pytest.fixture
def demo_city(db, settings):
    from leitbild.core.demo import demo_load

    settings.DEBUG = False
    demo_load()


@pytest.fixture
def wsgi_in_the_test_transaction(demo_city):
    """Schemathesis calls the WSGI application itself, not Django's test client, so each
    request would close the database connection at its end, and with it the test's
    transaction on PostgreSQL. Django's test client keeps it open the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
# The API only reads, so one demo city can serve every generated request of an operation.
@hypothesis.settings(
    deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)
def test_the_api_keeps_the_promises_of_its_openapi_document(case, wsgi_in_the_test_transaction):
    case.call_and_validate()
