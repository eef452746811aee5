from django.urls import path

from . import staff_views, views

app_name = "consultation"

staff = [
    path("verwaltung/", staff_views.staff_index, name="staff_index"),
    path("verwaltung/phasen/<id:pk>/", staff_views.staff_phase, name="staff_phase"),
    path(
        "verwaltung/phasen/<id:pk>/zeitraum/",
        staff_views.staff_phase_schedule,
        name="staff_phase_schedule",
    ),
    path(
        "verwaltung/phasen/<id:pk>/veroeffentlichen/",
        staff_views.staff_publish,
        name="staff_publish",
    ),
    path(
        "verwaltung/phasen/<id:pk>/zusammenfassung/",
        staff_views.staff_summary,
        name="staff_summary",
    ),
    path(
        "verwaltung/phasen/<id:pk>/fragen-zur-person/",
        staff_views.staff_demographics,
        name="staff_demographics",
    ),
    path(
        "verwaltung/fragen-zur-person/<id:pk>/",
        staff_views.staff_demographic_edit,
        name="staff_demographic_edit",
    ),
    path("verwaltung/phasen/<id:pk>/zielanteile/", staff_views.staff_targets, name="staff_targets"),
    path(
        "verwaltung/zielanteile/<id:pk>/loeschen/",
        staff_views.staff_target_delete,
        name="staff_target_delete",
    ),
    path("verwaltung/phasen/<id:pk>/codes/", staff_views.staff_codes, name="staff_codes"),
    path(
        "verwaltung/codes/<id:pk>/datei.<str:fmt>",
        staff_views.staff_code_download,
        name="staff_code_download",
    ),
    path(
        "verwaltung/codes/<id:pk>/briefe/",
        staff_views.staff_code_letters,
        name="staff_code_letters",
    ),
    path(
        "verwaltung/codes/<id:pk>/dateien-loeschen/",
        staff_views.staff_code_files_delete,
        name="staff_code_files_delete",
    ),
    path("verwaltung/phasen/<id:pk>/ergebnisse/", staff_views.staff_results, name="staff_results"),
    path(
        "verwaltung/phasen/<id:pk>/<str:what>.<str:fmt>",
        staff_views.staff_export,
        name="staff_export",
    ),
    path(
        "verwaltung/phasen/<id:pk>/personendaten-loeschen/",
        staff_views.staff_purge,
        name="staff_purge",
    ),
    path(
        "verwaltung/phasen/<id:pk>/loeschen/",
        staff_views.staff_phase_delete,
        name="staff_phase_delete",
    ),
    path(
        "verwaltung/phasen/<id:pk>/archivieren/",
        staff_views.staff_results_archive,
        name="staff_results_archive",
    ),
    path("verwaltung/archiv/", staff_views.staff_archives, name="staff_archives"),
    path("verwaltung/archiv/<id:pk>/", staff_views.staff_archive, name="staff_archive"),
    path(
        "verwaltung/archiv/<id:pk>/<str:what>.<str:fmt>",
        staff_views.staff_archive_export,
        name="staff_archive_export",
    ),
    path(
        "verwaltung/phasen/<id:pk>/fragebogen/",
        staff_views.staff_questionnaire,
        name="staff_questionnaire",
    ),
    path(
        "verwaltung/abschnitte/<id:pk>/", staff_views.staff_section_edit, name="staff_section_edit"
    ),
    path(
        "verwaltung/abschnitte/<id:pk>/neue-frage/",
        staff_views.staff_question_create,
        name="staff_question_create",
    ),
    path("verwaltung/fragen/<id:pk>/", staff_views.staff_question_edit, name="staff_question_edit"),
]

public = [
    path("", views.index, name="index"),
    path("gewichtung/<id:pk>/", views.ballot, name="ballot"),
    path("gewichtung/<id:pk>/danke/", views.ballot_done, name="ballot_done"),
    path("gewichtung/<id:pk>/ergebnisse/", views.weighting_results, name="weighting_results"),
    path(
        "gewichtung/<id:pk>/<str:what>.<str:fmt>", views.weighting_export, name="weighting_export"
    ),
    path("umfrage/<id:pk>/", views.survey, name="survey"),
    path("umfrage/<id:pk>/abschnitt/<id:index>/", views.survey_section, name="survey_section"),
    path("umfrage/<id:pk>/danke/", views.survey_done, name="survey_done"),
    path("umfrage/<id:pk>/ergebnisse/", views.survey_results, name="survey_results"),
    path("umfrage/<id:pk>/<str:what>.<str:fmt>", views.survey_export, name="survey_export"),
    path("phasen/<id:pk>/e-mail/", views.email_request, name="email_request"),
    path("bestaetigen/<str:token>/", views.email_confirm, name="email_confirm"),
    path("phasen/<id:pk>/oidc/", views.oidc_start, name="oidc_start"),
    path("oidc/rueckkehr/", views.oidc_callback, name="oidc_callback"),
]

urlpatterns = staff + public
