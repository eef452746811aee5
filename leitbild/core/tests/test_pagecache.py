from django.http import HttpResponse
from django.test import RequestFactory

from leitbild.core.pagecache import cache_public_page

calls = []
state = {"version": 1}


@cache_public_page(version=lambda request: state["version"])
def counting_view(request):
    calls.append(1)
    return HttpResponse(f"Seite {len(calls)}")


def _get(**cookies):
    request = RequestFactory().get("/ideen/?seite=2")
    request.COOKIES.update(cookies)
    request.LANGUAGE_CODE = "de"
    return counting_view(request)


def test_an_anonymous_page_is_rendered_once_per_version():
    calls.clear()
    first, second = _get(), _get()
    assert first.content == second.content == b"Seite 1"
    assert second["X-Leitbild-Cache"] == "hit"
    state["version"] += 1
    assert _get().content == b"Seite 2"


def test_visitors_with_a_session_or_a_message_get_a_fresh_page():
    calls.clear()
    _get()
    assert _get(sessionid="abc").content == b"Seite 2"
    assert _get(messages="x").content == b"Seite 3"
