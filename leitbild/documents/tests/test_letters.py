"""Participation codes and the letters that carry them."""

import csv
import datetime
import hashlib
import hmac
import io
import re

import pytest
from pypdf import PdfReader

from leitbild.documents.letters import (
    CODE_ALPHABET,
    URL_FONT_PT,
    URL_MIN_FONT_PT,
    Sender,
    code_hash_candidates,
    generate_codes,
    hash_code,
    letters_html,
    letters_pdf,
    normalize_code,
    url_lines,
    write_codes_csv,
)

URL = "https://beteiligung.musterstadt.de/teilnahme"
CODE_PATTERN = re.compile(rf"[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}")


def test_codes_are_unique_grouped_and_use_the_unambiguous_alphabet():
    codes = generate_codes(5000)
    assert len(codes) == len(set(codes)) == 5000
    assert all(CODE_PATTERN.fullmatch(code) for code in codes)
    used = set("".join(codes).replace("-", ""))
    assert used <= set(CODE_ALPHABET)
    assert not used & set("0O1IL")


def test_the_alphabet_has_no_ambiguous_characters():
    assert not set(CODE_ALPHABET) & set("0O1IL")
    assert len(set(CODE_ALPHABET)) == len(CODE_ALPHABET) == 31


def test_code_generation_refuses_short_or_too_many_codes():
    assert generate_codes(0) == []
    with pytest.raises(ValueError):
        generate_codes(-1)
    with pytest.raises(ValueError):
        generate_codes(10, length=6)
    with pytest.raises(ValueError):
        generate_codes(10**9, length=8)


def test_typed_codes_are_normalized():
    assert normalize_code("abcd-efgh-jkmn") == "ABCDEFGHJKMN"
    assert normalize_code(" ABCD EFGH JKMN ") == "ABCDEFGHJKMN"
    assert normalize_code("abcd–efgh–jkmn") == "ABCDEFGHJKMN"  # en dash from a word processor


@pytest.mark.parametrize(
    "raw", ["", "ABCD-EFGH-JKM", "ABCD-EFGH-JKMNP", "ABCD-EFGH-JKM0", "OOOO-IIII-LLLL", "x" * 500]
)
def test_malformed_codes_normalize_to_none(raw):
    assert normalize_code(raw) is None


def test_a_code_is_hashed_with_hmac_sha256_keyed_by_the_secret_key(settings):
    settings.SECRET_KEY = "k" * 50
    # Django's salted_hmac: key = SHA-256(salt + secret), then HMAC-SHA256 of the value.
    key = hashlib.sha256(b"leitbild.participation.letters.code" + b"k" * 50).digest()
    expected = hmac.new(key, b"ABCDEFGHJKMN", hashlib.sha256).hexdigest()
    assert hash_code("ABCD-EFGH-JKMN") == expected
    assert hash_code("abcd efgh jkmn") == expected
    assert "ABCD" not in expected and len(expected) == 64


def test_the_hash_depends_on_the_secret_key(settings):
    settings.SECRET_KEY = "a" * 50
    first = hash_code("ABCD-EFGH-JKMN")
    settings.SECRET_KEY = "b" * 50
    assert hash_code("ABCD-EFGH-JKMN") != first


def test_codes_still_match_after_the_secret_key_is_rotated(settings):
    settings.SECRET_KEY = "old" * 20
    stored = hash_code("ABCD-EFGH-JKMN")
    settings.SECRET_KEY = "new" * 20
    settings.SECRET_KEY_FALLBACKS = ["old" * 20]
    candidates = code_hash_candidates("abcd-efgh-jkmn")
    assert len(candidates) == 2 and stored in candidates


def test_a_malformed_code_cannot_be_hashed():
    with pytest.raises(ValueError):
        hash_code("not a code")


def test_codes_are_written_as_csv():
    out = io.StringIO(newline="")
    codes = generate_codes(3)
    assert write_codes_csv(codes, out, url=URL) == 3
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["code", "url"]
    assert rows[1:] == [[code, URL] for code in codes]
    plain = io.StringIO(newline="")
    write_codes_csv(codes, plain)
    assert plain.getvalue().splitlines() == ["code", *codes]


def test_the_letter_html_is_german_titled_and_escaped():
    html = letters_html(
        ["ABCD-EFGH-JKMN"], city_name="Musterstadt <b>", url=URL, process_title="A & B"
    )
    assert html.startswith('<!DOCTYPE html><html lang="de">')
    assert "<title>Teilnahmecodes für A &amp; B</title>" in html
    assert "Musterstadt &lt;b&gt;" in html and "Musterstadt <b>" not in html
    assert "<title>QR-Code mit der Adresse " + URL in html


