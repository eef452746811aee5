"""URL parameter values of this app for ``core/tests/test_url_access.py`` (from the demo).

To be merged into ``leitbild/core/tests/url_samples.py:extra_samples()``.
"""


def consultation_samples() -> dict[str, dict]:
    from leitbild.consultation.models import (
        CodeBatch,
        DemographicQuestion,
        PopulationTarget,
        ResultsArchive,
        SurveyQuestion,
        SurveySection,
        Weighting,
    )
    from leitbild.consultation.services import codes_generate

    weighting = Weighting.objects.select_related("phase").first()
    survey_question = SurveyQuestion.objects.select_related("section__survey").first()
    survey_phase = survey_question.section.survey.phase_id
    batch = CodeBatch.objects.filter(phase_id=weighting.phase_id, has_csv=True).first() or (
        codes_generate(actor=None, phase=weighting.phase, count=1)
    )
    w, s = weighting.phase_id, survey_phase
    archive = ResultsArchive.objects.first() or ResultsArchive.objects.create(
        phase_id=w,
        kind="weighting",
        process_title="Beispiel",
        phase_title="Beispiel",
        starts_at=weighting.phase.starts_at,
        ends_at=weighting.phase.ends_at,
        ballots=0,
        results={"headers": ["a"], "rows": [[1]]},
        records={"headers": ["a"], "rows": []},
    )
    return {
        "consultation:staff_phase": {"pk": w},
        "consultation:staff_phase_schedule": {"pk": w},
        "consultation:staff_publish": {"pk": w},
        "consultation:staff_summary": {"pk": w},
        "consultation:staff_demographics": {"pk": w},
        "consultation:staff_demographic_edit": {"pk": DemographicQuestion.objects.first().pk},
        "consultation:staff_targets": {"pk": w},
        "consultation:staff_target_delete": {"pk": PopulationTarget.objects.first().pk},
        "consultation:staff_codes": {"pk": w},
        "consultation:staff_code_download": {"pk": batch.pk, "fmt": "csv"},
        "consultation:staff_code_letters": {"pk": batch.pk},
        "consultation:staff_code_files_delete": {"pk": batch.pk},
        "consultation:staff_results": {"pk": s},
        "consultation:staff_export": {"pk": w, "what": "ergebnisse", "fmt": "csv"},
        "consultation:staff_purge": {"pk": w},
        "consultation:staff_phase_delete": {"pk": w},
        "consultation:staff_results_archive": {"pk": w},
        "consultation:staff_archive": {"pk": archive.pk},
        "consultation:staff_archive_export": {"pk": archive.pk, "what": "ergebnisse", "fmt": "csv"},
        "consultation:staff_questionnaire": {"pk": s},
        "consultation:staff_section_edit": {"pk": SurveySection.objects.first().pk},
        "consultation:staff_question_create": {"pk": SurveySection.objects.first().pk},
        "consultation:staff_question_edit": {"pk": survey_question.pk},
        "consultation:ballot": {"pk": w},
        "consultation:ballot_done": {"pk": w},
        "consultation:weighting_results": {"pk": w},
        "consultation:weighting_export": {"pk": w, "what": "ergebnisse", "fmt": "csv"},
        "consultation:survey": {"pk": s},
        "consultation:survey_section": {"pk": s, "index": 0},
        "consultation:survey_done": {"pk": s},
        "consultation:survey_results": {"pk": s},
        "consultation:survey_export": {"pk": s, "what": "ergebnisse", "fmt": "csv"},
        "consultation:email_request": {"pk": w},
        "consultation:email_confirm": {"token": "x" * 43},
        "consultation:oidc_start": {"pk": w},
        "api:weighting_results": {"process_id": weighting.phase.process_id},
        "api:survey_results": {"process_id": survey_question.section.survey.phase.process_id},
    }
