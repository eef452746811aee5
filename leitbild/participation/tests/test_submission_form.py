import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from leitbild.participation.models import Idea, IdeaStatus

from .conftest import image_bytes

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert('x')>",
    "javascript:alert(1)",
    "{{ 7*7 }} {% debug %}",
]


@pytest.fixture
def url(process):
    return f"/beteiligung/{process.slug}/ideen/neu/"


@pytest.fixture
def valid(action_fields, altcha_payload):
    def data(**overrides):
        values = {
            "title": "Sitzbänke am Seeufer",
            "description": "Am Seeufer gibt es zu wenige Bänke für ältere Menschen.",
            "action_fields": [action_fields[0].pk, action_fields[2].pk],
            "address": "Seepromenade",
            "lat": "52.431234",
            "lon": "10.791234",
            "privacy": "on",
            "website": "",
            "altcha": altcha_payload(),
        }
        values.update(overrides)
        return {k: v for k, v in values.items() if v is not None}

    return data


def test_the_form_renders_with_map_fallback_and_no_js_notice(client, url):
    html = client.get(url).content.decode()
    assert 'id="id_address"' in html
    assert "<noscript>" in html and "JavaScript" in html
    assert "altcha-widget" in html
    assert html.count("<h1") == 1


def test_a_visitor_submits_an_idea_without_an_account(client, url, valid):
    response = client.post(url, valid())
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/"
    assert str(idea.lat) == "52.431234" and idea.fields.count() == 2


def test_errors_stand_next_to_the_field_and_input_is_kept(client, url, valid):
    response = client.post(url, valid(title="Ab", action_fields=None, privacy=None))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_title_error"' in html
    assert 'value="Ab"' in html
    assert "Am Seeufer gibt es zu wenige Bänke" in html
    assert 'id="id_action_fields_error"' in html
    assert 'id="id_privacy_error"' in html
    assert not Idea.objects.exists()


def test_more_than_three_fields_are_refused(client, url, valid, action_fields):
    response = client.post(url, valid(action_fields=[f.pk for f in action_fields]))
    assert "höchstens drei" in response.content.decode()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_and_script_are_shown_as_text(client, url, valid, payload):
    response = client.post(
        url, valid(title=f"Titel {payload}"[:120], description=f"Beschreibung mit {payload} darin.")
    )
    idea = Idea.objects.get()
    html = client.get(response["Location"]).content.decode()
    if escape(payload) != payload:
        assert payload not in html
    assert escape(f"Beschreibung mit {payload} darin.") in html
    assert idea.title == f"Titel {payload}"[:120]


def test_submitting_after_the_phase_ended_is_refused_with_a_message(client, closed_process, valid):
    response = client.post(f"/beteiligung/{closed_process.slug}/ideen/neu/", valid())
    assert response.status_code == 403
    assert "nicht gespeichert" in response.content.decode()
    assert not Idea.objects.exists()


def test_the_honeypot_refuses_bots(client, url, valid):
    response = client.post(url, valid(website="http://spam.example"))
    assert response.status_code == 200
    assert not Idea.objects.exists()


def test_the_form_says_at_its_top_what_happens_without_javascript(client, url):
    html = client.get(url).content.decode()
    form = html[html.index('<form method="post" enctype') :]
    notice = form.index('id="ohne-javascript"')
    assert notice < form.index('id="id_title"')
    assert "<noscript>" in form[:notice] and "Moderation" in form[notice : notice + 600]
    # The widget's block needs JavaScript and is shown by altcha-setup.js.
    assert 'id="sicherheitspruefung" hidden' in html


def test_an_idea_without_altcha_waits_for_moderation_in_a_post_moderated_process(
    client, url, valid, process
):
    assert process.moderation == "post"
    response = client.post(url, valid(altcha=""))
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/beteiligung/{process.slug}/"
    assert not idea.is_public and idea.status == IdeaStatus.SUBMITTED
    messages = client.get(response["Location"]).content.decode()
    assert "sobald die Moderation sie geprüft hat" in messages
    assert client.get(f"/beteiligung/{process.slug}/ideen/{idea.pk}/").status_code == 404


def test_ideas_without_altcha_have_a_stricter_rate_limit(client, url, valid):
    for n in range(3):
        client.post(url, valid(altcha="", title=f"Idee ohne Skript {n}"))
    html = client.post(url, valid(altcha="", title="Die vierte")).content.decode()
    assert "sehr viele Einreichungen" in html
    assert Idea.objects.count() == 3
    # With the proof of work the ordinary allowance still holds.
    response = client.post(url, valid(title="Mit Sicherheitsprüfung"))
    assert response.status_code == 302 and Idea.objects.count() == 4


def test_a_replayed_altcha_is_refused(client, url, valid, altcha_payload):
    payload = altcha_payload()
    client.post(url, valid(altcha=payload))
    html = client.post(url, valid(altcha=payload, title="Zweiter Versuch")).content.decode()
    assert "schon verwendet" in html
    assert Idea.objects.count() == 1


def test_an_expired_altcha_is_refused(client, url, valid, settings, altcha_payload):
    settings.LEITBILD_ALTCHA_EXPIRES = -10
    html = client.post(url, valid(altcha=altcha_payload())).content.decode()
    assert "abgelaufen" in html
    assert not Idea.objects.exists()


def test_a_forged_altcha_is_refused(client, url, valid):
    html = client.post(url, valid(altcha="eyJmb28iOiAiYmFyIn0=")).content.decode()
    assert "ungültig" in html
    assert not Idea.objects.exists()


def test_a_photo_is_stored_re_encoded(client, url, valid):
    upload = SimpleUploadedFile("foto.png", image_bytes("PNG"), content_type="image/png")
    client.post(url, {**valid(), "photo": upload})
    idea = Idea.objects.get()
    assert idea.photo.name.endswith(".jpg")


def test_an_oversized_photo_is_refused_next_to_the_field(client, url, valid, settings):
    settings.LEITBILD_IDEA_PHOTO_MAX_BYTES = 1000
    upload = SimpleUploadedFile(
        "gross.jpg", image_bytes(size=(400, 400)) + b"\0" * 2000, content_type="image/jpeg"
    )
    html = client.post(url, {**valid(), "photo": upload}).content.decode()
    assert 'id="id_photo_error"' in html and "zu groß" in html
    assert not Idea.objects.exists()


def test_an_incomplete_place_is_explained(client, url, valid):
    html = client.post(url, valid(lon="")).content.decode()
    assert "unvollständig" in html


def test_submission_is_rate_limited_per_client(client, url, valid, settings):
    settings.LEITBILD_PARTICIPATION_RATE_LIMITS = {"submit": (1, 3600)}
    client.post(url, valid())
    html = client.post(url, valid(title="Noch eine Idee")).content.decode()
    assert "später noch einmal" in html
    assert Idea.objects.count() == 1


def test_similar_ideas_appear_while_typing(client, idea):
    response = client.get(
        f"/beteiligung/{idea.process.slug}/ideen/aehnliche/",
        {"title": "Fahrradbügel Innenstadt"},
        HTTP_HX_REQUEST="true",
    )
    assert idea.title in response.content.decode()
    empty = client.get(f"/beteiligung/{idea.process.slug}/ideen/aehnliche/", {"title": "x"})
    assert idea.title not in empty.content.decode()


def test_premoderated_submission_thanks_without_publishing(client, make_process, valid):
    process = make_process("vorab", moderation="pre")
    response = client.post(f"/beteiligung/{process.slug}/ideen/neu/", valid(), follow=True)
    assert "sobald die Moderation" in response.content.decode()
    assert not Idea.objects.get().is_public
