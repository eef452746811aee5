"""A refusal (``core.errors``) is answered in one place: a 4xx page in the site's layout, or
the API's error body — never a 500."""

import pytest
from django import forms
from django.test import Client

from leitbild.core.errors import Conflict, InvalidInput, NotAllowed, Refusal
from leitbild.core.forms import add_service_errors
from leitbild.core.middleware import RefusalMiddleware
from leitbild.participation import services as participation_services
from leitbild.strategy.exchange import FrameworkFileError, Problem
from leitbild.strategy.models import FrozenVersionError


@pytest.fixture
def visitor():
    # Like a browser: an exception nobody answers would give the 500 page, not raise.
    return Client(raise_request_exception=False)


def _refuse_home_page(monkeypatch, exc: Exception) -> None:
    def refuse(*args, **kwargs):
        raise exc

    # Every request of the home page calls it.
    monkeypatch.setattr("leitbild.strategy.selectors.home_strategy", refuse)


def _refuse_api(monkeypatch, exc: Exception) -> None:
    def refuse(*args, **kwargs):
        raise exc

    # /api/v1/strategy reads it.
    monkeypatch.setattr("leitbild.strategy.selectors.public_state", refuse)


def test_a_service_saying_not_allowed_gives_a_403_page_with_its_message(visitor, db, monkeypatch):
    _refuse_home_page(
        monkeypatch,
        participation_services.NotAllowed(
            "Der Ideenaufruf ist nicht geöffnet.", code="idea.call_closed"
        ),
    )
    response = visitor.get("/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Der Ideenaufruf ist nicht geöffnet." in html
    assert "Nicht erlaubt" in html
    assert "vendor/kern/kern.min" in html and 'class="lb-header"' in html  # the layout
    assert "Traceback" not in html


def test_a_frozen_version_is_a_409_conflict_page(visitor, db, monkeypatch):
    _refuse_home_page(monkeypatch, FrozenVersionError())
    response = visitor.get("/")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Inzwischen geändert" in html
    assert "Der Inhalt einer eingefrorenen Version kann nicht geändert werden." in html


def test_invalid_input_nobody_caught_is_a_400_page(visitor, db, monkeypatch):
    _refuse_home_page(monkeypatch, InvalidInput("Diese Zahl ist zu groß."))
    response = visitor.get("/")
    assert response.status_code == 400
    assert "Diese Zahl ist zu groß." in response.content.decode()


def test_the_api_answers_a_refusal_with_its_error_body(client, db, monkeypatch):
    _refuse_api(monkeypatch, NotAllowed("Das dürfen Sie nicht.", code="test.no"))
    response = client.get("/api/v1/strategy")
    assert response.status_code == 403
    assert response.json() == {"detail": "Das dürfen Sie nicht.", "parameter": None}


def test_the_api_answers_a_conflict_with_409_and_names_the_parameter(client, db, monkeypatch):
    _refuse_api(monkeypatch, Conflict("Schon geändert.", field="version"))
    response = client.get("/api/v1/strategy")
    assert response.status_code == 409
    assert response.json() == {"detail": "Schon geändert.", "parameter": "version"}


def test_the_middleware_answers_json_under_api_and_leaves_other_errors_alone(rf):
    middleware = RefusalMiddleware(lambda request: None)
    response = middleware.process_exception(
        rf.get("/api/v1/etwas"), NotAllowed("Nein.", field="wert")
    )
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert b'"parameter": "wert"' in response.content
    assert middleware.process_exception(rf.get("/"), RuntimeError("kaputt")) is None


def test_every_refusal_has_a_code_and_a_status():
    assert issubclass(FrozenVersionError, Conflict)
    assert FrozenVersionError().status == 409 and FrozenVersionError().code
    assert participation_services.NotAllowed is NotAllowed
    file_error = FrameworkFileError([Problem(3, "strategy.slug", "fehlt")])
    assert isinstance(file_error, InvalidInput) and file_error.field == "file"
    assert file_error.status == 400 and file_error.code == "strategy.framework_file"
    assert NotAllowed("x", code="a.b").code == "a.b"
    assert issubclass(NotAllowed, Refusal)


class _RolesForm(forms.Form):
    roles = forms.CharField()


def test_a_refusal_naming_a_field_stands_next_to_it():
    form = _RolesForm({"roles": "x"})
    assert form.is_valid()
    add_service_errors(form, NotAllowed("Nicht sich selbst.", field="roles"))
    assert form.errors["roles"] == ["Nicht sich selbst."]
    add_service_errors(form, NotAllowed("Allgemein.", field="gibt_es_nicht"))
    assert form.non_field_errors() == ["Allgemein."]
