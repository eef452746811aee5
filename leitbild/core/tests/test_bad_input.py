"""No input makes a 500: each cause found by hand or by Schemathesis, kept as a regression test.

Requests go through the whole stack with DEBUG off and exceptions answered as in production
(``raise_request_exception=False``); the same tests run on SQLite and PostgreSQL, which fail
differently (SQLite on numbers beyond 64 bits, PostgreSQL on NUL characters).
"""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse
from django.urls.converters import IntConverter

from leitbild.core.converters import IdConverter
from leitbild.core.fields import MAX_KEY, parse_key
from leitbild.core.roles import Role
from leitbild.core.tests.urlwalk import all_url_patterns, sample_kwargs
from leitbild.core.tests.urlwalk import full_name as _full_name

HUGE = "9" * 30
SUPERSCRIPT_TWO = "²"  # str.isdigit() says yes, int() says no


@pytest.fixture
def visitor(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


@pytest.fixture
def demo_city(db):
    from leitbild.core.demo import demo_load

    demo_load()


@pytest.fixture
def staff(settings, make_user):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(make_user("alle-rollen@stadt.example", roles=list(Role)))
    return client


def _idea():
    from leitbild.participation.models import Idea

    return Idea.objects.filter(status="published").select_related("process").first()


# --- Numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("42", 42),
        (" 7 ", 7),
        (str(MAX_KEY), MAX_KEY),
        (str(MAX_KEY + 1), None),
        (HUGE, None),
        (SUPERSCRIPT_TWO, None),
        ("١٢", None),
        ("-1", None),
        ("", None),
        (None, None),
        ("4x", None),
    ],
)
def test_parse_key_reads_only_plain_numbers_that_fit_64_bits(text, expected):
    assert parse_key(text) == expected


def test_a_superscript_digit_in_the_field_filter_shows_all_ideas(demo_city, visitor):
    idea = _idea()
    response = visitor.get(f"/beteiligung/{idea.process.slug}/ideen/?feld={SUPERSCRIPT_TWO}")
    assert response.status_code == 200


def test_a_superscript_digit_as_the_comment_to_report_is_a_404(demo_city, visitor):
    idea = _idea()
    url = f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/melden/"
    assert visitor.get(url, {"kommentar": SUPERSCRIPT_TWO}).status_code == 404
    assert visitor.get(url, {"kommentar": HUGE}).status_code == 404


def test_a_superscript_digit_in_the_merge_search_is_text(demo_city, staff):
    idea = _idea()
    response = staff.get(
        reverse("participation:staff_idea_merge", args=[idea.pk]), {"suche": SUPERSCRIPT_TWO}
    )
    assert response.status_code == 200


def test_a_superscript_digit_as_an_action_field_is_an_error_next_to_the_field(db, settings):
    from leitbild.core.fields import SafeModelMultipleChoiceField
    from leitbild.participation.forms import FieldChoiceField

    assert issubclass(FieldChoiceField, SafeModelMultipleChoiceField)
    from leitbild.strategy.models import ActionField

    field = FieldChoiceField(queryset=ActionField.objects.all())
    for value in ([SUPERSCRIPT_TWO], ["1", "²"], ["-²"]):
        with pytest.raises(Exception) as raised:
            field.clean(value)
        assert raised.type.__name__ == "ValidationError"


def test_no_url_pattern_takes_unbounded_integers():
    """``<int:…>`` passes 30 digits to the database; ``<id:…>`` (core.converters) stops at
    64 bits. A new URL with ``<int:…>`` fails here."""
    unbounded = [
        f"{_full_name(ns, p)} ({p.pattern})"
        for ns, p in all_url_patterns()
        if any(type(c) is IntConverter for c in p.pattern.converters.values())
    ]
    assert unbounded == []
    assert any(
        isinstance(c, IdConverter)
        for _ns, p in all_url_patterns()
        for c in p.pattern.converters.values()
    )


@pytest.mark.parametrize("number", [str(MAX_KEY + 1), HUGE])
def test_numbers_beyond_64_bits_in_a_path_are_a_404(demo_city, visitor, staff, number):
    idea = _idea()
    for client, url in [
        (visitor, f"/beteiligung/{idea.process.slug}/ideen/{number}/"),
        (visitor, f"/mitmachen/gewichtung/{number}/"),
        (visitor, f"/mitmachen/umfrage/{number}/ergebnisse/"),
        (staff, f"/beteiligung/verwaltung/ideen/{number}/"),
        (staff, f"/mitmachen/verwaltung/phasen/{number}/"),
    ]:
        assert client.get(url).status_code == 404, url


def test_the_largest_64_bit_number_is_still_a_number():
    assert get_resolver().resolve(f"/mitmachen/gewichtung/{MAX_KEY}/").kwargs == {"pk": MAX_KEY}


