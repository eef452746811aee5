"""Participation codes: generating, hashing, and printing them as letters or a CSV file.

For a representative survey the statistics office draws a random sample of residents and
sends each a letter with a single-use code. The database keeps only a keyed hash of each code
(:func:`hash_code`), so a copy of the database alone neither reveals usable codes nor lets
anyone match a code on a letter to a ballot.
"""

from __future__ import annotations

import csv
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import TextIO

import segno
from django.conf import settings
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext

from leitbild.core import security

# No 0/O, 1/I/L: they are confused on paper and when typed in. 31 symbols, so 12 characters
# hold 12 · log2(31) ≈ 59 bits: guessing one of a million issued codes takes ~2^39 tries.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
CODE_GROUP = 4
_HASH_SALT = "leitbild.participation.letters.code"
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.]+")


def generate_codes(count: int, *, length: int = CODE_LENGTH, group: int = CODE_GROUP) -> list[str]:
    """``count`` distinct single-use codes like ``ABCD-EFGH-JKMN``, from :mod:`secrets`.

    Uniqueness is checked here within the batch; the unique hash column in the database
    catches the astronomically unlikely clash with an earlier batch.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    if length < 8:
        raise ValueError("codes shorter than 8 characters are too easy to guess")
    if count > len(CODE_ALPHABET) ** length // 1000:
        raise ValueError("too many codes for this length: they would become guessable")
    seen: set[str] = set()
    codes: list[str] = []
    while len(codes) < count:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
        if raw not in seen:
            seen.add(raw)
            codes.append(format_code(raw, group=group))
    return codes


def format_code(code: str, *, group: int = CODE_GROUP) -> str:
    """A code in groups for reading and typing: ``ABCDEFGHJKMN`` → ``ABCD-EFGH-JKMN``."""
    return "-".join(code[i : i + group] for i in range(0, len(code), group))


def normalize_code(raw: str, *, length: int = CODE_LENGTH) -> str | None:
    """The canonical form of a typed code (upper case, no separators), or None if malformed.

    People type codes in lower case, with spaces or without the hyphens; all of that is the
    same code. A malformed code is answered like an unknown one by the caller, so this returns
    None instead of explaining what is wrong.
    """
    if not isinstance(raw, str) or len(raw) > 4 * length:
        return None
    code = _SEPARATORS.sub("", raw).upper()
    if len(code) != length or any(char not in CODE_ALPHABET for char in code):
        return None
    return code


def hash_code(code: str, *, secret: str | bytes | None = None) -> str:
    """Keyed hash (HMAC-SHA256 with ``SECRET_KEY``) of a code, for storing and looking up.

    Keyed rather than a plain hash: codes are short enough that anyone with a database copy
    could hash every code on a stolen letter, or all codes of a known batch, if no secret were
    involved. ``salted_hmac`` separates this use of ``SECRET_KEY`` from Django's own.
    Rotating ``SECRET_KEY`` changes all hashes; look codes up with :func:`code_hash_candidates`
    so that unused codes keep working while the old key is in ``SECRET_KEY_FALLBACKS``.
    """
    canonical = normalize_code(code)
    if canonical is None:
        raise ValueError("not a well-formed participation code")
    key = settings.SECRET_KEY if secret is None else secret
    return salted_hmac(_HASH_SALT, canonical, secret=key, algorithm="sha256").hexdigest()


def code_hash_candidates(code: str) -> list[str]:
    """Hashes of a code under ``SECRET_KEY`` and each of ``SECRET_KEY_FALLBACKS``."""
    canonical = normalize_code(code)
    if canonical is None:
        raise ValueError("not a well-formed participation code")
    return security.keyed_hash_candidates(canonical, salt=_HASH_SALT)


def write_codes_csv(codes: Iterable[str], out: TextIO, *, url: str | None = None) -> int:
    """Write codes as CSV (``code`` and, if given, ``url`` columns) for mail merge; count them.

    Column names are plain ASCII so that the statistics office's tools read them unchanged.
    ``out`` should be opened with ``newline=""`` as the csv module requires.
    """
    writer = csv.writer(out)
    writer.writerow(["code", "url"] if url else ["code"])
    written = 0
    for code in codes:
        writer.writerow([code, url] if url else [code])
        written += 1
    return written


def _qr_svg(data: str, title: str) -> str:
    """An inline SVG QR code; its ``<title>`` becomes the figure's alternative text in PDF/UA."""
    qr = segno.make(data, error="m")
    return qr.svg_inline(scale=1, border=4, title=title, omitsize=True, svgclass="qr")


