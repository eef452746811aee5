"""The public indicator pages and the API: the published version's indicators with their
measurements and state, in a constant number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leitbild.strategy.tests.factories import ActionFieldFactory, GoalFactory, IndicatorFactory

from .conftest import measure, publish


@pytest.fixture
def published(indicator):
    publish(indicator.goal.strategy)
    return indicator


def test_nothing_published_says_so(client, db):
    page = client.get(reverse("monitoring:indicator_list")).content.decode()

    assert "Es ist noch keine Strategie mit Indikatoren veröffentlicht." in page


def test_the_list_groups_indicators_by_field_with_state_latest_value_and_target(client, published):
    measure(published, datetime.date(2025, 6, 30), Decimal("40.5"), provisional=True)

    page = client.get(reverse("monitoring:indicator_list")).content.decode()

    assert '<h2 class="kern-heading-medium" id="feld-MOB">Mobilität</h2>' in page
    assert published.name in page
    assert ">auf Kurs<" in page
    assert "40,5" in page and "vorläufig" in page
    assert "50 (2029)" in page
    assert "Wie wir bewerten, ob ein Indikator auf Kurs ist" in page
    assert "31. Dezember des Zieljahres" in page


def test_an_indicator_without_values_cannot_be_assessed(client, published):
    page = client.get(reverse("monitoring:indicator_list")).content.decode()

    assert "keine Bewertung möglich" in page


def test_the_indicator_page_has_a_trend_chart_with_target_path_and_table(client, published):
    measure(published, datetime.date(2024, 12, 31), 20)
    measure(published, datetime.date(2025, 6, 30), 21, provisional=True)

    response = client.get(reverse("monitoring:indicator_detail", args=[published.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in page
    assert "Zielpfad (erwarteter Wert)" in page and "Zielwert" in page
    assert '<th scope="row" class="kern-table__header">30.06.2025</th>' in page
    assert ">vorläufig</td>" in page
    assert ">gefährdet<" in page or ">nicht auf Kurs<" in page
    assert "Wie wir bewerten" in page


def test_draft_changes_are_not_public_until_frozen(client, published):
    published.target_value = 99
    published.save()
    IndicatorFactory(goal=published.goal, name="Neu im Entwurf")

    page = client.get(reverse("monitoring:indicator_list")).content.decode()

    assert "Neu im Entwurf" not in page
    assert "50 (2029)" in page


def test_an_unknown_or_unpublished_indicator_is_not_found(client, published):
    draft_only = IndicatorFactory(goal=published.goal)

    assert (
        client.get(reverse("monitoring:indicator_detail", args=[draft_only.pk])).status_code == 404
    )
    assert client.get(reverse("monitoring:indicator_detail", args=[999999])).status_code == 404


def test_the_home_page_links_the_indicators(client, published):
    measure(published, datetime.date(2025, 6, 30), 40)

    page = client.get(reverse("core:home")).content.decode()

    assert reverse("monitoring:indicator_list") in page
    assert "Sind die Ziele auf Kurs?" in page


def test_the_api_lists_indicators_with_measurements_and_state(client, published):
    measure(published, datetime.date(2024, 12, 31), 20, source="Zählung", comment="intern")

    response = client.get("/api/v1/indicators")

    assert response.status_code == 200
    [item] = response.json()
    assert item["id"] == published.pk
    assert item["direction"] == "higher"
    assert (item["baseline_value"], item["baseline_year"]) == ("10", 2020)
    assert (item["target_value"], item["target_year"]) == ("50", 2029)
    assert item["unit"] == "%"
    assert item["state"] in {"on_track", "at_risk", "off_track"}
    assert item["measurements"] == [
        {"value": "20", "measured_on": "2024-12-31", "provisional": False, "source": "Zählung"}
    ]
    assert "created_by" not in str(response.json())


def _grow(strategy, n: int) -> None:
    for k in range(n):
        field = ActionFieldFactory(strategy=strategy)
        indicator = IndicatorFactory(goal=GoalFactory(field=field))
        for month in range(1, 7):
            measure(indicator, datetime.date(2025, month, 1), 10 + k + month)


@pytest.mark.parametrize(
    "url",
    [
        reverse("monitoring:indicator_list"),
        "/api/v1/indicators",
        reverse("core:home"),
    ],
)
def test_public_reads_make_the_same_number_of_queries_for_few_and_many(client, indicator, url):
    strategy = indicator.goal.strategy
    _grow(strategy, 1)
    publish(strategy)
    client.get(url)  # warm caches (site settings, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    _grow(strategy, 25)
    strategy.versions.all().delete()
    publish(strategy)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200

    assert len(many) == len(few)


def test_staff_reads_make_the_same_number_of_queries_for_few_and_many(editor_client, indicator):
    url = reverse("monitoring:staff_indicators")
    _grow(indicator.goal.strategy, 1)
    editor_client.get(url)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(url)

    _grow(indicator.goal.strategy, 25)
    with CaptureQueriesContext(connection) as many:
        editor_client.get(url)

    assert len(many) == len(few)


def test_the_indicator_page_makes_a_constant_number_of_queries(
    client, published, django_assert_max_num_queries
):
    for month in range(1, 13):
        measure(published, datetime.date(2024, month, 1), 10 + month)

    with django_assert_max_num_queries(8):
        assert (
            client.get(reverse("monitoring:indicator_detail", args=[published.pk])).status_code
            == 200
        )
