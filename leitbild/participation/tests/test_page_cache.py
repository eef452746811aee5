"""The idea list and the map markers are cached for visitors without a session, under
``selectors.ideas_version``. These tests show that no kind of write leaves a stale page: each
one first makes sure the old page came from the cache, then writes, then reads again."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leitbild.participation import selectors, services
from leitbild.participation.models import Comment, IdeaStatus, Phase, Process, Workshop


def list_url(process) -> str:
    return f"/beteiligung/{process.slug}/ideen/"


def cached_page(process, path: str = "") -> str:
    """The list as a new anonymous visitor sees it, after making sure it is in the cache."""
    url = list_url(process) + path
    Client().get(url)
    response = Client().get(url)
    assert response["X-Leitbild-Cache"] == "hit"
    return response.content.decode()


def fresh_page(process, path: str = "") -> str:
    return Client().get(list_url(process) + path).content.decode()


def markers(process) -> dict:
    response = Client().get("/api/v1/ideas.geojson", {"process": process.slug})
    return {f["properties"]["title"]: f for f in response.json()["features"]}


@pytest.fixture
def placed(process, make_idea):
    return make_idea(process, title="Sensoren im Park", lat="52.41", lon="10.75")


@pytest.fixture
def travel(monkeypatch):
    """Move the clocks of Django and of the cache to ``moment``, and stop them there."""

    def to(moment):
        ahead = (moment - timezone.now()).total_seconds()
        real_time = time.time
        monkeypatch.setattr(timezone, "now", lambda: moment)
        monkeypatch.setattr(time, "time", lambda: real_time() + ahead)

    return to


# --- The cache is used ----------------------------------------------------------------------
def test_an_anonymous_visitor_gets_the_list_from_the_cache(
    client, idea, django_assert_max_num_queries
):
    first = client.get(list_url(idea.process))
    assert first["X-Leitbild-Cache"] == "miss"
    with django_assert_max_num_queries(1):  # the version, nothing else
        second = client.get(list_url(idea.process))
    assert second["X-Leitbild-Cache"] == "hit"
    assert second.content == first.content
    assert "Cookie" in second["Vary"]


def test_every_filter_and_page_is_a_page_of_its_own(idea, make_idea):
    make_idea(idea.process, title="Bänke am See")
    assert "Bänke am See" in cached_page(idea.process)
    only = cached_page(idea.process, "?suche=Fahrrad")
    assert "Mehr Fahrradbügel" in only and "Bänke am See" not in only


def test_the_version_costs_one_query(idea, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert selectors.ideas_version(slug=idea.process.slug)
    with django_assert_num_queries(1):
        assert selectors.ideas_version()
    assert selectors.ideas_version(slug="gibt-es-nicht") is None


def test_the_list_links_each_idea_like_reverse_does(idea):
    assert reverse("participation:idea_detail", args=[idea.process.slug, idea.pk]) in (
        fresh_page(idea.process)
    )


# --- No write leaves a stale page -----------------------------------------------------------
def test_an_approved_idea_appears(make_process, make_idea, moderator):
    process = make_process("vorab", moderation=Process.Moderation.PRE)
    make_idea(process, title="Erste Idee")
    services.idea_approve(actor=moderator, idea=process.ideas.get())
    assert "Erste Idee" in cached_page(process)
    waiting = make_idea(process, title="Noch nicht frei")
    assert "Noch nicht frei" not in cached_page(process)
    services.idea_approve(actor=moderator, idea=waiting)
    assert "Noch nicht frei" in fresh_page(process)


def test_a_submitted_idea_appears_at_once_under_post_moderation(idea, make_idea):
    assert "Bänke am See" not in cached_page(idea.process)
    make_idea(idea.process, title="Bänke am See")
    assert "Bänke am See" in fresh_page(idea.process)


def test_a_support_is_counted(placed):
    assert "0 Unterstützungen" in cached_page(placed.process)
    assert markers(placed.process)[placed.title]["properties"]["support_count"] == 0
    assert services.idea_support(idea=placed, visitor="v1")
    html = fresh_page(placed.process)
    assert "1 Unterstützung" in html and "0 Unterstützungen" not in html
    assert markers(placed.process)[placed.title]["properties"]["support_count"] == 1


def test_a_comment_is_counted_and_a_hidden_one_no_more(idea, moderator):
    assert "0 Kommentare" in cached_page(idea.process)
    comment = services.comment_add(idea=idea, text="Gute Idee")
    assert "1 Kommentar" in cached_page(idea.process)
    services.comment_moderate(actor=moderator, comment=comment, visible=False, reason="Spam")
    assert "0 Kommentare" in fresh_page(idea.process)


def test_a_pre_moderated_comment_is_counted_once_approved(make_process, make_idea, moderator):
    process = make_process("vorab", moderation=Process.Moderation.PRE)
    idea = services.idea_approve(actor=moderator, idea=make_idea(process))
    comment = services.comment_add(idea=idea, text="Gute Idee")
    assert comment.state == Comment.State.PENDING
    assert "0 Kommentare" in cached_page(process)
    services.comment_moderate(actor=moderator, comment=comment, visible=True)
    assert "1 Kommentar" in fresh_page(process)


def test_a_status_change_shows(placed, moderator):
    badge = 'kern-label--small">in Prüfung<'
    assert badge not in cached_page(placed.process)
    assert markers(placed.process)[placed.title]["properties"]["status"] == "published"
    services.idea_status_set(actor=moderator, idea=placed, status=IdeaStatus.IN_REVIEW)
    assert badge in fresh_page(placed.process)
    assert markers(placed.process)[placed.title]["properties"]["status"] == "in_review"
    services.idea_status_set(
        actor=moderator, idea=placed, status=IdeaStatus.REMOVED, reason="Werbung"
    )
    assert placed.title not in fresh_page(placed.process)
    assert markers(placed.process) == {}


def test_an_edit_by_moderation_shows(idea, moderator, action_fields):
    assert "Fahrradbügel" in cached_page(idea.process)
    services.idea_edit(
        actor=moderator,
        idea=idea,
        title="Radbügel am Bahnhof",
        description=idea.description,
        fields=action_fields[:2],
    )
    html = fresh_page(idea.process)
    assert "Radbügel am Bahnhof" in html and "Fahrradbügel" not in html


def test_a_merge_moves_supports_and_hides_the_duplicate(placed, make_idea, moderator):
    twin = make_idea(placed.process, title="Sensoren im Stadtpark", lat="52.42", lon="10.76")
    services.idea_support(idea=twin, visitor="v1")
    services.idea_support(idea=twin, visitor="v2")
    html = cached_page(placed.process)
    assert "Sensoren im Stadtpark" in html and "2 Unterstützungen" in html
    assert set(markers(placed.process)) == {"Sensoren im Park", "Sensoren im Stadtpark"}
    services.idea_merge(actor=moderator, idea=twin, into=placed)
    html = fresh_page(placed.process)
    assert "Sensoren im Stadtpark" not in html and "2 Unterstützungen" in html
    assert "1 Idee gefunden" in html
    assert markers(placed.process)["Sensoren im Park"]["properties"]["support_count"] == 2
    assert set(markers(placed.process)) == {"Sensoren im Park"}


def test_a_phase_change_by_staff_shows(idea, moderator):
    assert "Der Ideenaufruf läuft bis" in cached_page(idea.process)
    phase = idea.process.phases.get()
    now = timezone.now()
    services.phase_save(
        actor=moderator,
        process=idea.process,
        phase=phase,
        starts_at=now - timedelta(days=9),
        ends_at=now - timedelta(days=1),
    )
    html = fresh_page(idea.process)
    assert "zu Ende gegangen" in html and "Idee einreichen" not in html


def test_the_end_of_a_phase_shows_without_any_write(idea, travel):
    ends_at = idea.process.phases.get().ends_at
    travel(ends_at - timedelta(seconds=30))
    assert "Der Ideenaufruf läuft bis" in cached_page(idea.process)
    travel(ends_at + timedelta(seconds=1))
    html = fresh_page(idea.process)
    assert "zu Ende gegangen" in html and "Idee einreichen" not in html


def test_the_start_of_a_phase_shows_without_any_write(make_process, travel):
    process = make_process("bald", open_now=False)
    now = timezone.now()
    Phase.objects.create(
        process=process,
        kind=Phase.Kind.IDEAS,
        title="Zweite Runde",
        starts_at=now + timedelta(seconds=20),
        ends_at=now + timedelta(days=5),
    )
    assert "beginnt am" in cached_page(process)
    travel(now + timedelta(seconds=21))
    assert "Der Ideenaufruf läuft bis" in fresh_page(process)


def test_a_page_is_kept_no_longer_than_until_the_next_phase_change(idea, travel):
    ends_at = idea.process.phases.get().ends_at
    travel(ends_at - timedelta(seconds=5))
    cached_page(idea.process)
    travel(ends_at - timedelta(seconds=1))
    assert Client().get(list_url(idea.process))["X-Leitbild-Cache"] == "hit"
    travel(ends_at)
    assert Client().get(list_url(idea.process))["X-Leitbild-Cache"] == "miss"


def test_a_renamed_field_of_action_shows(idea, action_fields, editor_client):
    from leitbild.strategy import services as strategy_services

    field = action_fields[0]
    assert "Mobilität" in cached_page(idea.process)
    editor = editor_client.get("/").wsgi_request.user
    strategy_services.field_update(
        actor=editor, field=field, code=field.code, name="Mobilität und Verkehr"
    )
    assert "Mobilität und Verkehr" in fresh_page(idea.process)


def test_a_renamed_workshop_and_process_show(process, make_idea, moderator):
    workshop = Workshop.objects.create(
        process=process,
        title="Jugendforum",
        held_on=timezone.localdate(),
        stakeholder_group="oeffentlichkeit",
    )
    make_idea(process, source="workshop", workshop=workshop, actor=moderator)
    assert "Workshop „Jugendforum“" in cached_page(process)
    services.workshop_save(
        actor=moderator, process=process, workshop=workshop, title="Jugendforum Nord"
    )
    assert "Workshop „Jugendforum Nord“" in cached_page(process)
    process.refresh_from_db()  # the map centre as stored, so that full_clean passes
    services.process_save(actor=moderator, process=process, title="Ideen für Musterstadt")
    assert "Ideen für Musterstadt" in fresh_page(process)


def test_the_demo_banner_shows_when_switched_on(idea):
    from leitbild.core.services import site_mark_demo

    assert "Demonstration" not in cached_page(idea.process)
    site_mark_demo(is_demo=True)
    assert "Demonstration" in fresh_page(idea.process)


def test_counter_updates_set_updated_at(idea, moderator):
    before = idea.updated_at
    services.idea_support(idea=idea, visitor="v1")
    idea.refresh_from_db()
    assert idea.updated_at > before
    before = idea.updated_at
    comment = services.comment_add(idea=idea, text="Gute Idee")
    idea.refresh_from_db()
    assert idea.updated_at > before
    before = idea.updated_at
    services.comment_moderate(actor=moderator, comment=comment, visible=False)
    idea.refresh_from_db()
    assert idea.updated_at > before


# --- Personal pages are never cached --------------------------------------------------------
def test_staff_with_a_session_never_get_a_cached_page(idea, moderator_client):
    cached_page(idea.process)
    for _ in range(2):
        response = moderator_client.get(list_url(idea.process))
        assert "X-Leitbild-Cache" not in response
        assert "Abmelden" in response.content.decode()
    assert "Abmelden" not in cached_page(idea.process)


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(idea):
    cached_page(idea.process)
    visitor = Client()
    visitor.post(f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/unterstuetzen/")
    response = visitor.get(list_url(idea.process))
    assert "X-Leitbild-Cache" not in response
    assert "Danke für Ihre Unterstützung!" in response.content.decode()
    assert "Danke für Ihre Unterstützung!" not in cached_page(idea.process)


# --- Map markers ----------------------------------------------------------------------------
def test_markers_are_cached_and_the_same_as_built(client, placed):
    url = f"/api/v1/ideas.geojson?process={placed.process.slug}&bbox=10.7,52.4,10.8,52.5"
    first, second = client.get(url), client.get(url)
    assert (first["X-Leitbild-Cache"], second["X-Leitbild-Cache"]) == ("miss", "hit")
    assert first.content == second.content
    assert second.json() == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": placed.pk,
                "geometry": {"type": "Point", "coordinates": [10.75, 52.41]},
                "properties": {
                    "title": "Sensoren im Park",
                    "status": "published",
                    "status_label": "veröffentlicht",
                    "support_count": 0,
                    "url": reverse(
                        "participation:idea_detail", args=[placed.process.slug, placed.pk]
                    ),
                },
            }
        ],
    }


def test_markers_of_an_unknown_process_are_not_found(client, placed):
    assert client.get("/api/v1/ideas.geojson", {"process": "nichts"}).status_code == 404


def test_marker_titles_stay_text(client, process, make_idea):
    title = '</script><b>"Hallo"</b> \\ \u2028 ünd'
    make_idea(process, title=title, lat="52.41", lon="10.75")
    feature = client.get("/api/v1/ideas.geojson").json()["features"][0]
    assert feature["properties"]["title"] == title


def test_marker_labels_follow_the_language(client, placed, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/api/v1/ideas.geojson").json()["features"][0]
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    german = client.get("/api/v1/ideas.geojson").json()["features"][0]
    assert german["properties"]["status_label"] == "veröffentlicht"
    assert english["properties"]["status_label"] != "veröffentlicht"


# --- The version is the process's own -------------------------------------------------------
def test_a_password_change_or_a_strategy_freeze_keeps_the_cached_list(idea, moderator):
    from django.contrib.auth.forms import SetPasswordForm

    from leitbild.accounts import services as account_services
    from leitbild.strategy import services as strategy_services

    cached_page(idea.process)
    form = SetPasswordForm(
        moderator, {"new_password1": "ein-neues-langes-1", "new_password2": "ein-neues-langes-1"}
    )
    assert form.is_valid()
    account_services.password_change(user=moderator, form=form)
    strategy_services.draft_freeze(actor=moderator, strategy=idea.process.strategy)
    assert Client().get(list_url(idea.process))["X-Leitbild-Cache"] == "hit"


def test_another_process_s_ideas_keep_the_cached_list(idea, make_process, make_idea):
    cached_page(idea.process)
    make_idea(make_process("anderes"), title="Woanders")
    assert Client().get(list_url(idea.process))["X-Leitbild-Cache"] == "hit"


def test_an_approval_raises_the_version_in_its_transaction(make_process, make_idea, moderator):
    process = make_process("vorab", moderation=Process.Moderation.PRE)
    waiting = make_idea(process, title="Noch nicht frei")
    cached_page(process)
    before = selectors.ideas_version(slug=process.slug)
    services.idea_approve(actor=moderator, idea=waiting)
    assert selectors.ideas_version(slug=process.slug) != before
    assert Client().get(list_url(process))["X-Leitbild-Cache"] == "miss"


def test_saving_a_process_read_earlier_does_not_set_the_version_back(idea, moderator):
    stale = Process.objects.get(pk=idea.process_id)
    services.idea_support(idea=idea, visitor="v1")
    raised = Process.objects.get(pk=idea.process_id).ideas_version
    stale.title = "Neuer Titel"
    stale.save()
    assert Process.objects.get(pk=idea.process_id).ideas_version == raised