def test_letters_are_german_and_signed_by_the_configured_city(settings):
    from django.utils import translation

    settings.LEITBILD_CITY_NAME = "Wolfsburg"
    with translation.override("en"):
        html = letters_html(["ABCD-EFGH-JKMN"], url=URL)
    assert '<html lang="de">' in html
    assert "Stadt Wolfsburg" in html and "Ihr Teilnahmecode" in html


def test_the_qr_code_may_carry_the_code_in_the_fragment():
    html = letters_html(
        ["ABCD-EFGH-JKMN", "PQRS-TUVW-XYZ2"],
        city_name="Musterstadt",
        url=URL,
        qr_data=lambda code: f"{URL}#code={code}",
    )
    paths = re.findall(r'<path [^>]*d="([^"]+)"', html)
    assert len(paths) == 2 and paths[0] != paths[1]


@pytest.fixture(scope="module")
def letters():
    codes = generate_codes(3)
    # A long process title and URL must not push a letter onto a second page.
    pdf = letters_pdf(
        codes,
        city_name="Musterstadt an der Aller",
        url=URL + "/" + "sehr-lange-adresse-" * 4,
        process_title="die Gewichtung der Handlungsfelder der Smart-City-Strategie 2030",
        deadline="31. März 2027",
    )
    return codes, PdfReader(io.BytesIO(pdf)), pdf


def test_the_pdf_has_one_page_per_code(letters):
    codes, reader, _ = letters
    assert len(reader.pages) == len(codes)


def test_each_page_carries_its_code_and_the_url(letters):
    codes, reader, _ = letters
    for code, page in zip(codes, reader.pages, strict=True):
        text = page.extract_text()
        assert code in text
        assert URL in text.replace("\n", "")
        assert "Musterstadt an der Aller" in text
        assert all(other not in text for other in codes if other != code)


def test_the_pdf_is_tagged_for_pdf_ua_with_language_and_title(letters):
    _, reader, pdf = letters
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title.startswith("Teilnahmecodes für die Gewichtung")
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert pdf.startswith(b"%PDF-1.7")


def test_the_qr_code_has_an_alternative_text(letters):
    _, reader, _ = letters
    alternatives = []

    def walk(element):
        element = element.get_object()
        if isinstance(element, dict):
            if element.get("/S") == "/Figure":
                alternatives.append(str(element.get("/Alt")))
            kids = element.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, list) else [kids]:
                    if hasattr(kid, "get_object"):
                        walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert len(alternatives) == 3
    assert all(alt.startswith("QR-Code mit der Adresse https://") for alt in alternatives)


SENDER = Sender(
    city="Musterstadt",
    department="Stabsstelle Digitalisierung und Smart City",
    address="Rathausplatz 1, 12345 Musterstadt",
    email="smartcity@musterstadt.example",
    phone="01234 5678-0",
)
# 87 characters: too long for 11 pt in the column, short enough for one line at a smaller size.
LONG_URL = "https://beteiligung.musterstadt-an-der-aller.de/mitmachen/gewichtung/12345/teilnahme/"


def test_a_short_url_is_printed_at_full_size_on_one_line():
    assert url_lines("http://127.0.0.1:8080/mitmachen/gewichtung/12/") == (
        URL_FONT_PT,
        ["http://127.0.0.1:8080/mitmachen/gewichtung/12/"],
    )


def test_a_long_url_is_set_smaller_instead_of_wrapping():
    size, lines = url_lines(LONG_URL)
    assert lines == [LONG_URL]
    assert URL_MIN_FONT_PT <= size < URL_FONT_PT
    html = letters_html(["ABCD-EFGH-JKMN"], url=LONG_URL)
    assert f'<span class="url" style="font-size: {size:g}pt">{LONG_URL}</span>' in html


def test_a_url_too_long_for_one_line_is_split_only_after_a_slash():
    url = "https://beteiligung.musterstadt.de/" + "abschnitt-mit-langem-namen/" * 6
    size, lines = url_lines(url)
    assert size == URL_MIN_FONT_PT and len(lines) > 1
    assert "".join(lines) == url
    assert all(line.endswith("/") for line in lines[:-1])
    assert lines[0].startswith("https://beteiligung.musterstadt.de/")


def test_the_url_and_the_code_never_wrap_in_the_stylesheet():
    html = letters_html(["ABCD-EFGH-JKMN"], url=URL)
    css = re.search(r"<style>(.*)</style>", html, re.S).group(1)
    url_rule = re.search(r"\.url \{([^}]*)\}", css).group(1)
    code_rule = re.search(r"\.code \{([^}]*)\}", css).group(1)
    assert "white-space: nowrap" in url_rule and "word-break" not in url_rule
    assert "white-space: nowrap" in code_rule
    assert "break-all" not in css


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/mitmachen/gewichtung/12/", LONG_URL])
def test_the_pdf_has_the_url_on_one_line(url):
    text = PdfReader(io.BytesIO(letters_pdf(["ABCD-EFGH-JKMN"], url=url))).pages[0].extract_text()
    assert url in text.splitlines()


