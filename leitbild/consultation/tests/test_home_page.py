"""The home page "Jetzt mitmachen": what is open now with its deadline and one action that
leads straight to taking part, what comes next, the latest results with a chart, and the
strategy at a glance; in a constant number of queries whatever the data size."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from leitbild.consultation import services

from .conftest import close


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def _links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


@pytest.fixture
def idea_call(make_phase):
    return make_phase("ideas")


@pytest.fixture
def framework(strategy):
    from leitbild.strategy import services as strategy_services
    from leitbild.strategy.models import StrategyVersion

    version = strategy_services.draft_freeze(actor=None, strategy=strategy)
    return strategy_services.version_set_status(
        actor=None, version=version, status=StrategyVersion.Status.CONSULTATION
    )


def test_open_phases_lead_straight_to_taking_part_with_their_deadline(
    client, idea_call, make_weighting, make_survey
):
    weighting = make_weighting("pick", pick_k=2)
    survey = make_survey()
    html = client.get("/").content.decode()
    open_now = _section(html, "jetzt-mitmachen")
    assert reverse("participation:idea_submit", args=[idea_call.process.slug]) in open_now
    assert reverse("consultation:ballot", args=[weighting.phase_id]) in open_now
    assert reverse("consultation:survey", args=[survey.phase_id]) in open_now
    assert "Idee einreichen" in open_now and "Jetzt gewichten" in open_now
    assert "An der Umfrage teilnehmen" in open_now
    assert open_now.count("Noch bis") == 3
    assert f'datetime="{timezone.localtime(weighting.phase.ends_at).isoformat()}"' in open_now
    assert reverse("consultation:index") in open_now
    # Every link of the section works.
    for url in _links(open_now):
        assert client.get(url).status_code == 200, url


def test_a_phase_that_is_not_set_up_is_not_linked(client, make_phase):
    bare = make_phase("weighting")  # no weighting configured: its pages are a 404
    survey_phase = make_phase("survey")
    services.survey_configure(actor=None, phase=survey_phase, mode="open")  # no questions
    html = client.get("/").content.decode()
    for phase in (bare, survey_phase):
        assert f"/{phase.pk}/" not in _section(html, "jetzt-mitmachen")
    assert "Gerade läuft keine Beteiligung" in html


def test_what_comes_next_is_listed_with_its_dates(client, make_phase):
    later = make_phase("ideas")
    later.starts_at = timezone.now() + timedelta(days=10)
    later.ends_at = later.starts_at + timedelta(days=20)
    later.save()
    html = client.get("/").content.decode()
    upcoming = _section(html, "demnaechst")
    assert later.title in upcoming
    assert f'datetime="{timezone.localtime(later.starts_at).isoformat()}"' in upcoming
    assert reverse("participation:process_detail", args=[later.process.slug]) in upcoming
    assert later.title not in _section(html, "jetzt-mitmachen")


def test_the_latest_results_show_one_chart_with_its_table(client, make_weighting, fields, cast):
    weighting = make_weighting("pick", pick_k=1, minimum_group_size=2)
    for field in (fields[1], fields[1], fields[1], fields[0], fields[2]):
        cast(weighting, [field.pk])
    close(weighting.phase)
    html = client.get("/").content.decode()
    results = _section(html, "neueste-ergebnisse")
    assert results.count("<svg") == 1 and 'role="img"' in results
    assert "<table" in results  # the text alternative: the same numbers as a table
    assert reverse("consultation:weighting_results", args=[weighting.phase_id]) in results
    # Sorted by value: Bildung (3 of 5) first.
    rows = re.findall(r'<th scope="row" class="kern-table__header">([^<]+)</th>', results)
    assert rows[0] == "Bildung"
    assert "nicht repräsentativ" in results


def test_results_not_yet_public_are_not_shown(client, make_weighting, fields, cast):
    weighting = make_weighting("pick", pick_k=1, minimum_group_size=2)
    for field in fields[:3]:
        cast(weighting, [field.pk])
    html = client.get("/").content.decode()
    assert 'id="neueste-ergebnisse"' not in html


def test_the_strategy_at_a_glance_links_every_field(client, framework, fields):
    html = client.get("/").content.decode()
    glance = _section(html, "strategie-auf-einen-blick")
    for field in fields:
        url = reverse("strategy:field_detail", args=[field.code])
        assert url in glance
        assert client.get(url).status_code == 200


def _data(size, *, make_phase, make_weighting, make_survey, fields, cast, demographics):
    """Open and upcoming phases of every kind, a finished weighting with ballots: ``size``
    times as many of each."""
    for _ in range(size):
        make_phase("ideas")
        make_weighting("pick", pick_k=2)
        make_survey()
        later = make_phase("ideas")
        later.starts_at = timezone.now() + timedelta(days=3)
        later.save()
    finished = make_weighting("pick", pick_k=2, minimum_group_size=2)
    demographics(finished.phase)
    for i in range(10 * size):
        cast(finished, [fields[i % 4].pk], {"alter": ["jung", "mittel", "alt"][i % 3]})
    close(finished.phase)


@pytest.mark.parametrize("size", [1, 8])
def test_the_home_page_runs_a_constant_number_of_queries(
    client,
    framework,
    make_phase,
    make_weighting,
    make_survey,
    fields,
    cast,
    demographics,
    size,
    django_assert_num_queries,
):
    _data(
        size,
        make_phase=make_phase,
        make_weighting=make_weighting,
        make_survey=make_survey,
        fields=fields,
        cast=cast,
        demographics=demographics,
    )
    client.get("/")  # sessions, site settings and caches warmed up once
    # Strategy (1), idea calls (1), consultation phases (1), public results (1), and the
    # chart of the newest weighting: fields, questions, ballots, population targets (4), and
    # the indicators' states for the Umsetzungsmonitor's card (1).
    with django_assert_num_queries(9):
        html = client.get("/").content.decode()
    assert html.count("Noch bis") == 3 * size
