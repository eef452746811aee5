"""The indicator monitoring under ``/umsetzung/``: public pages and the staff pages."""

from django.urls import path

from . import views

app_name = "monitoring"

staff = "verwaltung/indikatoren"

urlpatterns = [
    path("indikatoren/", views.indicator_list, name="indicator_list"),
    path("indikatoren/<id:pk>/", views.indicator_detail, name="indicator_detail"),
    path(f"{staff}/", views.staff_indicators, name="staff_indicators"),
    path(f"{staff}/import/", views.staff_import, name="staff_import"),
    path(f"{staff}/<id:pk>/", views.staff_indicator, name="staff_indicator"),
    path(
        f"{staff}/messwerte/<id:pk>/loeschen/",
        views.staff_measurement_delete,
        name="staff_measurement_delete",
    ),
]

# Project progress: the Umsetzungsmonitor's pages, its feeds and the staff pages.
from .progress_urls import urlpatterns as progress_urlpatterns  # noqa: E402

urlpatterns += progress_urlpatterns

# Reports of the implementation monitoring (Umsetzungsbericht, Sachstandsbericht).
from .report_urls import urlpatterns as report_urlpatterns  # noqa: E402

urlpatterns += report_urlpatterns

# E-mail subscriptions to project progress.
from .subscription_urls import urlpatterns as subscription_urlpatterns  # noqa: E402

urlpatterns += subscription_urlpatterns

# Measurement sources fetched on a schedule (Datenquellen).
from .feed_urls import urlpatterns as feed_urlpatterns  # noqa: E402

urlpatterns += feed_urlpatterns
