import pytest

from leitbild.participation import services
from leitbild.participation.models import Comment, IdeaStatus, Report


def test_the_participation_start_lists_processes(client, process):
    assert process.title in client.get("/beteiligung/").content.decode()


def test_the_process_page_shows_phases_and_open_data(client, idea):
    html = client.get(f"/beteiligung/{idea.process.slug}/").content.decode()
    assert "Ideen sammeln" in html and "Idee einreichen" in html
    assert f"/beteiligung/{idea.process.slug}/ideen.csv" in html


def test_pages_are_read_only_with_a_notice_after_the_phase(
    client, closed_process, moderator, action_fields
):
    idea = services.idea_submit(
        process=closed_process,
        title="Alte Idee",
        description="Aus der Postkarte",
        fields=action_fields[:1],
        source="postkarte",
        actor=moderator,
    )
    for path in [
        f"/beteiligung/{closed_process.slug}/",
        f"/beteiligung/{closed_process.slug}/ideen/",
        f"/beteiligung/{closed_process.slug}/ideen/{idea.pk}/",
        f"/beteiligung/{closed_process.slug}/ideen/neu/",
    ]:
        html = client.get(path).content.decode()
        assert "zu Ende gegangen" in html, path
        assert "Idee unterstützen" not in html
        assert "Kommentar senden" not in html
        assert 'name="title"' not in html


def test_support_after_the_phase_is_refused_with_a_message(
    client, closed_process, moderator, action_fields
):
    idea = services.idea_submit(
        process=closed_process,
        title="Alte Idee",
        description="Aus der Postkarte",
        fields=action_fields[:1],
        source="postkarte",
        actor=moderator,
    )
    response = client.post(
        f"/beteiligung/{closed_process.slug}/ideen/{idea.pk}/unterstuetzen/", follow=True
    )
    assert "nicht unterstützt werden" in response.content.decode()
    idea.refresh_from_db()
    assert idea.support_count == 0


@pytest.fixture
def listed(process, make_idea, action_fields, moderator):
    a = make_idea(process, title="Sensoren für Parkplätze", fields=[action_fields[0]])
    b = make_idea(process, title="Tablets für Grundschulen", fields=[action_fields[1]])
    c = services.idea_submit(
        process=process,
        title="Grüne Dächer",
        description="Begrünung " * 5,
        fields=[action_fields[2]],
        source="postkarte",
        actor=moderator,
    )
    services.idea_support(idea=b, visitor="v1")
    services.idea_support(idea=b, visitor="v2")
    services.comment_add(idea=c, text="Ja!")
    services.idea_status_set(actor=moderator, idea=a, status=IdeaStatus.IN_REVIEW)
    return a, b, c


def titles(response) -> list[str]:
    return [i.title for i in response.context["page_obj"].object_list]


def test_the_list_filters_by_field_status_source_and_text(client, listed, action_fields):
    a, b, c = listed
    base = f"/beteiligung/{a.process.slug}/ideen/"
    assert titles(client.get(base, {"feld": action_fields[1].pk})) == [b.title]
    assert titles(client.get(base, {"status": "in_review"})) == [a.title]
    assert titles(client.get(base, {"herkunft": "postkarte"})) == [c.title]
    assert titles(client.get(base, {"suche": "grundschul"})) == [b.title]


def test_the_list_sorts_by_support_and_discussion(client, listed):
    a, b, c = listed
    base = f"/beteiligung/{a.process.slug}/ideen/"
    assert titles(client.get(base, {"sortierung": "unterstuetzung"}))[0] == b.title
    assert titles(client.get(base, {"sortierung": "diskussion"}))[0] == c.title
    assert titles(client.get(base))[0] == c.title  # newest first


def test_the_list_ignores_nonsense_filters(client, listed):
    base = f"/beteiligung/{listed[0].process.slug}/ideen/"
    response = client.get(
        base, {"feld": "abc", "status": "removed", "sortierung": "x", "seite": "999"}
    )
    assert response.status_code == 200
    assert len(titles(response)) == 3


def test_the_detail_shows_place_history_and_comments(client, process, make_idea):
    idea = make_idea(process, address="Marktplatz 1", lat="52.43", lon="10.79")
    services.comment_add(idea=idea, text="Sehr gute Idee")
    html = client.get(f"/beteiligung/{process.slug}/ideen/{idea.pk}/").content.decode()
    assert "Marktplatz 1" in html and 'id="ort-karte"' in html
    assert "Was aus der Idee wurde" in html and "veröffentlicht" in html
    assert "Sehr gute Idee" in html
    assert html.count("<h1") == 1


