"""URLs of project progress, included under /umsetzung/ (namespace ``monitoring``).

The portfolio app already answers /umsetzung/ and /umsetzung/projekte/<id>/, so the
Umsetzungsmonitor lives under /umsetzung/monitor/; the feeds sit beside them.
"""

from django.urls import path

from . import progress_feeds, progress_views

app_name = "monitoring"

staff = "verwaltung/fortschritt"

urlpatterns = [
    path(f"{staff}/", progress_views.staff_index, name="progress_staff_index"),
    path(f"{staff}/import/", progress_views.staff_import, name="progress_staff_import"),
    path(
        f"{staff}/projekte/<id:pk>/",
        progress_views.staff_project,
        name="progress_staff_project",
    ),
    path(
        f"{staff}/projekte/<id:pk>/meilensteine/",
        progress_views.staff_milestones,
        name="progress_staff_milestones",
    ),
    path(
        f"{staff}/projekte/<id:pk>/bericht/",
        progress_views.staff_update_create,
        name="progress_staff_update_create",
    ),
    path(
        f"{staff}/berichte/<id:pk>/",
        progress_views.staff_update_edit,
        name="progress_staff_update_edit",
    ),
    path(
        f"{staff}/berichte/<id:pk>/loeschen/",
        progress_views.staff_update_delete,
        name="progress_staff_update_delete",
    ),
    path(
        f"{staff}/projekte/<id:pk>/ausgaben/",
        progress_views.staff_spending,
        name="progress_staff_spending",
    ),
    path("monitor/", progress_views.overview, name="progress_overview"),
    path("monitor/projekte/<id:pk>/", progress_views.project, name="progress_project"),
    path("feed/", progress_feeds.site_feed, name="progress_feed"),
    path("projekte/<id:pk>/feed/", progress_feeds.project_feed, name="progress_project_feed"),
]
