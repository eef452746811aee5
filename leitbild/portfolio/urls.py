from django.urls import path

from . import ranking_views, round_views, views

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
    # Prioritisation rounds (A1)
    path(f"{staff}/priorisierung/", round_views.round_list, name="round_list"),
    path(f"{staff}/priorisierung/neu/", round_views.round_create, name="round_create"),
    path(f"{staff}/priorisierung/<id:pk>/", round_views.round_detail, name="round_detail"),
    path(
        f"{staff}/priorisierung/<id:pk>/einstellungen/",
        round_views.round_edit,
        name="round_edit",
    ),
    path(f"{staff}/priorisierung/<id:pk>/neue-runde/", round_views.round_copy, name="round_copy"),
    path(
        f"{staff}/priorisierung/<id:pk>/projekte/",
        round_views.round_projects,
        name="round_projects",
    ),
    path(
        f"{staff}/priorisierung/<id:pk>/kriterien/neu/",
        round_views.round_criterion_create,
        name="round_criterion_create",
    ),
    path(
        f"{staff}/priorisierung/<id:pk>/kriterien/<id:criterion_pk>/",
        round_views.round_criterion_edit,
        name="round_criterion_edit",
    ),
    path(
        f"{staff}/priorisierung/<id:pk>/kriterien/<id:criterion_pk>/entfernen/",
        round_views.round_criterion_delete,
        name="round_criterion_delete",
    ),
    path(
        f"{staff}/priorisierung/<id:pk>/gewichte/", round_views.round_weights, name="round_weights"
    ),
    path(f"{staff}/priorisierung/<id:pk>/paarvergleich/", round_views.round_ahp, name="round_ahp"),
    path(
        f"{staff}/priorisierung/<id:pk>/bewertung/",
        round_views.round_scoring,
        name="round_scoring",
    ),
    path(
        f"{staff}/priorisierung/<id:pk>/bewertung/<id:project_pk>/",
        round_views.round_score,
        name="round_score",
    ),
    path(
        f"{staff}/priorisierung/<id:pk>/bewertung/abschliessen/",
        round_views.round_submit,
        name="round_submit",
    ),
    path(
        f"{staff}/priorisierung/<id:pk>/auswertung/",
        round_views.round_aggregation,
        name="round_aggregation",
    ),
    path(
        f"{staff}/priorisierung/<id:pk>/einigung/<id:project_pk>/<id:criterion_pk>/",
        round_views.round_agree,
        name="round_agree",
    ),
    # Ranking and portfolio (A2)
    path(
        f"{staff}/priorisierung/<id:pk>/rangfolge/",
        ranking_views.staff_round_ranking,
        name="staff_round_ranking",
    ),
    path(
        f"{staff}/priorisierung/<id:pk>/was-waere-wenn/",
        ranking_views.staff_round_whatif,
        name="staff_round_whatif",
    ),
    path(
        f"{staff}/priorisierung/<id:pk>/portfolio/",
        ranking_views.staff_round_portfolio,
        name="staff_round_portfolio",
    ),
    path(
        f"{staff}/priorisierung/<id:pk>/portfolio/bedingungen/",
        ranking_views.staff_round_constraints,
        name="staff_round_constraints",
    ),
    path(
        f"{staff}/priorisierung/<id:pk>/portfolio/robust/",
        ranking_views.staff_round_robust,
        name="staff_round_robust",
    ),
    path(
        f"{staff}/priorisierung/<id:pk>/entscheidungen/",
        ranking_views.staff_round_decisions,
        name="staff_round_decisions",
    ),
    path(
        f"{staff}/priorisierung/<id:pk>/veroeffentlichen/",
        ranking_views.staff_round_publish,
        name="staff_round_publish",
    ),
    path(
        f"{staff}/priorisierung/<id:pk>/runde.xlsx",
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
