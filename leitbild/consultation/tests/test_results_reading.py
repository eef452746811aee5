"""Results that people read: bars sorted by value (the ballot order one link away), charts
as wide as the phone, tables scrollable by keyboard, the staff's plain-language summary above
the figures, and intervals and weighting only where the sample is a random one."""

import re

import pytest
from django.urls import reverse

from leitbild.consultation import services
from leitbild.consultation.models import Weighting
from leitbild.consultation.statistics import sample_supports_inference
from leitbild.core.models import AuditEntry
from leitbild.core.roles import Role

from .conftest import close

ROW = re.compile(r'<th scope="row" class="kern-table__header">([^<]+)</th>')


def _main_table(html: str) -> list[str]:
    """The row labels of the first chart's table (the main result)."""
    start = html.index('<figure class="lb-chart">')
    return ROW.findall(html[start : html.index("</figure>", start)])


@pytest.fixture
def finished(make_weighting, fields, cast):
    """Pick one of four; Umwelt 3, Bildung 2, Mobilität 1, Verwaltung none. Ended."""
    weighting = make_weighting("pick", pick_k=1, minimum_group_size=2)
    for index in (2, 2, 2, 1, 1, 0):
        cast(weighting, [fields[index].pk])
    close(weighting.phase)
    return weighting


def _page(client, weighting, query=""):
    url = reverse("consultation:weighting_results", args=[weighting.phase_id])
    response = client.get(url + query)
    assert response.status_code == 200
    return response.content.decode()


def test_bars_are_sorted_by_value_and_the_ballot_order_is_one_link_away(client, finished):
    html = _page(client, finished)
    assert _main_table(html) == ["Umwelt", "Bildung", "Mobilität", "Verwaltung"]
    link = re.search(r'<a class="kern-link" href="([^"]+)">in Reihenfolge des Stimmzettels', html)
    assert link is not None
    in_ballot_order = _page(client, finished, link.group(1).replace("&amp;", "&"))
    assert _main_table(in_ballot_order) == ["Mobilität", "Bildung", "Umwelt", "Verwaltung"]
    assert '<span aria-current="true" class="lb-order__current">in Reihenfolge' in in_ballot_order
    # The form keeps the chosen order when a breakdown is chosen.
    assert 'name="reihenfolge" value="stimmzettel"' in in_ballot_order


def test_a_rank_ballot_puts_the_best_mean_place_first(client, make_weighting, fields, cast):
    weighting = make_weighting("rank", minimum_group_size=2)
    mob, bil, umw, ver = (f.pk for f in fields)
    for _ in range(3):
        cast(weighting, {ver: 1, umw: 2, bil: 3, mob: 4})
    close(weighting.phase)
    assert _main_table(_page(client, weighting)) == ["Verwaltung", "Umwelt", "Bildung", "Mobilität"]


def test_charts_fill_the_width_and_tables_scroll_by_keyboard(client, finished):
    html = _page(client, finished)
    svg = re.search(r"<svg [^>]*>", html[html.index('<figure class="lb-chart">') :]).group(0)
    assert 'width="100%"' in svg and re.search(r'viewBox="0 0 400 [\d.]+"', svg)
    assert 'font-size="15"' in svg
    regions = re.findall(r'<div class="kern-table-responsive"[^>]*>', html)
    assert regions
    for region in regions:
        assert 'tabindex="0"' in region and 'role="region"' in region
        assert re.search(r'aria-label="[^"]+"', region)


def test_the_rule_allows_intervals_and_weighting_only_for_a_random_sample():
    assert sample_supports_inference("codes")
    for mode in ("open", "email", "oidc"):
        assert not sample_supports_inference(mode)


