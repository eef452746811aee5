"""Staff pages: who may use them, and every write leaves an audit entry."""

import pytest
from django.urls import reverse

from leitbild.consultation.models import (
    DemographicQuestion,
    PopulationTarget,
    SurveyQuestion,
    SurveySection,
    Weighting,
)
from leitbild.core.models import AuditEntry
from leitbild.core.roles import Role


def test_staff_pages_are_for_editors_and_administration(client, make_user, make_weighting):
    weighting = make_weighting("pick", pick_k=2)
    url = reverse("consultation:staff_phase", args=[weighting.phase_id])
    assert client.get(url).status_code == 302
    client.force_login(make_user("moderation@stadt.example", roles=[Role.MODERATOR]))
    assert client.get(url).status_code == 403
    client.force_login(make_user("admin@stadt.example", roles=[Role.ADMIN]))
    assert client.get(url).status_code == 200


def test_an_editor_configures_a_weighting(editor_client, make_phase, fields):
    phase = make_phase()
    url = reverse("consultation:staff_phase", args=[phase.pk])
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(
        url,
        {
            "mode": "codes",
            "method": "rank",
            "fields": [f.pk for f in fields[:3]],
            "pick_k": 3,
            "pick_minimum": 1,
            "points_total": 100,
            "rank_depth": 2,
            "minimum_group_size": 7,
            "intro": "Bitte ordnen",
        },
    )
    assert response.status_code == 302
    weighting = Weighting.objects.get(phase=phase)
    assert (weighting.mode, weighting.method, weighting.rank_depth) == ("codes", "rank", 2)
    assert [wf.field_id for wf in weighting.weighting_fields.all()] == [f.pk for f in fields[:3]]
    assert AuditEntry.objects.filter(action="consultation.weighting_configure").exists()


def test_oidc_is_only_offered_when_configured(editor_client, make_phase, settings):
    phase = make_phase()
    url = reverse("consultation:staff_phase", args=[phase.pk])
    assert 'value="oidc"' not in editor_client.get(url).content.decode()
    settings.LEITBILD_OIDC_ISSUER = "https://login.stadt.example/realms/buerger"
    settings.LEITBILD_OIDC_CLIENT_ID = "leitbild"
    assert 'value="oidc"' in editor_client.get(url).content.decode()


def test_demographic_questions_and_targets_are_entered_by_staff(editor_client, make_weighting):
    weighting = make_weighting("pick", pick_k=2)
    phase = weighting.phase
    editor_client.post(
        reverse("consultation:staff_demographics", args=[phase.pk]),
        {
            "text": "Wie alt sind Sie?",
            "key": "alter",
            "options": "unter 40\n40 und älter",
            "position": 0,
        },
    )
    editor_client.post(
        reverse("consultation:staff_demographics", args=[phase.pk]),
        {"text": "Wo wohnen Sie?", "key": "ort", "options": "Nord\nSüd", "position": 1},
    )
    question = DemographicQuestion.objects.get(key="alter")
    assert question.values == ["unter-40", "40-und-alter"]
    url = reverse("consultation:staff_targets", args=[phase.pk])
    page = editor_client.get(url, {"frage": "alter", "kombiniert": "ort"}).content.decode()
    assert "unter 40 × Nord" in page
    wrong = editor_client.post(url, {"frage": "alter", "anteil_0": "50", "anteil_1": "40"})
    assert "statt 100" in wrong.content.decode()
    editor_client.post(
        url, {"frage": "alter", "anteil_0": "45,5", "anteil_1": "54,5", "source": "Melderegister"}
    )
    target = PopulationTarget.objects.get()
    assert target.shares == {"unter-40": 0.455, "40-und-alter": 0.545}
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "consultation.demographic_question_save",
        "consultation.population_target_save",
    } <= actions


def test_the_questionnaire_builder(editor_client, make_phase):
    phase = make_phase("survey")
    editor_client.post(
        reverse("consultation:staff_phase", args=[phase.pk]),
        {"mode": "open", "minimum_group_size": 5},
    )
    editor_client.post(
        reverse("consultation:staff_questionnaire", args=[phase.pk]),
        {"title": "Information", "position": 0},
    )
    section = SurveySection.objects.get()
    add = reverse("consultation:staff_question_create", args=[section.pk])
    editor_client.post(
        add,
        {
            "kind": "single",
            "text": "Beteiligt?",
            "options": "Ja\nNein",
            "position": 0,
            "required": "on",
        },
    )
    first = SurveyQuestion.objects.get()
    response = editor_client.post(
        add,
        {
            "kind": "likert",
            "text": "Zufrieden?",
            "position": 1,
            "condition_question": first.pk,
            "condition_value": "Ja",
        },
    )
    assert response.status_code == 302
    second = SurveyQuestion.objects.get(text="Zufrieden?")
    assert second.condition_question == first and second.condition_value == "ja"
    wrong = editor_client.post(
        add, {"kind": "single", "text": "Nur eine", "options": "Eine", "position": 2}
    )
    assert "mindestens zwei" in wrong.content.decode()
    page = editor_client.get(reverse("consultation:staff_questionnaire", args=[phase.pk]))
    assert "nur wenn „Beteiligt?“ passt" in page.content.decode()


@pytest.mark.parametrize("name", ["staff_index"])
def test_staff_index_lists_consultation_phases(editor_client, make_weighting, name):
    weighting = make_weighting("pick", pick_k=2)
    page = editor_client.get(reverse(f"consultation:{name}")).content.decode()
    assert weighting.phase.title in page


def test_staff_exports_work_before_publication(editor_client, make_weighting, fields, cast):
    weighting = make_weighting("pick", pick_k=2)
    for i in range(6):
        cast(weighting, [fields[i % 4].pk])
    for what in ("ergebnisse", "stimmzettel"):
        for fmt in ("csv", "xlsx"):
            response = editor_client.get(
                reverse("consultation:staff_export", args=[weighting.phase_id, what, fmt])
            )
            assert response.status_code == 200
            assert response["Content-Disposition"].startswith("attachment")
