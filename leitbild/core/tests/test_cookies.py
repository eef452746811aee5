"""The one browser-token cookie helper: signed per purpose, HttpOnly, SameSite=Lax, Secure in
production; the idea call and the consultation both use it."""

from django.http import HttpResponse
from django.test import RequestFactory

from leitbild.core import cookies


def _request_with(response: HttpResponse, *, secure: bool = False):
    request = RequestFactory().get("/", secure=secure)
    request.COOKIES = {name: morsel.value for name, morsel in response.cookies.items()}
    return request


def test_a_value_reads_back_under_its_own_salt_only():
    response = HttpResponse()
    cookies.signed_set(response, "lb_test", "wert", salt="zweck-a", max_age=60)
    request = _request_with(response)
    assert cookies.signed_read(request, "lb_test", salt="zweck-a") == "wert"
    assert cookies.signed_read(request, "lb_test", salt="zweck-b") == ""


def test_a_forged_or_missing_cookie_reads_as_nothing():
    request = RequestFactory().get("/")
    assert cookies.signed_read(request, "lb_test", salt="zweck-a") == ""
    request.COOKIES = {"lb_test": "wert:gefälscht"}
    assert cookies.signed_read(request, "lb_test", salt="zweck-a") == ""


def test_the_cookie_is_http_only_lax_and_not_secure_over_plain_http(settings):
    settings.SESSION_COOKIE_SECURE = False
    response = HttpResponse()
    cookies.signed_set(response, "lb_test", "wert", salt="s", max_age=60)
    morsel = response.cookies["lb_test"]
    assert morsel["httponly"] and morsel["samesite"] == "Lax" and morsel["max-age"] == 60
    assert not morsel["secure"]


def test_the_cookie_is_secure_in_production_and_over_https(settings):
    settings.SESSION_COOKIE_SECURE = True
    response = HttpResponse()
    cookies.signed_set(response, "lb_test", "wert", salt="s", max_age=60)
    assert response.cookies["lb_test"]["secure"]
    settings.SESSION_COOKIE_SECURE = False
    response = HttpResponse()
    request = RequestFactory().get("/", secure=True)
    cookies.signed_set(response, "lb_test", "wert", salt="s", max_age=60, request=request)
    assert response.cookies["lb_test"]["secure"]


def test_a_browser_keeps_its_token_and_a_new_one_gets_one():
    token, new = cookies.browser_token(RequestFactory().get("/"), "lb_test", salt="s")
    assert new and len(token) in cookies.TOKEN_LENGTHS
    response = HttpResponse()
    cookies.signed_set(response, "lb_test", token, salt="s", max_age=60)
    assert cookies.browser_token(_request_with(response), "lb_test", salt="s") == (token, False)
    short = HttpResponse()
    cookies.signed_set(short, "lb_test", "kurz", salt="s", max_age=60)
    assert cookies.browser_token(_request_with(short), "lb_test", salt="s")[1] is True
