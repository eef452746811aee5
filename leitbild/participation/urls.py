from django.urls import path

from . import document_views, staff_views, views

app_name = "participation"

staff = [
    path("verwaltung/", staff_views.staff_index, name="staff_index"),
    path(
        "verwaltung/verfahren/neu/", staff_views.staff_process_create, name="staff_process_create"
    ),
    path(
        "verwaltung/verfahren/<slug:slug>/",
        staff_views.staff_process_edit,
        name="staff_process_edit",
    ),
    path(
        "verwaltung/verfahren/<slug:slug>/phasen/neu/",
        staff_views.staff_phase_create,
        name="staff_phase_create",
    ),
    path("verwaltung/phasen/<id:pk>/", staff_views.staff_phase_edit, name="staff_phase_edit"),
    path(
        "verwaltung/verfahren/<slug:slug>/workshops/neu/",
        staff_views.staff_workshop_create,
        name="staff_workshop_create",
    ),
    path(
        "verwaltung/workshops/<id:pk>/", staff_views.staff_workshop_edit, name="staff_workshop_edit"
    ),
    path(
        "verwaltung/verfahren/<slug:slug>/moderation/", staff_views.staff_queue, name="staff_queue"
    ),
    path(
        "verwaltung/verfahren/<slug:slug>/dokument/",
        document_views.staff_document_ideas,
        name="staff_document_ideas",
    ),
    path(
        "verwaltung/verfahren/<slug:slug>/ideen/",
        staff_views.staff_idea_list,
        name="staff_idea_list",
    ),
    path(
        "verwaltung/verfahren/<slug:slug>/ideen/erfassen/",
        staff_views.staff_idea_create,
        name="staff_idea_create",
    ),
    path(
        "verwaltung/verfahren/<slug:slug>/export.<str:fmt>",
        staff_views.staff_export,
        name="staff_export",
    ),
    path("verwaltung/ideen/<id:pk>/", staff_views.staff_idea, name="staff_idea"),
    path(
        "verwaltung/ideen/<id:pk>/freigeben/",
        staff_views.staff_idea_approve,
        name="staff_idea_approve",
    ),
    path(
        "verwaltung/ideen/<id:pk>/status/", staff_views.staff_idea_status, name="staff_idea_status"
    ),
    path(
        "verwaltung/ideen/<id:pk>/bearbeiten/", staff_views.staff_idea_edit, name="staff_idea_edit"
    ),
    path(
        "verwaltung/ideen/<id:pk>/zusammenfuehren/",
        staff_views.staff_idea_merge,
        name="staff_idea_merge",
    ),
    path(
        "verwaltung/ideen/<id:pk>/sperren/", staff_views.staff_email_block, name="staff_email_block"
    ),
    path(
        "verwaltung/kommentare/<id:pk>/",
        staff_views.staff_comment_moderate,
        name="staff_comment_moderate",
    ),
    path(
        "verwaltung/meldungen/<id:pk>/",
        staff_views.staff_report_resolve,
        name="staff_report_resolve",
    ),
    path(
        "verwaltung/textbausteine/",
        staff_views.staff_reason_templates,
        name="staff_reason_templates",
    ),
    path(
        "verwaltung/textbausteine/<id:pk>/",
        staff_views.staff_reason_template_edit,
        name="staff_reason_template_edit",
    ),
]

public = [
    path("", views.process_list, name="process_list"),
    path("altcha/", views.altcha_challenge, name="altcha_challenge"),
    path("kontakt/<str:token>/", views.contact_confirm, name="contact_confirm"),
    path("unterstuetzung/<str:token>/", views.support_confirm, name="support_confirm"),
    path("<slug:slug>/", views.process_detail, name="process_detail"),
    path("<slug:slug>/ideen/", views.idea_list, name="idea_list"),
    path("<slug:slug>/ideen.<str:fmt>", views.idea_export, name="idea_export"),
    path("<slug:slug>/karte/", views.idea_map, name="idea_map"),
    path("<slug:slug>/ideen/neu/", views.idea_submit, name="idea_submit"),
    path("<slug:slug>/ideen/aehnliche/", views.idea_similar, name="idea_similar"),
    path("<slug:slug>/ideen/<id:pk>/", views.idea_detail, name="idea_detail"),
    path("<slug:slug>/ideen/<id:pk>/unterstuetzen/", views.idea_support, name="idea_support"),
    path(
        "<slug:slug>/ideen/<id:pk>/unterstuetzen/per-e-mail/",
        views.support_email,
        name="support_email",
    ),
    path("<slug:slug>/ideen/<id:pk>/kommentieren/", views.comment_create, name="comment_create"),
    path("<slug:slug>/ideen/<id:pk>/melden/", views.report_create, name="report_create"),
]

urlpatterns = staff + public
