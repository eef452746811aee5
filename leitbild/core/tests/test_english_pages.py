"""English pages show English chrome and English numbers.

Every URL of the access table is requested with the language switch set to English, as an
anonymous visitor and as each role (the one URL walker, ``urlwalk``), and the *chrome* of each
HTML answer is searched for German words that a missing translation would leave behind.

What counts as chrome, decided pragmatically: the text of ``<title>``, ``<header>``, ``<nav>``,
``<footer>``, headings, ``<label>``, ``<legend>``, ``<button>``, ``<th>``, ``<caption>``,
``<option>`` and ``<summary>``, and the attributes ``aria-label``, ``title``, ``placeholder``
and ``alt`` anywhere. The demo city's content is German data (idea titles, survey questions,
field names), and it appears inside such elements; so every text stored in the database (each
text column and each string in a JSON column, and each of their lines) is cut out of the chrome
before it is searched (a one-word text, such as a section called "Beteiligung", not from the
header, navigation and footer, which hold no content). Running text in ``<main>`` outside
those elements (paragraphs, hints) is not checked: it mixes content and chrome too freely to
tell apart without marking every template.
"""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation

from leitbild.core.tests.access_table import URL_ACCESS
from leitbild.core.tests.urlwalk import all_urls, sample_kwargs

# Words a German page has and an English one must not (whole words, case as written).
GERMAN_WORDS = (
    "Anmelden", "Abmelden", "Startseite", "Speichern", "Suche", "Suchen", "Zurück", "Weiter",
    "Beteiligung", "Ideen", "Idee", "Handlungsfelder", "Handlungsfeld", "Projekte", "Projekt",
    "Datenschutz", "Datenschutzerklärung", "Impressum", "Barrierefreiheit", "Seite", "Seiten",
    "Einreichen", "Abbrechen", "und", "Übersicht", "Verwaltung", "Strategie", "Umsetzung",
    "Gewichtung", "Umfrage", "Ergebnisse", "bearbeiten", "Bearbeiten", "Löschen", "löschen",
    "anlegen", "Anlegen", "Hinweis", "Titel", "Beschreibung", "Kommentare", "Kommentar",
    "Unterstützungen", "Herkunft", "Ort", "Ziele", "Ziel", "für", "mit", "oder", "nicht", "von",
    "der", "die", "das", "Sie", "Ihre", "alle", "Alle", "gesamt", "Hauptnavigation",
)  # fmt: skip
GERMAN = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, GERMAN_WORDS)) + r")(?![\w-])")

CHROME_ELEMENTS = {
    "title", "header", "nav", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "label", "legend",
    "button", "th", "caption", "option", "summary",
}  # fmt: skip
CHROME_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
}  # fmt: skip
# Not pages: a JSON health report, the JavaScript catalog, the language switch itself.
# The frame of every page: chrome only, no stored content (but the city's name).
FRAME_ELEMENTS = {"header", "nav", "footer"}
NOT_PAGES = {"core:healthz", "core:javascript_catalog", "set_language"}


