from django.conf import settings

from . import selectors


def site(request):
    return {
        "CITY_NAME": settings.LEITBILD_CITY_NAME,
        "IS_DEMO": selectors.site_is_demo(),
        "FOOTER_PAGES": selectors.FOOTER_PAGES,
    }