@pytest.fixture
def with_targets(make_weighting, fields, cast, demographics):
    """As ``finished``, with an age question and population targets to weight to."""
    weighting = make_weighting("pick", pick_k=1, minimum_group_size=2)
    question = demographics(weighting.phase, labels=("jung", "alt"))
    for index, age in ((2, "jung"), (2, "jung"), (2, "alt"), (1, "jung"), (1, "alt"), (0, "jung")):
        cast(weighting, [fields[index].pk], {"alter": age})
    services.population_target_save(
        actor=None,
        phase=weighting.phase,
        question=question,
        second_question=None,
        shares={"jung": 0.5, "alt": 0.5},
    )
    close(weighting.phase)
    return weighting


def test_an_open_weighting_shows_plain_counts_and_says_why(client, with_targets):
    html = _page(client, with_targets, "?gewichtet=1")
    assert 'name="gewichtet"' not in html  # not offered, and not applied when asked for
    assert "Ergebnis, gewichtet" not in html
    assert "95-%-Konfidenzintervall" not in html
    assert "keine Zufallsstichprobe" in html and "ohne Gewichtung" in html
    figure = html[html.index('<figure class="lb-chart">') :]
    assert '<th scope="col" class="kern-table__header">Stimmzettel</th>' in figure
    assert re.search(r'<th scope="row" class="kern-table__header">Umwelt</th>'
                     r'<td class="kern-table__cell">3</td>', figure)  # fmt: skip


def test_a_random_sample_offers_weighting_and_intervals(client, with_targets):
    Weighting.objects.filter(pk=with_targets.pk).update(mode="codes")
    html = _page(client, with_targets)
    assert 'name="gewichtet" value="1"' in html
    assert "95-%-Konfidenzintervall" in html
    assert "Ergebnis, gewichtet" in _page(client, with_targets, "?gewichtet=1")


def test_an_open_survey_shows_no_intervals(client, make_survey):
    from leitbild.consultation.models import SurveyResponse

    survey = make_survey()
    first = survey.sections.first().questions.first()
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey, submitted=True, answers={str(first.pk): "ja" if i % 3 else "nein"}
        )
        for i in range(9)
    )
    close(survey.phase)
    html = client.get(reverse("consultation:survey_results", args=[survey.phase_id])).content
    html = html.decode()
    assert "95-%-Konfidenzintervall" not in html and 'name="gewichtet"' not in html
    assert "in Reihenfolge des Fragebogens" in html


def test_the_summary_stands_above_the_figures_as_text(client, finished):
    services.results_summary_save(
        actor=None,
        consultation=finished,
        summary="Umwelt liegt vorn.\n\nDie Stadt plant <b>zuerst</b> dort.",
    )
    html = _page(client, finished)
    summary = html.index("Was die Stadt daraus macht")
    assert summary < html.index('<figure class="lb-chart">')
    assert "<p>Umwelt liegt vorn.</p>" in html
    assert "&lt;b&gt;zuerst&lt;/b&gt;" in html and "<b>zuerst</b>" not in html


@pytest.mark.parametrize("role", [Role.EDITOR, Role.MODERATOR])
def test_editors_and_moderators_write_the_summary_in_the_staff_area(
    client, make_user, finished, role
):
    client.force_login(make_user(f"{role}@stadt.example", roles=[role]))
    url = reverse("consultation:staff_summary", args=[finished.phase_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"summary": "  Umwelt zuerst.  "})
    assert response.status_code == 302
    finished.refresh_from_db()
    assert finished.summary == "Umwelt zuerst."
    assert AuditEntry.objects.filter(action="consultation.results_summary_save").count() == 1
    assert "Umwelt zuerst." in _page(client, finished)


def test_a_summary_too_long_is_refused_beside_the_field_and_kept(editor_client, finished):
    url = reverse("consultation:staff_summary", args=[finished.phase_id])
    response = editor_client.post(url, {"summary": "x" * 3001})
    assert response.status_code == 400
    assert "x" * 3001 in response.content.decode()
    finished.refresh_from_db()
    assert finished.summary == ""


def test_an_assessor_may_not_write_the_summary(client, make_user, finished):
    client.force_login(make_user("bewertung@stadt.example", roles=[Role.ASSESSOR]))
    url = reverse("consultation:staff_summary", args=[finished.phase_id])
    assert client.get(url).status_code == 403