def test_the_letter_is_dated_and_names_the_sender_and_how_to_reach_it():
    html = letters_html(
        ["ABCD-EFGH-JKMN"], url=URL, sender=SENDER, letter_date=datetime.date(2026, 3, 2)
    )
    info = re.search(r'<dl class="info">(.*?)</dl>', html, re.S).group(1)
    assert "<dt>Ihr Kontakt</dt><dd>Stabsstelle Digitalisierung und Smart City</dd>" in info
    assert "<dt>E-Mail</dt><dd>smartcity@musterstadt.example</dd>" in info
    assert "<dt>Telefon</dt><dd>01234 5678-0</dd>" in info
    assert "<dt>Datum</dt><dd>2. März 2026</dd>" in info
    assert '<p class="department">Stabsstelle Digitalisierung und Smart City</p>' in html


def test_the_sender_comes_from_the_settings_and_empty_fields_are_left_out(settings):
    settings.LEITBILD_CITY_NAME = "Wolfsburg"
    settings.LEITBILD_LETTER_DEPARTMENT = "Referat Digitalisierung"
    settings.LEITBILD_LETTER_ADDRESS = ""
    settings.LEITBILD_LETTER_EMAIL = "digital@wolfsburg.example"
    settings.LEITBILD_LETTER_PHONE = ""
    html = letters_html(["ABCD-EFGH-JKMN"], url=URL)
    assert "<dd>Referat Digitalisierung</dd>" in html
    assert "<dd>digital@wolfsburg.example</dd>" in html
    assert "Telefon" not in html
    assert '<p class="return-address"><span>Stadt Wolfsburg</span></p>' in html


def test_the_letter_is_dated_today_by_default(settings):
    from django.utils import timezone
    from django.utils.formats import date_format

    html = letters_html(["ABCD-EFGH-JKMN"], url=URL, sender=SENDER)
    today = date_format(timezone.localdate(), "j. F Y")
    assert f"<dt>Datum</dt><dd>{today}</dd>" in html


def test_the_address_window_is_din_5008_form_b_with_the_return_address_above():
    html = letters_html(["ABCD-EFGH-JKMN"], url=URL, sender=SENDER)
    css = re.search(r"<style>(.*)</style>", html, re.S).group(1)
    window = re.search(r"\.address-window \{([^}]*)\}", css).group(1)
    for rule in ("top: 45mm", "left: 20mm", "width: 85mm", "height: 45mm"):
        assert rule in window
    assert (
        '<p class="return-address"><span>Stadt Musterstadt · Rathausplatz 1 · '
        "12345 Musterstadt</span></p>\n"
        '<p class="recipient"></p>'
    ) in html


def test_the_address_window_may_hold_a_mail_merge_placeholder():
    html = letters_html(
        ["ABCD-EFGH-JKMN"], url=URL, sender=SENDER, recipient_placeholder="«Anschrift»"
    )
    assert '<p class="recipient">«Anschrift»</p>' in html


def _positions(page) -> dict[str, tuple[float, float]]:
    """Each text run of a PDF page with its start in mm from the top left corner."""
    height = float(page.mediabox.height)
    found: dict[str, tuple[float, float]] = {}

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.setdefault(text.strip(), (x / 72 * 25.4, (height - y) / 72 * 25.4))

    page.extract_text(visitor_text=visit)
    return found


def test_the_printed_letter_puts_address_and_contact_where_window_envelopes_show_them():
    pdf = letters_pdf(
        ["ABCD-EFGH-JKMN"],
        url=URL,
        sender=SENDER,
        letter_date=datetime.date(2026, 3, 2),
        recipient_placeholder="«Anschrift»",
    )
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    at = _positions(reader.pages[0])
    # Return address: in the window's top zone (45 to 62.7 mm), one line, inside 20 to 105 mm.
    x, y = at["Stadt Musterstadt · Rathausplatz 1 · 12345 Musterstadt"]
    assert 20 <= x <= 30 and 50 < y < 62.7
    # The recipient's zone below it (62.7 to 90 mm).
    x, y = at["«Anschrift»"]
    assert 20 <= x <= 30 and 62.7 < y < 90
    # Information block from 125 mm, 50 mm down; the letter text after the address field.
    x, y = at["2. März 2026"]
    assert 124 <= x <= 127 and 50 < y < 100
    x, y = at["Ihre Meinung zählt: Musterstadt fragt Sie"]
    assert 24 <= x <= 26 and y > 98