@dataclass(frozen=True, slots=True)
class Sender:
    """Who writes the letters: shown in the letterhead, the return address above the window
    and the contact block, so that a resident can check that the letter is genuine and ask.

    ``address`` is the postal address as one line ("Rathausplatz 1, 12345 Musterstadt").
    Empty fields are left out of the letter.
    """

    city: str
    department: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""

    @classmethod
    def from_settings(cls, city_name: str | None = None) -> Sender:
        return cls(
            city=city_name or settings.LEITBILD_CITY_NAME,
            department=getattr(settings, "LEITBILD_LETTER_DEPARTMENT", ""),
            address=getattr(settings, "LEITBILD_LETTER_ADDRESS", ""),
            email=getattr(settings, "LEITBILD_LETTER_EMAIL", ""),
            phone=getattr(settings, "LEITBILD_LETTER_PHONE", ""),
        )


# DIN 5008, Form B (the usual form for window envelopes DL and C6/5): the address field
# starts 45 mm from the top and 20 mm from the left edge and is 85 × 45 mm; its first
# 17.7 mm are the zone for the return address and notes, the address itself fills the
# 27.3 mm below. The information block (contact, date) sits 125 mm from the left, 50 mm
# from the top; the text starts one blank line below the address field, at about 98.5 mm.
# Fold marks at 105 and 210 mm, the punch mark at 148.5 mm.
# The text column: 25 mm from the left, 20 mm from the right = 165 mm; the URL is a list
# item (6 mm indent), so it has 159 mm ≈ 450 pt.
URL_WIDTH_PT = 450.0
URL_FONT_PT = 11.0
URL_MIN_FONT_PT = 7.5
# Advance width of DejaVu Sans Mono (bold too) per point of font size: 1233/2048 em.
_MONO_ADVANCE = 1233 / 2048

LETTER_CSS = """
@page { size: A4; margin: 0; }
html, body { margin: 0; }
html { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 10.5pt;
       line-height: 1.4; color: #131525; }
.letter { position: relative; padding: 98.5mm 20mm 0 25mm; break-after: page; }
.letter:last-child { break-after: auto; }
.letterhead { position: absolute; top: 15mm; left: 25mm; right: 20mm; margin: 0; }
.letterhead .city { font-size: 15pt; font-weight: bold; line-height: 1.2; margin: 0; }
.letterhead .department { font-size: 10.5pt; margin: 1mm 0 0; }
.address-window { position: absolute; top: 45mm; left: 20mm; width: 85mm; height: 45mm;
                  padding: 0 5mm; box-sizing: border-box; }
.return-address { height: 17.7mm; display: flex; align-items: flex-end; margin: 0; }
.return-address span { font-size: 7pt; line-height: 1.2; white-space: nowrap;
                       border-bottom: 0.2mm solid #454B6B; padding-bottom: 0.5mm; }
.recipient { height: 27.3mm; margin: 0; padding-top: 1mm; font-size: 10.5pt;
             line-height: 1.3; color: #131525; }
.info { position: absolute; top: 50mm; left: 125mm; width: 75mm; margin: 0;
        font-size: 9pt; line-height: 1.35; }
.info dt { color: #454B6B; margin: 0; }
.info dd { margin: 0 0 1.6mm; }
.mark { position: absolute; left: 5mm; width: 5mm; height: 0; border-top: 0.2mm solid #7A809E; }
.mark.fold-1 { top: 105mm; }
.mark.punch { top: 148.5mm; width: 7mm; }
.mark.fold-2 { top: 210mm; }
h1 { font-size: 15pt; line-height: 1.2; margin: 0 0 5mm; }
h2 { font-size: 12pt; margin: 5mm 0 2mm; }
p { margin: 0 0 2.8mm; }
ol { margin: 0 0 2.8mm; padding-left: 6mm; }
.access { display: flex; align-items: center; gap: 8mm; margin: 4mm 0;
          break-inside: avoid; }
.code-box { flex: 1; border: 0.6mm solid #2044AA; padding: 3mm 6mm; }
.code-label { font-size: 10pt; margin: 0; }
.code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 22pt;
        letter-spacing: 1.5pt; font-weight: bold; margin: 1mm 0 0; white-space: nowrap; }
.url { display: block; font-family: "DejaVu Sans Mono", "Liberation Mono", monospace;
       font-weight: bold; white-space: nowrap; margin: 0.5mm 0 0; }
figure { width: 34mm; margin: 0; break-inside: avoid; }
svg.qr { display: block; width: 32mm; height: 32mm; }
figcaption { font-size: 8.5pt; line-height: 1.3; }
.small { font-size: 9pt; color: #454B6B; }
"""


