from django.conf import settings
from django.contrib import admin
from django.urls import include, path, register_converter

from leitbild.api import api, api_overview
from leitbild.core import views as core_views
from leitbild.core.converters import IdConverter
from leitbild.core.permissions import public_view

# Before the includes below import the apps' urls.py, which use ``<id:…>`` for numbers.
register_converter(IdConverter, "id")

admin.site.site_header = "Leitbild – Administration"
admin.site.site_title = "Leitbild"

urlpatterns = [
    path("", include("leitbild.core.urls")),
    path("", include("leitbild.accounts.urls")),
    path("strategie/", include("leitbild.strategy.urls")),
    path("beteiligung/", include("leitbild.participation.urls")),
    path("mitmachen/", include("leitbild.consultation.urls")),
    path("umsetzung/", include("leitbild.portfolio.urls")),
    path("umsetzung/", include("leitbild.monitoring.progress_urls")),
    path("rat/", include("leitbild.council.urls")),
    path("sprache/<str:code>/", core_views.switch_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("offene-daten/", api_overview, name="api_overview"),
    path("api/v1/", api.urls),
]

handler500 = "leitbild.core.views.server_error"

if settings.SERVE_MEDIA:
    from django.views.static import serve

    urlpatterns += [
        path("media/<path:path>", public_view(serve), {"document_root": settings.MEDIA_ROOT}),
    ]
