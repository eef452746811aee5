from leitbild.core.demo import pages_ensure
from leitbild.core.models import Page


def test_the_legal_pages_are_linked_from_every_page(client, db):
    pages_ensure()
    html = client.get("/").content.decode()
    for slug in ["impressum", "datenschutz", "barrierefreiheit"]:
        assert f'href="/seiten/{slug}/"' in html
        assert client.get(f"/seiten/{slug}/").status_code == 200


def test_administration_edits_a_page_and_html_is_shown_as_text(admin_client, db):
    pages_ensure()
    response = admin_client.post(
        "/verwaltung/seiten/impressum/",
        {"title": "Impressum", "body": "Stadt <script>alert(1)</script>\n\nZweiter Absatz"},
    )
    assert response.status_code == 302
    html = admin_client.get("/seiten/impressum/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "<p>Zweiter Absatz</p>" in html


def test_an_empty_title_is_refused_next_to_the_field_and_the_text_kept(admin_client, db):
    pages_ensure()
    response = admin_client.post(
        "/verwaltung/seiten/impressum/", {"title": "", "body": "Mein Text"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_title_error"' in html
    assert 'aria-invalid="true"' in html
    assert "Mein Text" in html
    assert Page.objects.get(slug="impressum").body != "Mein Text"


def test_an_unknown_page_is_a_404(client, db):
    assert client.get("/seiten/gibt-es-nicht/").status_code == 404


def test_pages_are_german_whatever_the_browser_prefers(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="de">' in response.content.decode()
    assert response["Content-Language"] == "de"


def test_the_language_switch_turns_pages_english(client, db):
    response = client.get("/sprache/en/?next=/seiten/gibt-es-nicht/")
    assert response.status_code == 302
    assert response["Location"] == "/seiten/gibt-es-nicht/"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html


def test_the_language_switch_does_not_redirect_to_other_sites(client, db):
    response = client.get("/sprache/en/?next=https://evil.example/")
    assert response["Location"] == "/"
    assert client.get("/sprache/xx/").status_code == 404


def test_public_pages_carry_no_csrf_token_so_they_can_be_cached(client, db):
    response = client.get("/")
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "csrftoken" not in response.cookies


def _english(client) -> None:
    client.get("/sprache/en/")


def test_an_english_reader_sees_the_english_text_of_a_page(client, db):
    Page.objects.create(
        slug="impressum", title="Impressum", body="Stadt", title_en="Legal notice", body_en="City"
    )
    _english(client)
    html = client.get("/seiten/impressum/").content.decode()
    assert '<div lang="en">' in html
    assert "Legal notice" in html and "<p>City</p>" in html
    assert "(only in German)" not in html


def test_without_an_english_text_the_german_one_is_shown_with_a_note(client, db):
    Page.objects.create(slug="impressum", title="Impressum", body="Stadt Musterstadt")
    _english(client)
    html = client.get("/seiten/impressum/").content.decode()
    assert '<div lang="de">' in html
    assert "<p>Stadt Musterstadt</p>" in html
    assert "(only in German)" in html


def test_a_german_reader_sees_the_german_text_whatever_the_english_one(client, db):
    Page.objects.create(slug="impressum", title="Impressum", body="Stadt", body_en="City")
    html = client.get("/seiten/impressum/").content.decode()
    assert "<p>Stadt</p>" in html and "<p>City</p>" not in html
    assert "nur auf Deutsch" not in html


def test_administration_edits_both_languages_of_a_page(admin_client, db):
    pages_ensure()
    html = admin_client.get("/verwaltung/seiten/impressum/").content.decode()
    assert 'name="title_en"' in html and 'name="body_en"' in html
    response = admin_client.post(
        "/verwaltung/seiten/impressum/",
        {"title": "Impressum", "body": "Stadt", "title_en": "Legal notice", "body_en": "City"},
    )
    assert response.status_code == 302
    page = Page.objects.get(slug="impressum")
    assert (page.title, page.body, page.title_en, page.body_en) == (
        "Impressum",
        "Stadt",
        "Legal notice",
        "City",
    )


def test_the_demo_pages_have_english_texts(db):
    from leitbild.core.demo import PAGES

    for slug, (_title, _body, title_en, body_en) in PAGES.items():
        assert title_en and body_en, slug
