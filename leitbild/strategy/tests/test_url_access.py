"""Every page of the strategy app declares who may use it."""

from django.urls import URLPattern, URLResolver, get_resolver


def _patterns(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def test_every_strategy_view_is_public_or_staff_only():
    found = [(route, p) for route, p in _patterns(get_resolver()) if route.startswith("strategie/")]
    assert len(found) > 20
    for route, pattern in found:
        kind, roles = pattern.callback.leitbild_access
        if pattern.name.startswith("staff_"):
            assert (kind, roles) == ("staff", ("editor",)), route
        else:
            assert kind == "public", route