# --- Every page with odd query parameters ---------------------------------------------------------

# The names the views read from a query string.
QUERY_NAMES = (
    "feld",
    "status",
    "herkunft",
    "suche",
    "sortierung",
    "seite",
    "typ",
    "nach",
    "gewichtet",
    "kommentar",
    "next",
    "title",
    "version",
    "phase",
    "q",
)


@pytest.mark.parametrize("value", ["a\x00b", SUPERSCRIPT_TWO, HUGE])
def test_no_page_fails_on_odd_query_parameters(demo_city, staff, value):
    """NUL cannot be compared in PostgreSQL text; the pages treat it as an invalid filter."""
    samples = sample_kwargs()
    query = {name: value for name in QUERY_NAMES}
    failed = []
    for ns, pattern in all_url_patterns():
        name = _full_name(ns, pattern)
        if not pattern.name or ns == "api" or name == "accounts:logout":
            continue
        kwargs = samples.get(name, {})
        if pattern.pattern.converters and not kwargs:
            continue
        response = staff.get(reverse(name, kwargs=kwargs), query)
        if response.status_code >= 500:
            failed.append(f"{name}: {response.status_code}")
    assert failed == []


# --- The language switch --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "next_url, expected",
    [
        ("abc", "/"),
        ("core:home", "/"),
        ("//böse.example/", "/"),
        ("https://böse.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/strategie/?a=1", "/strategie/?a=1"),
        ("/\x00", "/%00"),
    ],
)
def test_the_language_switch_goes_back_only_to_a_page_of_this_site(visitor, next_url, expected):
    response = visitor.get("/sprache/en/", {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == expected


# --- Form posts in another encoding -------------------------------------------------------------


def test_a_form_posted_in_latin_1_is_a_clear_400_and_writes_nothing(demo_city, visitor):
    from leitbild.participation.models import Comment

    idea = _idea()
    before = Comment.objects.count()
    response = visitor.post(
        f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/kommentieren/",
        data=b"text=Gr%FC%DFe+aus+der+Stadt",
        HTTP_ACCEPT_LANGUAGE="de",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )
    assert response.status_code == 400
    assert "Zeichenkodierung" in response.content.decode()
    assert Comment.objects.count() == before


def test_the_400_page_speaks_the_visitors_language(demo_city, visitor):
    visitor.cookies["django_language"] = "en"
    response = visitor.post(
        "/anmelden/",
        data=b"email=%FC",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )
    assert response.status_code == 400
    assert 'lang="en"' in response.content.decode()


# --- The JSON API ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/api/v1/ideas?page=9223372036854775807", "page"),
        ("/api/v1/ideas?page=0", "page"),
        ("/api/v1/processes?page_size=100000", "page_size"),
        ("/api/v1/ideas?q=a%00b", "q"),
        ("/api/v1/ideas?process=a%00b", "process"),
        ("/api/v1/ideas?field=%C2%B2", "field"),
        (f"/api/v1/ideas?field={HUGE}", "field"),
        ("/api/v1/ideas.geojson?process=a%00", "process"),
        ("/api/v1/strategy/versions?strategy=a%00", "strategy"),
        (f"/api/v1/strategy/versions/{HUGE}", "number"),
        (f"/api/v1/ideas/{HUGE}", "idea_id"),
        (f"/api/v1/processes/{HUGE}/weighting/results", "process_id"),
        ("/api/v1/processes/1/survey/results?phase=-1", "phase"),
        ("/api/v1/processes/1/survey/results?by=%00", "by"),
    ],
)
def test_the_api_answers_422_naming_the_parameter(db, visitor, url, parameter):
    response = visitor.get(url)
    assert response.status_code == 422
    body = response.json()
    assert body["parameter"] == parameter
    assert f"„{parameter}“" in body["detail"]


@pytest.mark.parametrize(
    "url, status, parameter",
    [
        ("/api/v1/ideas?process=gibt-es-nicht", 404, "process"),
        ("/api/v1/ideas.geojson?process=gibt-es-nicht", 404, "process"),
        ("/api/v1/ideas.geojson?bbox=1,2,3", 400, "bbox"),
        ("/api/v1/ideas/999999", 404, None),
        ("/api/v1/strategy/versions/999999", 404, "number"),
    ],
)
def test_other_api_errors_have_the_same_body(demo_city, visitor, url, status, parameter):
    response = visitor.get(url)
    assert response.status_code == status
    assert response.json()["parameter"] == parameter
    assert response.json()["detail"]


def test_the_openapi_document_declares_the_error_answers(visitor):
    document = visitor.get("/api/v1/openapi.json").json()
    error = document["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"detail", "parameter"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            assert {"200", "400", "404", "422"} <= declared, f"{method} {path}"
            for code in ("400", "404", "422"):
                schema = operation["responses"][code]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, f"{method} {path}"