class ChromeText(HTMLParser):
    """Collects the text of the chrome elements and the chrome attributes of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # how many chrome elements are open around the current text
        self.open: list[str] = []
        self.texts: list[tuple[str, bool]] = []  # (text, inside header, nav or footer)
        self._current: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in CHROME_ATTRIBUTES and value:
                self.texts.append((value, self._in_frame()))
        if tag in VOID_ELEMENTS:
            return
        self.open.append(tag)
        if tag in CHROME_ELEMENTS:
            self._flush()
            self.depth += 1

    def handle_endtag(self, tag):
        if tag not in self.open:
            return
        while self.open:
            closed = self.open.pop()
            if closed in CHROME_ELEMENTS:
                self._flush()
                self.depth -= 1
            if closed == tag:
                break

    def handle_data(self, data):
        if self.depth and not (self.open and self.open[-1] in ("script", "style")):
            self._current.append(data)

    def _in_frame(self) -> bool:
        return any(tag in FRAME_ELEMENTS for tag in self.open)

    def _flush(self):
        text = " ".join("".join(self._current).split())
        if text:
            self.texts.append((text, self._in_frame()))
        self._current = []

    def close(self):
        super().close()
        self._flush()


def chrome_texts(html: str) -> list[tuple[str, bool]]:
    parser = ChromeText()
    parser.feed(html)
    parser.close()
    return parser.texts


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def stored_texts() -> list[str]:
    """Every text in the database that contains one of the German words, with each of its
    lines, longest first (so that a title is cut out before a part of it)."""
    found: set[str] = set()
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for text in _strings(list(row)):
                for part in [text, *text.splitlines()]:
                    part = " ".join(part.split())
                    if part and GERMAN.search(part):
                        found.add(part)
    return sorted(found, key=len, reverse=True)


def german_words_in_chrome(html: str, content: list[str]) -> list[str]:
    problems = []
    for text, in_frame in chrome_texts(html):
        if not GERMAN.search(text):
            continue
        for known in content:
            # A one-word text (a section called "Beteiligung") is not cut out of the header,
            # the navigation and the footer, which hold no content, so that it cannot hide the
            # same word of the navigation.
            if (" " in known or not in_frame) and known in text:
                text = text.replace(known, " ")
            elif known == text.strip():
                text = ""
        words = GERMAN.findall(text)
        if words:
            problems.append(f"{', '.join(sorted(set(words)))} in {text.strip()[:120]!r}")
    return problems


def test_the_chrome_check_cuts_out_stored_content_and_finds_german_words():
    html = (
        "<header><nav><a>Startseite</a></nav></header><main><h1>Radwege und Plätze</h1>"
        "<p>Idee ohne Prüfung</p><button aria-label='Close'>Speichern</button></main>"
    )
    assert german_words_in_chrome(html, ["Radwege und Plätze"]) == [
        "Startseite in 'Startseite'",
        "Speichern in 'Speichern'",
    ]


@pytest.fixture
def demo_city(db):
    from leitbild.core.demo import demo_load

    demo_load()


def _english_client(user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def test_english_pages_show_no_german_chrome_to_anyone(demo_city, staff_users):
    samples = sample_kwargs()
    content = stored_texts()
    visitors = {"anonymous": None, **staff_users}
    problems: dict[str, list[str]] = {}
    checked = 0
    for url in all_urls():
        if url.name is None or url.name not in URL_ACCESS or url.name in NOT_PAGES:
            continue
        if url.namespace == "api":
            continue
        if url.pattern.pattern.converters and url.name not in samples:
            continue  # reported by the access test
        path = reverse(url.name, kwargs=samples.get(url.name, {}))
        for who, user in visitors.items():
            response = _english_client(user).get(path)
            if "text/html" not in response.get("Content-Type", ""):
                continue
            if response.status_code not in (200, 400, 403, 404):
                continue
            checked += 1
            assert response["Content-Language"] == "en"
            for problem in german_words_in_chrome(response.content.decode(), content):
                problems.setdefault(problem, []).append(f"{url.name} as {who}")
    report = [f"{problem}  ({', '.join(where[:3])}…)" for problem, where in problems.items()]
    assert report == [], "\n".join(report)
    assert checked > 400


# --- Numbers ------------------------------------------------------------------------------------


def test_numbers_follow_the_language_of_the_page():
    from leitbild.core.charts import format_number, format_percent

    with translation.override("en"):
        assert (format_number(1234.5), format_percent(0.125)) == ("1,234.5", "12.5%")
    with translation.override("de"):
        assert (format_number(1234.5), format_percent(0.125)) == ("1.234,5", "12,5\u00a0%")


def _page(path: str, language: str, user=None) -> str:
    client = _english_client(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(path).content.decode()


def test_result_shares_and_amounts_are_written_as_the_reader_writes_them(demo_city, staff_users):
    samples = sample_kwargs()
    results = reverse(
        "consultation:weighting_results", kwargs=samples["consultation:weighting_results"]
    )
    german, english = _page(results, "de"), _page(results, "en")
    # Shares in the table beside each chart and on its bars.
    assert re.search(r">\d{1,2},\d\u00a0%<", german) and not re.search(r">\d{1,2}\.\d%<", german)
    assert re.search(r">\d{1,2}\.\d%<", english) and not re.search(r"\d,\d\u00a0%", english)
    financing = reverse("portfolio:staff_financing")
    admin = staff_users["admin"]
    german, english = _page(financing, "de", admin), _page(financing, "en", admin)
    assert re.search(r">\d{1,3}\.\d{3}\.\d{3}<", german)
    assert re.search(r">\d{1,3},\d{3},\d{3}<", english)
    assert not re.search(r">\d{1,3}\.\d{3}\.\d{3}<", english)
