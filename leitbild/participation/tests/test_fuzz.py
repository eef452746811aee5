"""Nothing a visitor sends produces a server error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leitbild.participation.models import Idea

text = st.text(max_size=300)
values = st.one_of(
    text,
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(
        ["", "1", "-1", "NaN", "Infinity", "1e400", "0x10", "52.43", "999999999999999999999"]
    ),
)
fields = {
    "title": values,
    "description": values,
    "action_fields": st.lists(values, max_size=5),
    "address": values,
    "lat": values,
    "lon": values,
    "email": values,
    "privacy": values,
    "website": values,
    "altcha": values,
    "photo_description": values,
}
comment_fields = {
    "text": values,
    "author_name": values,
    "parent": values,
    "website": values,
    "altcha": values,
}

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def no_rate_limits(settings):
    settings.LEITBILD_PARTICIPATION_RATE_LIMITS = {
        key: (10**9, 60)
        for key in ["submit", "comment", "support", "report", "similar", "challenge"]
    }


@SETTINGS
@given(data=st.fixed_dictionaries({}, optional=fields))
def test_submission_never_fails_with_a_server_error(client, process, no_rate_limits, data):
    response = client.post(f"/beteiligung/{process.slug}/ideen/neu/", data)
    assert response.status_code < 500
    assert not Idea.objects.filter(title="").exists()


@SETTINGS
@given(data=st.fixed_dictionaries({}, optional=comment_fields))
def test_comments_never_fail_with_a_server_error(client, idea, no_rate_limits, data):
    response = client.post(f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/kommentieren/", data)
    assert response.status_code < 500


@SETTINGS
@given(
    query=st.dictionaries(
        st.sampled_from(
            ["feld", "status", "herkunft", "suche", "sortierung", "seite", "title", "bbox"]
        ),
        values,
        max_size=5,
    )
)
def test_list_api_and_similar_never_fail(client, idea, no_rate_limits, query):
    slug = idea.process.slug
    for path in [
        f"/beteiligung/{slug}/ideen/",
        f"/beteiligung/{slug}/ideen/aehnliche/",
        "/api/v1/ideas.geojson",
        f"/beteiligung/{slug}/ideen/{idea.pk}/",
    ]:
        assert client.get(path, query).status_code < 500, path


def test_an_empty_submission_beyond_the_limit_gets_the_message_not_an_error(client, process):
    """Found by the fuzz test: an empty form sent without JavaScript after the allowance for
    such submissions was used up answered 500."""
    from django.test import override_settings

    url = f"/beteiligung/{process.slug}/ideen/neu/"
    with override_settings(LEITBILD_PARTICIPATION_RATE_LIMITS={"submit_nojs": (0, 60)}):
        response = client.post(url, {})
    assert response.status_code == 200
    assert "sehr viele Einreichungen" in response.content.decode()
