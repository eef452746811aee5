from django.urls import path

from . import oparl_views, views

app_name = "council"

urlpatterns = [
    path("verwaltung/", views.index, name="index"),
    path("verwaltung/gremien/", views.bodies, name="bodies"),
    path("verwaltung/<slug:slug>/versionen/<id:number>/beratung/", views.steps, name="steps"),
    path("verwaltung/beratung/<id:pk>/", views.step_edit, name="step_edit"),
    path(
        "verwaltung/<slug:slug>/versionen/<id:number>/aenderungsantraege/",
        views.amendment_create,
        name="amendment_create",
    ),
    path(
        "verwaltung/aenderungsantraege/<id:pk>/erledigt/",
        views.amendment_done,
        name="amendment_done",
    ),
    path("verwaltung/oparl/", oparl_views.oparl, name="oparl"),
    path("verwaltung/oparl/abgleich/", oparl_views.oparl_sync, name="oparl_sync"),
    path("verwaltung/oparl/verknuepfen/", oparl_views.oparl_link, name="oparl_link"),
    path(
        "verwaltung/oparl/verknuepfung/<id:pk>/aufheben/",
        oparl_views.oparl_unlink,
        name="oparl_unlink",
    ),
    path(
        "verwaltung/<slug:slug>/versionen/<id:number>/beschlussvorlage/",
        views.paper_page,
        name="paper",
    ),
]