def url_lines(url: str) -> tuple[float, list[str]]:
    """The font size (pt) and the lines the URL is printed in, never broken inside a line.

    A URL that fits the column at 11 pt stays at 11 pt; a longer one is set smaller, down to
    7.5 pt, so that it stays on one line; only a URL too long even for that is split, and
    then only after a ``/`` (a reader sees where the next line continues), never inside a
    word, a number or the host name.
    """

    def width(text: str, size: float) -> float:
        return len(text) * _MONO_ADVANCE * size

    if width(url, URL_FONT_PT) <= URL_WIDTH_PT:
        return URL_FONT_PT, [url]
    fitting = URL_WIDTH_PT / (len(url) * _MONO_ADVANCE)
    if fitting >= URL_MIN_FONT_PT:
        return round(fitting - 0.05, 1), [url]
    size = URL_MIN_FONT_PT
    scheme, _sep, rest = url.partition("://")
    pieces = re.findall(r"[^/]*/|[^/]+$", rest) if _sep else re.findall(r"[^/]*/|[^/]+$", url)
    if _sep:
        pieces[0] = f"{scheme}://{pieces[0]}"
    lines: list[str] = []
    for piece in pieces:
        if lines and width(lines[-1] + piece, size) <= URL_WIDTH_PT:
            lines[-1] += piece
        else:
            lines.append(piece)
    return size, lines


def _url_html(url: str) -> str:
    size, lines = url_lines(url)
    style = "" if size == URL_FONT_PT else f' style="font-size: {size:g}pt"'
    return f'<span class="url"{style}>{"<br>".join(escape(line) for line in lines)}</span>'


def letters_html(
    codes: Sequence[str],
    *,
    url: str,
    city_name: str | None = None,
    process_title: str | None = None,
    deadline: str | None = None,
    qr_data: Callable[[str], str] | None = None,
    language: str = "de",
    sender: Sender | None = None,
    letter_date: date | None = None,
    recipient_placeholder: str = "",
) -> str:
    """HTML for the letters, one A4 page per code, ready for :func:`letters_pdf`.

    ``city_name`` defaults to ``LEITBILD_CITY_NAME``. The letters are written in ``language``
    (German) whatever language the staff member's pages are in: they go to residents, and the
    document's ``lang`` must match its text. The QR code holds ``url`` by default and is the
    same on every letter. ``qr_data`` may put the code into the QR code
    (``lambda code: f"{url}#code={code}"``); keep the code out of the query string, or it ends
    up in access logs next to an IP address. ``deadline`` is shown as given ("31. März 2026").

    ``sender`` (default: :meth:`Sender.from_settings`) signs the letter; ``letter_date``
    (default: today) is its date. The address window (DIN 5008 Form B) stays empty for the
    print shop or a label: the codes are anonymous, so Leitbild never knows who gets which
    letter. ``recipient_placeholder`` (e.g. ``«Anschrift»``) fills it for a mail merge tool
    that replaces a marker in the PDF.
    """
    sender = sender or Sender.from_settings(city_name)
    city = sender.city
    when = letter_date or timezone.localdate()
    with translation.override(language):
        title = gettext("Teilnahmecodes für %(process)s") % {
            "process": process_title or gettext("die Smart-City-Strategie")
        }
        alt = gettext("QR-Code mit der Adresse %(url)s") % {"url": url}
        dated = date_format(when, "j. F Y")
        frame = _frame(sender, dated, recipient_placeholder)
        shared_qr = _qr_svg(url, alt) if qr_data is None else None
        # shared_qr is set exactly when qr_data is None, so qr_data(code) never calls None;
        # mypy does not connect the two, hence the ignore.
        letters = [
            _letter(code, city, url, process_title, deadline, frame,
                    shared_qr or _qr_svg(qr_data(code), alt))  # type: ignore[misc]
            for code in codes
        ]  # fmt: skip
    return (
        f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        f'<meta name="author" content="{escape(city)}">'
        f"<style>{LETTER_CSS}</style></head><body>{''.join(letters)}</body></html>"
    )


def _t(message: str, **params: str) -> str:
    """Translate, fill in and escape a sentence of the letter."""
    text = gettext(message)
    return escape(text % params if params else text)