def test_unpublished_and_unknown_ideas_are_not_found(client, make_process, make_idea):
    process = make_process("vorab", moderation="pre")
    idea = make_idea(process)
    assert client.get(f"/beteiligung/{process.slug}/ideen/{idea.pk}/").status_code == 404
    assert client.get(f"/beteiligung/{process.slug}/ideen/999999/").status_code == 404
    assert client.get("/beteiligung/gibt-es-nicht/").status_code == 404


def test_a_visitor_comments_and_replies(client, idea, altcha_payload):
    url = f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/kommentieren/"
    response = client.post(
        url, {"text": "Bin dafür", "author_name": "Kim", "altcha": altcha_payload()}
    )
    assert response.status_code == 302
    top = Comment.objects.get()
    client.post(url, {"text": "Ich auch", "parent": top.pk, "altcha": altcha_payload()})
    reply = Comment.objects.exclude(pk=top.pk).get()
    assert reply.parent == top
    idea.refresh_from_db()
    assert idea.comment_count == 2
    html = client.get(f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/").content.decode()
    assert "Kim" in html and "Ich auch" in html


def test_an_invalid_comment_keeps_the_text_and_explains(client, idea):
    url = f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/kommentieren/"
    response = client.post(url, {"text": "<b>fett</b>", "altcha": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "&lt;b&gt;fett&lt;/b&gt;" in html and "<b>fett</b>" not in html
    assert 'id="id_altcha_error"' in html
    assert not Comment.objects.exists()


def test_a_reply_to_a_reply_is_refused(client, idea, altcha_payload):
    top = services.comment_add(idea=idea, text="Oben")
    reply = services.comment_add(idea=idea, text="Mitte", parent=top)
    url = f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/kommentieren/"
    response = client.post(url, {"text": "Unten", "parent": reply.pk, "altcha": altcha_payload()})
    assert response.status_code == 400
    assert Comment.objects.count() == 2


def test_a_visitor_reports_a_comment(client, idea):
    comment = services.comment_add(idea=idea, text="Beleidigung")
    url = f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/melden/"
    assert client.get(url, {"kommentar": comment.pk}).status_code == 200
    response = client.post(url, {"reason": "offensive", "comment": comment.pk, "text": "Bitte"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.comment == comment and report.idea == idea


def test_the_contact_is_confirmed_only_by_post(client, process, make_idea):
    idea = make_idea(process, email="anna@example.org")
    url = f"/beteiligung/kontakt/{idea.submitter.token}/"
    client.get(url)
    idea.submitter.refresh_from_db()
    assert idea.submitter.confirmed_at is None
    client.post(url)
    idea.submitter.refresh_from_db()
    assert idea.submitter.confirmed_at is not None
    assert client.post("/beteiligung/kontakt/unbekannt/").status_code == 404


def test_the_map_page_degrades_without_javascript(client, idea):
    html = client.get(f"/beteiligung/{idea.process.slug}/karte/").content.decode()
    assert "<noscript>" in html and "/api/v1/ideas.geojson?process=" in html
    assert "markercluster" in html


def test_every_map_draws_the_districts_under_the_markers(client, idea, settings):
    pages = [
        f"/beteiligung/{idea.process.slug}/karte/",
        f"/beteiligung/{idea.process.slug}/ideen/neu/",  # the place picker
    ]
    for path in pages:
        assert 'data-districts-url="/karte/stadtteile.geojson"' in client.get(path).content.decode()
    settings.MAP_DISTRICTS = ""  # a city without a districts file: maps as before
    for path in pages:
        assert 'data-districts-url=""' in client.get(path).content.decode()


def test_the_map_lists_the_ideas_of_the_visible_area_beside_it(client, idea):
    html = client.get(f"/beteiligung/{idea.process.slug}/karte/").content.decode()
    # Filled by the script; without JavaScript the section stays hidden (the list page is linked).
    assert 'id="karte-liste-bereich" aria-labelledby="karte-liste-titel" hidden' in html
    assert 'id="karte-status" role="status"' in html


def test_the_altcha_challenge_is_served_by_us(client, db):  # counted in the shared store
    response = client.get("/beteiligung/altcha/")
    data = response.json()
    assert data["parameters"]["algorithm"] == "PBKDF2/SHA-256"
    assert data["signature"]
    assert "no-cache" in response["Cache-Control"]


def test_no_inline_scripts_or_styles(client, idea):
    for path in [
        f"/beteiligung/{idea.process.slug}/ideen/neu/",
        f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/",
        f"/beteiligung/{idea.process.slug}/karte/",
    ]:
        html = client.get(path).content.decode()
        assert "<script>" not in html and 'style="' not in html, path
