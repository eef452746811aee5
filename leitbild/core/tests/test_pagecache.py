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


def test_one_key_scheme_for_every_versioned_cache():
    from leitbild.core.pagecache import versioned_get_or_build, versioned_key

    key = versioned_key("ideas-geojson", "slug", ("box",), version="7")
    assert key.startswith("leitbild:ideas-geojson:")
    assert key != versioned_key("ideas-geojson", "slug", ("box",), version="8")
    assert key != versioned_key("page", "slug", ("box",), version="7")
    built = []

    def build():
        built.append(1)
        return "Körper"

    first = versioned_get_or_build("x", "a", version=1, build=build, timeout=60)
    again = versioned_get_or_build("x", "a", version=1, build=build, timeout=60)
    assert (first, again, len(built)) == (("Körper", False), ("Körper", True), 1)
    assert versioned_get_or_build("x", "a", version=2, build=build, timeout=60)[1] is False