def _frame(sender: Sender, dated: str, recipient_placeholder: str) -> str:
    """Letterhead, address window, information block and fold marks: the same on every page."""
    city = _t("Stadt %(city)s", city=sender.city)
    department = (
        f'<p class="department">{escape(sender.department)}</p>' if sender.department else ""
    )
    return_parts = [city, *(escape(part.strip()) for part in sender.address.split(","))]
    return_line = " · ".join(part for part in return_parts if part)
    info = []
    if sender.department:
        info.append((_t("Ihr Kontakt"), escape(sender.department)))
    if sender.email:
        info.append((_t("E-Mail"), escape(sender.email)))
    if sender.phone:
        info.append((_t("Telefon"), escape(sender.phone)))
    info.append((_t("Datum"), escape(dated)))
    rows = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in info)
    recipient = escape(recipient_placeholder)
    return f"""<div class="letterhead"><p class="city">{city}</p>{department}</div>
<div class="address-window">
<p class="return-address"><span>{return_line}</span></p>
<p class="recipient">{recipient}</p>
</div>
<dl class="info">{rows}</dl>
<div class="mark fold-1" aria-hidden="true"></div><div class="mark punch" aria-hidden="true"></div>
<div class="mark fold-2" aria-hidden="true"></div>"""


def _letter(
    code: str,
    city_name: str,
    url: str,
    process_title: str | None,
    deadline: str | None,
    frame: str,
    qr_svg: str,
) -> str:
    topic = escape(process_title) if process_title else _t("unsere Smart-City-Strategie")
    deadline_text = (
        f"<p>{_t('Sie können bis zum %(deadline)s teilnehmen.', deadline=deadline)}</p>"
        if deadline
        else ""
    )
    invitation = _t(
        "die Stadt %(city)s entwickelt ihre Smart-City-Strategie gemeinsam mit den "
        "Menschen, die hier leben. Sie gehören zu einer kleinen, zufällig ausgewählten "
        "Gruppe von Einwohnerinnen und Einwohnern, die wir zu folgendem Thema um ihre "
        "Meinung bitten:",
        city=city_name,
    )
    why = _t(
        "Ihre Teilnahme ist freiwillig und hilft uns sehr: Nur wenn möglichst viele der "
        "Ausgewählten mitmachen, geben die Ergebnisse ein verlässliches Bild der ganzen Stadt."
    )
    privacy = _t(
        "Der Code gilt für eine einzige Teilnahme. Ihre Antworten werden getrennt von Ihrem "
        "Code gespeichert: Niemand kann sehen, wie Sie abgestimmt haben. Ergebnisse "
        "veröffentlicht die Stadt %(city)s nur zusammengefasst.",
        city=city_name,
    )
    return f"""<section class="letter">
{frame}
<h1>{_t("Ihre Meinung zählt: %(city)s fragt Sie", city=city_name)}</h1>
<p>{_t("Guten Tag,")}</p>
<p>{invitation} <strong>{topic}</strong>.</p>
<p>{why}</p>
{deadline_text}
<h2>{_t("So nehmen Sie teil")}</h2>
<ol>
<li>{_t("Öffnen Sie diese Adresse:")} {_url_html(url)}</li>
<li>{_t("Geben Sie dort Ihren persönlichen Teilnahmecode ein.")}</li>
</ol>
<div class="access">
<div class="code-box">
<p class="code-label">{_t("Ihr Teilnahmecode")}</p>
<p class="code">{escape(code)}</p>
</div>
<figure>{qr_svg}<figcaption>{_t("Oder scannen Sie diesen QR-Code.")}</figcaption></figure>
</div>
<p class="small">{privacy}</p>
</section>"""


def letters_pdf(
    codes: Sequence[str],
    *,
    url: str,
    city_name: str | None = None,
    process_title: str | None = None,
    deadline: str | None = None,
    qr_data: Callable[[str], str] | None = None,
    language: str = "de",
    sender: Sender | None = None,
    letter_date: date | None = None,
    recipient_placeholder: str = "",
) -> bytes:
    """The letters as a tagged PDF (PDF/UA-1), one A4 page per code.

    PDF/UA so that the letters can also be offered to people who use a screen reader: the
    document has a language, a title shown by viewers, a structure tree, and the QR code's
    title as its alternative text. Rendering takes about 0.1 s per letter on a small server,
    so batches of thousands belong in a background task or the `leitbild codes` command.
    """
    from weasyprint import HTML  # imported here: it loads Pango, which other pages never need

    html = letters_html(
        codes,
        url=url,
        city_name=city_name,
        process_title=process_title,
        deadline=deadline,
        qr_data=qr_data,
        language=language,
        sender=sender,
        letter_date=letter_date,
        recipient_placeholder=recipient_placeholder,
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
