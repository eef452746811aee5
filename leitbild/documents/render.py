"""The three outputs of a :class:`~leitbild.documents.model.Document`.

* :func:`web_context` — the sections for a page of the site (``documents/_body.html`` with
  KERN classes), with a table of contents;
* :func:`pdf_bytes` — WeasyPrint, PDF/UA-1: tagged structure, ``/Lang``, the title shown as
  window title, bookmarks from the headings, a table of contents with page numbers, running
  heads and page numbers, "ENTWURF" on every page of a draft, charts as SVG images with
  alternative text, tables with header cells whose header row repeats on every page;
* :func:`docx_bytes` — python-docx: heading styles, real tables (header row repeated), bullet
  lists, a table-of-contents field that Word fills, page numbers and "ENTWURF" in the header.

The same document gives the same text in every run: nothing here reads the clock.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import override

from .model import Bullets, Definitions, Document, Figure, Note, Paragraph, Section, Table


@dataclass(frozen=True)
class Entry:
    level: int  # 1 for a chapter
    heading: int  # the HTML heading level
    anchor: str
    section: Section


def entries(document: Document, *, top: int = 2) -> list[Entry]:
    """Every section in reading order; chapters get ``<h{top}>``."""
    return [
        Entry(level, min(6, top + level - 1), f"abschnitt-{section.key}", section)
        for level, section in document.walk()
    ]


def toc_html(items: list[Entry], *, max_level: int = 2) -> SafeString:
    """Nested ordered lists of links to the sections (the PDF adds page numbers by CSS)."""

    def level_list(start: int, level: int) -> tuple[SafeString, int]:
        parts: list[SafeString] = []
        i = start
        while i < len(items) and items[i].level >= level:
            entry = items[i]
            i += 1
            child = SafeString("")
            if i < len(items) and items[i].level > level:
                child, i = level_list(i, level + 1)
            if entry.level <= max_level:
                parts.append(
                    format_html(
                        '<li><a href="#{}">{}</a>{}</li>', entry.anchor, entry.section.title, child
                    )
                )
        return format_html("<ol>{}</ol>", SafeString("".join(parts))), i

    html, _end = level_list(0, 1)
    return html


def web_context(document: Document) -> dict:
    items = entries(document, top=2)
    return {"document": document, "entries": items, "toc": toc_html(items), "web": True}


def pdf_html(document: Document) -> str:
    items = entries(document, top=2)
    with override(document.lang):
        return render_to_string(
            "documents/pdf.html",
            {"document": document, "entries": items, "toc": toc_html(items, max_level=3)},
        )


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int | None


def pdf_bytes(document: Document) -> Rendered:
    from weasyprint import HTML

    rendered = HTML(string=pdf_html(document)).render()
    data = rendered.write_pdf(pdf_variant="pdf/ua-1")
    return Rendered(data=data, pages=len(rendered.pages))


# --- DOCX ------------------------------------------------------------------------------------


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, TOC …) that Word computes when it opens or prints the file."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _docx_table(doc, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc.add_paragraph(table.caption, style="Caption")
    grid = doc.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    header = grid.rows[0]
    properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for k, text in enumerate(table.header):
        cell = header.cells[k]
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        for k, text in enumerate(row):
            cells[k].text = text
            if k in table.numeric:
                cells[k].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def docx_bytes(document: Document) -> Rendered:
    from docx import Document as Docx
    from docx.shared import Pt, RGBColor

    doc = Docx()
    with override(document.lang):
        properties = doc.core_properties
        properties.title = document.title
        properties.subject = document.subtitle
        properties.language = document.lang
        properties.author = "Leitbild"
        section = doc.sections[0]
        head = section.header.paragraphs[0]
        head.text = document.running_head or document.title
        if document.draft:
            mark = head.add_run("   " + _("ENTWURF"))
            mark.bold = True
            mark.font.color.rgb = RGBColor(0xA0, 0x00, 0x00)
        foot = section.footer.paragraphs[0]
        foot.add_run(_("Seite") + " ")
        _field(foot, "PAGE", "1")

        doc.add_heading(document.title, level=0)
        doc.add_paragraph(document.subtitle, style="Subtitle")
        if document.draft:
            run = doc.add_paragraph().add_run(_("ENTWURF"))
            run.bold = True
            run.font.size = Pt(14)
        facts = doc.add_table(rows=0, cols=2)
        facts.style = "Table Grid"
        for term, value in document.facts:
            cells = facts.add_row().cells
            cells[0].text = ""
            cells[0].paragraphs[0].add_run(term).bold = True
            cells[1].text = value
        if not document.compact:
            doc.add_page_break()
            doc.add_heading(_("Inhalt"), level=1)
            _field(
                doc.add_paragraph(),
                'TOC \\o "1-3" \\h \\z \\u',
                _("Das Inhaltsverzeichnis wird beim Öffnen in Word aktualisiert (F9)."),
            )
        for level, item in document.walk():
            if level == 1 and not document.compact:
                doc.add_page_break()
            doc.add_heading(item.title, level=min(level, 9))
            for block in item.blocks:
                _docx_block(doc, block)
    out = io.BytesIO()
    doc.save(out)
    return Rendered(data=out.getvalue(), pages=None)


def _docx_block(doc, block) -> None:
    if isinstance(block, Paragraph):
        for text in block.text.split("\n\n"):
            if text.strip():
                doc.add_paragraph(text.strip())
    elif isinstance(block, Note):
        doc.add_paragraph(block.text, style="Quote")
    elif isinstance(block, Bullets):
        for text in block.items:
            doc.add_paragraph(text, style="List Bullet")
    elif isinstance(block, Definitions):
        for term, text in block.items:
            paragraph = doc.add_paragraph()
            paragraph.add_run(term).bold = True
            paragraph.add_run(" – " + text)
    elif isinstance(block, Table):
        _docx_table(doc, block)
    elif isinstance(block, Figure):
        # Word has no SVG charts that stay editable: the figure's data as a table, under
        # the caption and the description a screen reader would read.
        doc.add_paragraph(block.caption, style="Caption")
        doc.add_paragraph(block.alt)
        if block.data is not None:
            _docx_table(doc, block.data)


def plain_text(document: Document) -> str:
    """All the text of a document, in reading order (tests compare outputs against it)."""
    lines = [document.title, document.subtitle]
    for _level, section in document.walk():
        lines.append(section.title)
        for block in section.blocks:
            if isinstance(block, Paragraph | Note):
                lines.append(block.text)
            elif isinstance(block, Bullets):
                lines.extend(block.items)
            elif isinstance(block, Definitions):
                lines.extend(f"{t} {d}" for t, d in block.items)
            elif isinstance(block, Table):
                lines.append(block.caption)
            elif isinstance(block, Figure):
                lines.append(block.caption)
    return "\n".join(lines)


__all__ = [
    "Entry",
    "Rendered",
    "docx_bytes",
    "entries",
    "pdf_bytes",
    "pdf_html",
    "plain_text",
    "toc_html",
    "web_context",
]
