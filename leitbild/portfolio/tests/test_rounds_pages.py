"""The pages of prioritisation rounds: forms, bad input, who sees what, and the demo round."""

from decimal import Decimal

import pytest
from django.urls import reverse

from leitbild.accounts.roles import Role
from leitbild.portfolio import round_selectors as selectors
from leitbild.portfolio import rounds
from leitbild.portfolio.models import (
    AgreedValue,
    AssessorSubmission,
    CriterionKind,
    PrioritisationRound,
    Score,
    WeightMethod,
)


@pytest.fixture
def round_(editor, strategy, make_project):
    make_project("Parkraum")
    make_project("Solardächer")
    return rounds.round_create(actor=editor, strategy=strategy, title="Priorisierung 2027")


@pytest.fixture
def assessor(make_user):
    return make_user("bewertung@stadt.example", roles=[Role.ASSESSOR])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def assessor_client(client, assessor):
    client.force_login(assessor)
    return client


def url(name, round_, *args):
    return reverse(f"portfolio:{name}", args=[round_.pk, *args])


def assessed(round_):
    return [c for c in selectors.round_criteria(round_) if c.kind == CriterionKind.ASSESSED]


def test_an_editor_creates_a_round_and_sees_its_catalogue(editor_client, strategy, make_project):
    make_project("Parkraum")
    response = editor_client.post(
        reverse("portfolio:round_create"),
        {
            "strategy": strategy.pk,
            "title": "Priorisierung 2027",
            "blind": "on",
            "disagreement_range": "3",
        },
    )
    round_ = PrioritisationRound.objects.get()
    assert response.status_code == 302
    page = editor_client.get(url("round_detail", round_)).content.decode()
    assert "Open Source und Datensouveränität" in page
    assert "veröffentlichten Ergebnissen der Gewichtung der Handlungsfelder" in page
    assert "Parkraum" in page


def test_a_bad_round_form_keeps_the_input_and_names_the_field(editor_client, strategy):
    response = editor_client.post(
        reverse("portfolio:round_create"),
        {"strategy": strategy.pk, "title": "Runde", "disagreement_range": "9"},
    )
    assert response.status_code == 400
    assert 'value="Runde"' in response.content.decode()
    assert not PrioritisationRound.objects.exists()


