from django.urls import path

from . import views

app_name = "council"

urlpatterns = [
    path("verwaltung/", views.index, name="index"),
    path("verwaltung/gremien/", views.bodies, name="bodies"),
    path("verwaltung/<slug:slug>/versionen/<id:number>/beratung/", views.steps, name="steps"),
    path("verwaltung/beratung/<id:pk>/", views.step_edit, name="step_edit"),
    path(
        "verwaltung/<slug:slug>/versionen/<id:number>/beschlussvorlage/",
        views.paper_page,
        name="paper",
    ),
]
