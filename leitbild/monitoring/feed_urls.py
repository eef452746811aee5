"""The staff pages of the measurement sources, under the indicators' staff pages."""

from django.urls import path

from . import feed_views

feeds = "verwaltung/indikatoren/datenquellen"

urlpatterns = [
    path(f"{feeds}/", feed_views.feed_list, name="feed_list"),
    path(f"{feeds}/neu/", feed_views.feed_create, name="feed_create"),
    path(f"{feeds}/<id:pk>/", feed_views.feed_edit, name="feed_edit"),
    path(f"{feeds}/<id:pk>/loeschen/", feed_views.feed_delete, name="feed_delete"),
    path(f"{feeds}/<id:pk>/abrufen/", feed_views.feed_run, name="feed_run"),
]
