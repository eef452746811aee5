from django.conf import settings
from django.urls import reverse

from . import selectors


def site(request):
    return {
        "CITY_NAME": settings.LEITBILD_CITY_NAME,
        "IS_DEMO": selectors.site_is_demo(),
        "FOOTER_PAGES": selectors.FOOTER_PAGES,
        # The base layer of the maps (core.districts), or "" when none is configured.
        "MAP_DISTRICTS_URL": reverse("core:map_districts") if settings.MAP_DISTRICTS else "",
    }
