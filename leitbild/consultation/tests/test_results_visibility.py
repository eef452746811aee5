"""Results are hidden from the public until the phase ends, unless staff publish them."""

from django.urls import reverse

from leitbild.core.models import AuditEntry

from .conftest import close


def _weighting_with_ballots(make_weighting, fields, cast, n=6):
    weighting = make_weighting("pick", pick_k=2)
    for i in range(n):
        cast(weighting, [fields[i % 4].pk])
    return weighting


def test_results_are_hidden_while_the_phase_runs(client, make_weighting, fields, cast):
    weighting = _weighting_with_ballots(make_weighting, fields, cast)
    page = client.get(reverse("consultation:weighting_results", args=[weighting.phase_id]))
    assert "werden nach dem Ende der Phase" in page.content.decode()
    assert "<svg" not in page.content.decode()
    export = reverse(
        "consultation:weighting_export", args=[weighting.phase_id, "ergebnisse", "csv"]
    )
    assert client.get(export).status_code == 404
    api = client.get(f"/api/v1/processes/{weighting.phase.process_id}/weighting/results")
    assert api.status_code == 403
    assert api.json() == {
        "detail": "Die Ergebnisse sind noch nicht veröffentlicht.",
        "parameter": None,
    }


def test_staff_see_results_before_publication(editor_client, make_weighting, fields, cast):
    weighting = _weighting_with_ballots(make_weighting, fields, cast)
    page = editor_client.get(reverse("consultation:staff_results", args=[weighting.phase_id]))
    assert "noch nicht öffentlich" in page.content.decode()
    assert "<svg" in page.content.decode()


def test_results_become_public_when_the_phase_ends(client, make_weighting, fields, cast):
    weighting = _weighting_with_ballots(make_weighting, fields, cast)
    close(weighting.phase)
    page = client.get(reverse("consultation:weighting_results", args=[weighting.phase_id]))
    assert "<svg" in page.content.decode()
    assert (
        client.get(f"/api/v1/processes/{weighting.phase.process_id}/weighting/results").status_code
        == 200
    )


def test_staff_can_publish_early_and_it_is_audited(
    client, editor_client, make_weighting, fields, cast
):
    weighting = _weighting_with_ballots(make_weighting, fields, cast)
    response = editor_client.post(
        reverse("consultation:staff_publish", args=[weighting.phase_id]), {"published": "1"}
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="consultation.results_publish").exists()
    page = client.get(reverse("consultation:weighting_results", args=[weighting.phase_id]))
    assert "<svg" in page.content.decode()


def test_staff_close_a_phase_by_moving_its_end(editor_client, make_weighting):
    weighting = make_weighting("pick", pick_k=2)
    phase = weighting.phase
    response = editor_client.post(
        reverse("consultation:staff_phase_schedule", args=[phase.pk]),
        {"starts_at": "2024-01-01T10:00", "ends_at": "2024-02-01T10:00"},
    )
    assert response.status_code == 302
    phase.refresh_from_db()
    assert phase.ends_at.year == 2024
    assert AuditEntry.objects.filter(action="consultation.phase_schedule").exists()


def test_survey_results_are_hidden_until_the_end(client, make_survey):
    survey = make_survey()
    assert (
        client.get(f"/api/v1/processes/{survey.phase.process_id}/survey/results").status_code == 403
    )
    page = client.get(reverse("consultation:survey_results", args=[survey.phase_id]))
    assert "werden nach dem Ende der Phase" in page.content.decode()
