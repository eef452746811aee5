from django.urls import path

from . import document_views, views

app_name = "strategy"

staff = "verwaltung/<slug:slug>"

urlpatterns = [
    # Staff pages of the Strategie-Redaktion.
    path("verwaltung/", views.staff_index, name="staff_index"),
    path("verwaltung/neu/", views.staff_strategy_create, name="staff_strategy_create"),
    path("verwaltung/import/", views.staff_import, name="staff_import"),
    path(f"{staff}/", views.staff_strategy, name="staff_strategy"),
    path(f"{staff}/bearbeiten/", views.staff_strategy_edit, name="staff_strategy_edit"),
    path(f"{staff}/export/", views.staff_export, name="staff_export"),
    path(f"{staff}/leitlinien/neu/", views.staff_leitlinie_create, name="staff_leitlinie_create"),
    path(f"{staff}/leitlinien/<id:pk>/", views.staff_leitlinie_edit, name="staff_leitlinie_edit"),
    path(f"{staff}/felder/neu/", views.staff_field_create, name="staff_field_create"),
    path(f"{staff}/felder/<id:pk>/", views.staff_field, name="staff_field"),
    path(f"{staff}/felder/<id:pk>/bearbeiten/", views.staff_field_edit, name="staff_field_edit"),
    path(
        f"{staff}/felder/<id:field_pk>/ziele/neu/",
        views.staff_goal_create,
        name="staff_goal_create",
    ),
    path(f"{staff}/ziele/<id:pk>/", views.staff_goal_edit, name="staff_goal_edit"),
    path(
        f"{staff}/ziele/<id:goal_pk>/indikatoren/neu/",
        views.staff_indicator_create,
        name="staff_indicator_create",
    ),
    path(f"{staff}/indikatoren/<id:pk>/", views.staff_indicator_edit, name="staff_indicator_edit"),
    path(
        f"{staff}/<str:kind>/<id:pk>/loeschen/", views.staff_item_delete, name="staff_item_delete"
    ),
    path(f"{staff}/<str:kind>/<id:pk>/verschieben/", views.staff_item_move, name="staff_item_move"),
    path(f"{staff}/einfrieren/", views.staff_freeze, name="staff_freeze"),
    path(f"{staff}/versionen/<id:number>/", views.staff_version, name="staff_version"),
    path(
        f"{staff}/versionen/<id:number>/beschluss/",
        views.council_version_decision,
        name="council_version_decision",
    ),
    path(
        f"{staff}/versionen/<id:number>/dokumente/",
        document_views.staff_documents,
        name="staff_documents",
    ),
    path(
        f"{staff}/dokument/",
        document_views.staff_document_arrangement,
        name="staff_document_arrangement",
    ),
    path(f"{staff}/vergleich/", views.staff_compare, name="staff_compare"),
    # Public pages ("verwaltung", "handlungsfelder" … are reserved slugs, see services).
    path("", views.overview, name="overview"),
    path("handlungsfelder/<str:code>/", views.field_detail, name="field_detail"),
    path("<slug:slug>/versionen/", views.history, name="history"),
    path("<slug:slug>/versionen/<id:number>/", views.version_detail, name="version_detail"),
    path(
        "<slug:slug>/versionen/<id:number>/handlungsfelder/<str:code>/",
        views.version_field,
        name="version_field",
    ),
    path(
        "<slug:slug>/versionen/<id:number>/dokument/",
        document_views.document_web,
        name="document_web",
    ),
    path(
        "<slug:slug>/versionen/<id:number>/dokumente/<slug:kind>.<slug:fmt>",
        document_views.document_download,
        name="document_download",
    ),
    path("<slug:slug>/vergleich/", views.compare, name="compare"),
]
