from django.urls import path

from . import views

app_name = "council"

urlpatterns = [
    path(
        "verwaltung/<slug:slug>/versionen/<id:number>/beschlussvorlage/",
        views.paper_page,
        name="paper",
    ),
]
