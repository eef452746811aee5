"""The JavaScript texts come from the translation catalog, which the application serves itself.

The scripts call ``gettext()``/``ngettext()``/``interpolate()`` from Django's JavaScript catalog
(``core:javascript_catalog``, domain ``djangojs``); base.html loads it as a file before every
other script, since the CSP allows no inline script.
"""

import re
from pathlib import Path

import leitbild

ROOT = Path(leitbild.__file__).parent
# A string literal in a script: "…" or '…'.
LITERAL = re.compile(
    r"""(?P<before>[\w.]*\(\s*)?(?P<quote>["'])(?P<text>(?:\\.|(?!(?P=quote)).)*)(?P=quote)"""
)
GERMAN = re.compile(
    r"[äöüÄÖÜß]|\b(der|die|das|und|von|nicht|Sie|Ihre|Idee|Ideen|Punkte\w*|Ort|Karte)\b"
)
TRANSLATED = ("gettext(", "ngettext(")


def _scripts() -> list[Path]:
    return [
        path
        for path in ROOT.glob("**/static/**/*.js")
        if "vendor" not in path.parts and "node_modules" not in path.parts
    ]


def test_scripts_hold_no_german_text_outside_gettext():
    found = []
    for path in _scripts():
        previous = ""
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if line.lstrip().startswith("//"):
                continue
            for match in LITERAL.finditer(line):
                text = match["text"]
                before = (match["before"] or "").replace(" ", "")
                translated = before.endswith(TRANSLATED) or (
                    # the plural of ngettext("…", "…", n) is its second argument
                    "ngettext(" in previous + line[: match.start()]
                )
                if GERMAN.search(text) and not translated:
                    found.append(f"{path.relative_to(ROOT)}:{number}: {text!r}")
            previous = line
    assert found == []
    assert len(_scripts()) >= 8


def test_the_catalog_is_a_script_file_in_the_readers_language(client, db):
    client.cookies["django_language"] = "en"
    english = client.get("/jsi18n/?lang=en")
    assert english["Content-Type"].startswith("text/javascript")
    assert '"Hineinzoomen": "Zoom in"' in english.content.decode()
    client.cookies["django_language"] = "de"
    assert "Zoom in" not in client.get("/jsi18n/?lang=de").content.decode()


def test_every_page_loads_the_catalog_before_its_scripts(client, db):
    html = client.get("/").content.decode()
    scripts = re.findall(r'<script[^>]* src="([^"]+)"', html)
    assert scripts[0] == "/jsi18n/?lang=de"
    assert "<script>" not in html  # nothing inline: the CSP forbids it
