"""One export mechanism: a header row and data rows, written as CSV or XLSX, and one
response for every download (``export_response`` for tables, ``attachment`` for any content)
with one table of formats (``MEDIA_TYPES``) and one way to name the file.

Every export of the project (ideas, weighting results, anonymised ballots, survey answers)
goes through here, so each format is written one way: CSV with a semicolon and a byte order
mark for German spreadsheet programs, XLSX with openpyxl's streaming writer, and cells that
look like formulas neutralised everywhere (XLSX also drops the control characters it cannot
hold).

Languages: the *header row* (and a sheet's title) is written in the language of the person
who downloads the file, like the page the link was on; callers pass translated labels. The
*cells* stay machine-readable in every language, because open data is re-used by programs:
numbers are numbers (XLSX number cells; in CSV Python's notation with a decimal point and no
thousands separator), dates and times ISO 8601 (``2026-03-01``), codes as stored. Only text
meant for reading (a status label, a note) follows the language. GeoJSON and the API are
machine formats throughout and keep German-independent keys.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext

from . import geojson

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"

# Every format a download of the project comes in, by its file suffix.
MEDIA_TYPES = {
    "csv": CSV_CONTENT_TYPE,
    "xlsx": XLSX_CONTENT_TYPE,
    "json": JSON_CONTENT_TYPE,
    "geojson": geojson.MEDIA_TYPE,
}


def safe_cell(value):
    """Spreadsheet programs run cells that start like a formula; visitors' text stays text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _xlsx_cell(value):
    """XLSX cannot hold most control characters: openpyxl refuses them, which made one idea
    title with a stray control character break the public export for everyone. They carry
    nothing a reader needs, so they are dropped (before the formula check, which must see the
    text as the spreadsheet will)."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return safe_cell(value)


def to_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if value is None else safe_cell(value) for value in row])
    # A byte order mark lets spreadsheet programs read the umlauts correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(headers: Sequence[str], rows: Iterable[Sequence], *, title: str | None = None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet((title or gettext("Daten"))[:31])
    sheet.append([_xlsx_cell(value) for value in headers])
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


FORMATS = {
    "csv": (CSV_CONTENT_TYPE, to_csv),
    "xlsx": (XLSX_CONTENT_TYPE, to_xlsx),
}
"""The table formats: suffix → (media type, writer of headers and rows)."""


def attachment(content: bytes | str, *, fmt: str, name: str, dated: bool = False) -> HttpResponse:
    """A download named ``name.fmt`` (``name-YYYY-MM-DD.fmt`` with the local date if
    ``dated``); an unknown format is not found."""
    if fmt not in MEDIA_TYPES:
        raise Http404
    response = HttpResponse(content, content_type=MEDIA_TYPES[fmt])
    stem = f"{name}-{timezone.localdate():%Y-%m-%d}" if dated else name
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def export_response(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    fmt: str,
    name: str,
    dated: bool = True,
    title: str | None = None,
) -> HttpResponse:
    """A table as a CSV or XLSX download (see ``attachment`` for the name)."""
    if fmt not in FORMATS:
        raise Http404
    content = to_xlsx(headers, rows, title=title) if fmt == "xlsx" else to_csv(headers, rows)
    return attachment(content, fmt=fmt, name=name, dated=dated)
