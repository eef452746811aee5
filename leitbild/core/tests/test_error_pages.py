"""What a visitor sees when a page is missing or fails: the site's layout, never a debug page.

pytest-django runs the views with DEBUG off, as production and the demo do.
"""

import pytest
from django.db import OperationalError
from django.test import Client

from leitbild.core import middleware


@pytest.fixture
def visitor():
    # Like a browser: a failing view gives the 500 page instead of raising into the test.
    return Client(raise_request_exception=False)


@pytest.fixture
def english(visitor, settings):
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return visitor


def _fail(monkeypatch, exc: Exception) -> None:
    def broken(*args, **kwargs):
        raise exc

    # Every request of the home page calls it.
    monkeypatch.setattr("leitbild.strategy.selectors.home_strategy", broken)


def _in_layout(html: str) -> bool:
    return "vendor/kern/kern.min" in html and 'class="lb-header"' in html


def test_a_missing_page_is_a_friendly_404_in_the_layout(visitor, db, settings):
    assert settings.DEBUG is False
    response = visitor.get("/gibt-es-nicht/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Seite nicht gefunden" in html and _in_layout(html)
    assert "URLconf" not in html and "Technical" not in html


def test_the_404_page_speaks_english_after_the_switch(english, db):
    html = english.get("/gibt-es-nicht/").content.decode()
    assert "Page not found" in html and '<html lang="en">' in html


def test_a_failing_page_is_a_friendly_500_in_the_layout(visitor, db, monkeypatch):
    _fail(monkeypatch, RuntimeError("kaputt"))
    response = visitor.get("/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Es ist ein Fehler aufgetreten" in html and _in_layout(html)
    assert "kaputt" not in html and "Traceback" not in html


def test_the_500_page_speaks_english_after_the_switch(english, db, monkeypatch):
    _fail(monkeypatch, RuntimeError("kaputt"))
    html = english.get("/").content.decode()
    assert "To the home page" in html and '<html lang="en">' in html


def test_the_500_page_needs_no_context_processor(visitor, db, monkeypatch):
    # The context processors read the database and the session; the 500 page must not.
    def broken():
        raise RuntimeError("kaputt")

    monkeypatch.setattr("leitbild.core.selectors.site_is_demo", broken)
    response = visitor.get("/")
    assert response.status_code == 500
    assert _in_layout(response.content.decode())


def test_a_500_page_that_cannot_be_rendered_falls_back_to_plain_html(visitor, db, monkeypatch):
    _fail(monkeypatch, RuntimeError("kaputt"))

    def broken_template(*args, **kwargs):
        raise ValueError("Missing staticfiles manifest entry")

    monkeypatch.setattr(middleware, "render_to_string", broken_template)
    response = visitor.get("/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Es ist ein Fehler aufgetreten" in html and "An error occurred" in html
    assert "manifest" not in html


def test_a_lost_database_gives_the_503_page_in_the_layout(visitor, db, monkeypatch):
    _fail(monkeypatch, OperationalError("connection refused"))
    response = visitor.get("/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Vorübergehend nicht erreichbar" in html and _in_layout(html)
    assert "connection refused" not in html


def test_a_lost_database_gives_the_api_a_json_503(visitor, db, monkeypatch):
    def broken(**kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("leitbild.participation.selectors.idea_get_public", broken)
    response = visitor.get("/api/v1/ideas/1")
    assert response.status_code == 503
    assert response.json() == {"detail": "Vorübergehend nicht erreichbar."}


def test_a_failing_api_call_answers_json(visitor, db, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr("leitbild.participation.selectors.idea_get_public", broken)
    response = visitor.get("/api/v1/ideas/1")
    assert response.status_code == 500
    assert response.json() == {"detail": "Es ist ein Fehler aufgetreten."}
