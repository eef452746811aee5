"""The audit actions of weighting and surveys (registered in ``ConsultationConfig.ready``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsultationAction(models.TextChoices):
    WEIGHTING_CONFIGURE = "consultation.weighting_configure", _("Gewichtung konfiguriert")
    SURVEY_CONFIGURE = "consultation.survey_configure", _("Umfrage konfiguriert")
    PHASE_SCHEDULE = "consultation.phase_schedule", _("Beginn und Ende der Phase geändert")
    RESULTS_PUBLISH = "consultation.results_publish", _("Veröffentlichung der Ergebnisse geändert")
    RESULTS_SUMMARY_SAVE = (
        "consultation.results_summary_save",
        _("Zusammenfassung der Ergebnisse gespeichert"),
    )
    DEMOGRAPHIC_QUESTION_SAVE = (
        "consultation.demographic_question_save",
        _("Frage zur Person gespeichert"),
    )
    DEMOGRAPHIC_QUESTION_DELETE = (
        "consultation.demographic_question_delete",
        _("Frage zur Person gelöscht"),
    )
    POPULATION_TARGET_SAVE = "consultation.population_target_save", _("Zielanteile gespeichert")
    POPULATION_TARGET_DELETE = "consultation.population_target_delete", _("Zielanteile gelöscht")
    CODES_GENERATE = "consultation.codes_generate", _("Teilnahmecodes erzeugt")
    CODES_FILES_DELETE = (
        "consultation.codes_files_delete",
        _("Dateien mit Teilnahmecodes gelöscht"),
    )
    SURVEY_SECTION_SAVE = "consultation.survey_section_save", _("Abschnitt der Umfrage gespeichert")
    SURVEY_SECTION_DELETE = (
        "consultation.survey_section_delete",
        _("Abschnitt der Umfrage gelöscht"),
    )
    SURVEY_QUESTION_SAVE = "consultation.survey_question_save", _("Frage der Umfrage gespeichert")
    SURVEY_QUESTION_DELETE = (
        "consultation.survey_question_delete",
        _("Frage der Umfrage gelöscht"),
    )
    PERSONAL_DATA_PURGE = "consultation.personal_data_purge", _("Personenbezogene Daten gelöscht")
    RESULTS_ARCHIVE = "consultation.results_archive", _("Ergebnisse archiviert")
    PHASE_DELETE = "consultation.phase_delete", _("Gewichtungs- oder Umfragephase gelöscht")
