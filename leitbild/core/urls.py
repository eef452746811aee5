from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("verwaltung/", views.staff_home, name="staff_home"),
    path("verwaltung/system/", views.system, name="system"),
    path("verwaltung/system/sicherungen/<str:name>", views.backup_download, name="backup_download"),
    path("verwaltung/system/e-mails/", views.email_failures, name="email_failures"),
    path("verwaltung/protokoll/", views.audit_log, name="audit_log"),
    path("verwaltung/aufgaben/<uuid:pk>/", views.progress_detail, name="progress_detail"),
    path("verwaltung/aufgaben/<uuid:pk>/status/", views.progress_status, name="progress_status"),
    path("verwaltung/seiten/<slug:slug>/", views.page_edit, name="page_edit"),
    path("seiten/<slug:slug>/", views.page_detail, name="page_detail"),
    path("karte/stadtteile.geojson", views.map_districts, name="map_districts"),
    path("healthz", views.healthz, name="healthz"),
    path("jsi18n/", views.javascript_catalog, name="javascript_catalog"),
]