def test_direct_weights_not_summing_to_100_show_the_message_next_to_the_fields(
    editor_client, round_
):
    data = {f"w_{c.pk}": "20" for c in selectors.round_criteria(round_)}
    response = editor_client.post(url("round_weights", round_), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="summe_fehler"' in page and "180 Prozent" in page
    assert 'value="20"' in page


def test_direct_weights_summing_to_100_are_saved(editor_client, round_):
    criteria = selectors.round_criteria(round_)
    data = {f"w_{c.pk}": "10" for c in criteria}
    data[f"w_{criteria[0].pk}"] = "20"
    response = editor_client.post(url("round_weights", round_), data)
    assert response.status_code == 302
    assert selectors.round_criteria(round_)[0].weight == Decimal("0.2")


def test_a_letter_as_weight_is_refused_next_to_its_field(editor_client, round_):
    criteria = selectors.round_criteria(round_)
    data = {f"w_{c.pk}": "10" for c in criteria}
    data[f"w_{criteria[0].pk}"] = "viel"
    response = editor_client.post(url("round_weights", round_), data)
    assert response.status_code == 400
    assert f'id="id_w_{criteria[0].pk}_error"' in response.content.decode()


def test_no_weights_by_button(editor_client, round_):
    editor_client.post(url("round_weights", round_), {"method": "none"})
    round_.refresh_from_db()
    assert round_.weight_method == WeightMethod.NONE


def test_the_pairwise_form_has_a_select_per_pair_and_shows_the_ratio(editor_client, round_):
    criteria = selectors.round_criteria(round_)
    page = editor_client.get(url("round_ahp", round_)).content.decode()
    assert page.count("<select") == len(criteria) * (len(criteria) - 1) // 2
    assert "9-mal so wichtig" in page
    data = {f"p_{a.pk}_{b.pk}": "1" for i, a in enumerate(criteria) for b in criteria[i + 1 :]}
    data[f"p_{criteria[0].pk}_{criteria[1].pk}"] = "1/3"
    response = editor_client.post(url("round_ahp", round_), data, follow=True)
    page = response.content.decode()
    assert "Konsistenzverhältnis" in page
    round_.refresh_from_db()
    assert round_.weight_method == WeightMethod.AHP
    weights = [c.weight for c in selectors.round_criteria(round_)]
    assert weights[1] > weights[0]


def test_the_pairwise_form_warns_above_010(editor_client, editor, round_):
    for c in selectors.round_criteria(round_)[3:]:
        rounds.criterion_delete(actor=editor, criterion=c)
    a, b, c = selectors.round_criteria(round_)
    data = {f"p_{a.pk}_{b.pk}": "9", f"p_{b.pk}_{c.pk}": "9", f"p_{a.pk}_{c.pk}": "1/9"}
    response = editor_client.post(url("round_ahp", round_), data, follow=True)
    assert "über 0,10" in response.content.decode()


def test_a_missing_pair_is_named_and_nothing_is_saved(editor_client, round_):
    criteria = selectors.round_criteria(round_)
    data = {f"p_{a.pk}_{b.pk}": "3" for i, a in enumerate(criteria) for b in criteria[i + 1 :]}
    missing = f"p_{criteria[0].pk}_{criteria[1].pk}"
    data[missing] = ""
    response = editor_client.post(url("round_ahp", round_), data)
    assert response.status_code == 400
    assert f'id="id_{missing}_error"' in response.content.decode()
    assert not round_.comparisons.exists()


def test_an_assessor_scores_with_radio_groups_and_submits(assessor_client, round_, assessor):
    criteria = assessed(round_)
    projects = selectors.round_projects(round_)
    page = assessor_client.get(url("round_score", round_, projects[0].pk)).content.decode()
    assert page.count("<fieldset") == len(criteria)
    assert page.count('type="radio"') == len(criteria) * 6
    assert "<legend" in page
    for project in projects:
        data = {f"c_{c.pk}": "4" for c in criteria}
        data.update({f"j_{c.pk}": "Gut begründet." for c in criteria})
        response = assessor_client.post(url("round_score", round_, project.pk), data)
        assert response.status_code == 302
    assert Score.objects.filter(assessor=assessor).count() == len(criteria) * len(projects)
    overview = assessor_client.get(url("round_scoring", round_)).content.decode()
    assert "Bewertung abschließen" in overview
    assessor_client.post(url("round_submit", round_))
    assert AssessorSubmission.objects.filter(assessor=assessor).exists()


def test_a_score_outside_the_scale_is_refused_next_to_its_criterion(assessor_client, round_):
    criterion = assessed(round_)[0]
    project = selectors.round_projects(round_)[0]
    response = assessor_client.post(
        url("round_score", round_, project.pk), {f"c_{criterion.pk}": "7"}
    )
    assert response.status_code == 400
    assert f'id="id_c_{criterion.pk}_error"' in response.content.decode()
    assert not Score.objects.exists()


def test_submitting_too_early_says_how_many_are_missing(assessor_client, round_):
    response = assessor_client.post(url("round_submit", round_), follow=True)
    assert "Es fehlen noch 12 Bewertungen" in response.content.decode()


def test_blind_round_hides_others_until_own_submission(
    assessor_client, round_, assessor, make_user
):
    other = make_user("zweite@stadt.example", roles=[Role.ASSESSOR])
    project = selectors.round_projects(round_)[0]
    rounds.scores_save(
        actor=other,
        round=round_,
        project=project,
        scores=[rounds.ScoreInput(assessed(round_)[0].pk, 1, "Geheime Begründung")],
    )
    page = assessor_client.get(url("round_score", round_, project.pk)).content.decode()
    assert "Geheime Begründung" not in page


def test_changing_criteria_after_the_first_score_points_to_a_new_round(
    editor_client, round_, assessor
):
    project = selectors.round_projects(round_)[0]
    rounds.scores_save(
        actor=assessor,
        round=round_,
        project=project,
        scores=[rounds.ScoreInput(assessed(round_)[0].pk, 2)],
    )
    response = editor_client.post(
        url("round_criterion_create", round_),
        {
            "title": "Neu",
            "key": "neu",
            "kind": "assessed",
            "benefit": "1",
            "scale_min": "0",
            "scale_max": "5",
        },
    )
    assert response.status_code == 400
    assert "Neue Runde" in response.content.decode()
    response = editor_client.post(url("round_copy", round_), follow=True)
    assert PrioritisationRound.objects.count() == 2
    assert "Kriterium hinzufügen" in response.content.decode()


def test_the_aggregation_flags_disagreement_and_an_agreed_value_is_recorded(
    editor_client, round_, assessor, make_user
):
    other = make_user("zweite@stadt.example", roles=[Role.ASSESSOR])
    project = selectors.round_projects(round_)[0]
    criterion = assessed(round_)[0]
    for person, value in ((assessor, 1), (other, 5)):
        rounds.scores_save(
            actor=person,
            round=round_,
            project=project,
            scores=[rounds.ScoreInput(criterion.pk, value)],
        )
    page = editor_client.get(url("round_aggregation", round_)).content.decode()
    assert "Diskussionsbedarf" in page and "1 von 12" in page
    agree = url("round_agree", round_, project.pk, criterion.pk)
    response = editor_client.post(agree, {"value": "3", "note": "Besprochen.", "version": "0"})
    assert response.status_code == 302
    # A second editor's stale form (version 0) is refused with a message.
    response = editor_client.post(agree, {"value": "2", "note": "", "version": "0"})
    assert response.status_code == 400
    assert "Inzwischen hat jemand anderes" in response.content.decode()
    assert AgreedValue.objects.get().value == 3


def test_assessors_cannot_open_editor_pages_and_editors_only_list_rounds(assessor_client, round_):
    assert assessor_client.get(url("round_detail", round_)).status_code == 403
    assert assessor_client.get(url("round_aggregation", round_)).status_code == 403
    assert assessor_client.get(reverse("portfolio:round_list")).status_code == 200


def test_the_detail_page_costs_a_constant_number_of_queries(
    editor_client, round_, make_project, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40) as small:
        editor_client.get(url("round_detail", round_))
    for i in range(5):
        make_project(f"Weiteres Projekt {i}")
    rounds.round_projects_set(
        actor=None, round=round_, projects=list(round_.strategy.projects.all())
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        editor_client.get(url("round_detail", round_))


# --- The demo round -------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    from leitbild.core.demo import demo_load

    demo_load()
    return PrioritisationRound.objects.get(title="Priorisierung 2027")


def test_the_demo_round_has_three_submitted_assessors_and_ahp_weights(demo):
    assert demo.weight_method == WeightMethod.AHP
    state = selectors.ahp_state(demo)
    assert state.complete and state.result.consistency_ratio < 0.10
    assert demo.submissions.count() == 3
    matrix = selectors.criteria_matrix(demo)
    assert matrix.scores.shape[0] == 3 and matrix.scores.shape[1] >= 10


def test_the_demo_round_has_one_dissenter_on_two_projects_one_agreed(demo):
    rows = selectors.aggregation(demo)
    disputed = {r.project.title for r in rows for c in r.cells if c.spread and c.spread >= 3}
    assert disputed == {"Quartiers-Carsharing mit Elektroautos", "Stadt-App Musterstadt"}
    assert AgreedValue.objects.filter(round=demo).count() == 1
