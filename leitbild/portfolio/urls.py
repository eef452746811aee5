from django.urls import path

from . import ranking_views, views

app_name = "portfolio"

staff = "verwaltung"

urlpatterns = [
    # Staff pages of the Strategie-Redaktion.
    path(f"{staff}/", views.staff_index, name="staff_index"),
    path(f"{staff}/neu/<slug:slug>/", views.staff_project_create, name="staff_project_create"),
    path(f"{staff}/projekte/<id:pk>/", views.staff_project, name="staff_project"),
    path(
        f"{staff}/projekte/<id:pk>/bearbeiten/", views.staff_project_edit, name="staff_project_edit"
    ),
    path(f"{staff}/projekte/<id:pk>/stand/", views.staff_stage, name="staff_stage"),
    path(f"{staff}/projekte/<id:pk>/kosten/", views.staff_costs, name="staff_costs"),
    path(f"{staff}/projekte/<id:pk>/ideen/", views.staff_project_ideas, name="staff_project_ideas"),
    path(
        f"{staff}/projekte/<id:pk>/ideen/<id:idea_pk>/loesen/",
        views.staff_idea_unlink,
        name="staff_idea_unlink",
    ),
    path(
        f"{staff}/projekte/<id:pk>/foerderung/<id:programme_pk>/",
        views.staff_assessment,
        name="staff_assessment",
    ),
    path(f"{staff}/ideen/<id:idea_pk>/verknuepfen/", views.staff_idea_link, name="staff_idea_link"),
    path(f"{staff}/organisation/", views.staff_units, name="staff_units"),
    path(f"{staff}/organisation/<id:pk>/", views.staff_unit_edit, name="staff_unit_edit"),
    path(
        f"{staff}/organisation/<id:pk>/loeschen/", views.staff_unit_delete, name="staff_unit_delete"
    ),
    path(f"{staff}/programme/", views.staff_programmes, name="staff_programmes"),
    path(f"{staff}/programme/neu/", views.staff_programme_create, name="staff_programme_create"),
    path(f"{staff}/programme/<id:pk>/", views.staff_programme_edit, name="staff_programme_edit"),
    path(
        f"{staff}/programme/<id:pk>/loeschen/",
        views.staff_programme_delete,
        name="staff_programme_delete",
    ),
    path(f"{staff}/finanzierung/", views.staff_financing, name="staff_financing"),
    path(f"{staff}/finanzierung/haushalt/", views.staff_budget, name="staff_budget"),
    path(
        f"{staff}/finanzierung/finanzierungsplan.xlsx",
        views.staff_financing_xlsx,
        name="staff_financing_xlsx",
    ),
    path(f"{staff}/export/<str:fmt>/", views.staff_export, name="staff_export"),
    # Ranking and portfolio (A2)
    path(
        f"{staff}/runden/<id:pk>/rangfolge/",
        ranking_views.staff_round_ranking,
        name="staff_round_ranking",
    ),
    path(
        f"{staff}/runden/<id:pk>/was-waere-wenn/",
        ranking_views.staff_round_whatif,
        name="staff_round_whatif",
    ),
    path(
        f"{staff}/runden/<id:pk>/portfolio/",
        ranking_views.staff_round_portfolio,
        name="staff_round_portfolio",
    ),
    path(
        f"{staff}/runden/<id:pk>/portfolio/bedingungen/",
        ranking_views.staff_round_constraints,
        name="staff_round_constraints",
    ),
    path(
        f"{staff}/runden/<id:pk>/portfolio/robust/",
        ranking_views.staff_round_robust,
        name="staff_round_robust",
    ),
    path(
        f"{staff}/runden/<id:pk>/entscheidungen/",
        ranking_views.staff_round_decisions,
        name="staff_round_decisions",
    ),
    path(
        f"{staff}/runden/<id:pk>/veroeffentlichen/",
        ranking_views.staff_round_publish,
        name="staff_round_publish",
    ),
    path(
        f"{staff}/runden/<id:pk>/runde.xlsx",
        ranking_views.staff_round_xlsx,
        name="staff_round_xlsx",
    ),
    # Public pages.
    path("", views.overview, name="overview"),
    path("ideenpool/", views.pool, name="pool"),
    path("handlungsfelder/", views.by_field, name="by_field"),
    path("karte/", views.project_map, name="map"),
    path("projekte/<id:pk>/", views.project_detail, name="project_detail"),
]
