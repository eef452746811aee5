"""One document model, three outputs: what the PDF, the DOCX and the web page must hold."""

import io

import docx
import pytest

from leitbild.core.charts import Bar, bar_chart
from leitbild.documents.model import (
    Bullets,
    Definitions,
    Document,
    Figure,
    Note,
    Paragraph,
    Section,
    Table,
)
from leitbild.documents.render import docx_bytes, pdf_bytes, plain_text, web_context

from .pdfua import structure


def _document(*, draft: bool = True, rows: int = 80) -> Document:
    chart = bar_chart(
        [Bar("Mobilität", 0.4), Bar("Bildung <b>", 0.35), Bar("Umwelt", 0.25)],
        title="Gewichtung der Handlungsfelder",
    )
    return Document(
        title="Smart-City-Strategie Musterstadt",
        subtitle="Strategiedokument, Version 2",
        lang="de",
        draft=draft,
        facts=[("Stadt", "Musterstadt"), ("Version", "2"), ("Status", "Entwurf")],
        running_head="Smart-City-Strategie Musterstadt · Version 2",
        sections=[
            Section(
                "vorwort",
                "Vorwort",
                [Paragraph("Liebe Musterstädterinnen,\n\nein <script>alert(1)</script> Text.")],
            ),
            Section(
                "felder",
                "Handlungsfelder",
                [Bullets(("Mobilität", "Bildung"))],
                children=[
                    Section(
                        "felder-mob",
                        "Mobilität <b>fett</b>",
                        [
                            Table(
                                "Indikatoren",
                                ("Indikator", "Ausgangswert", "Ziel"),
                                tuple((f"Indikator {k}", str(k), str(2 * k)) for k in range(rows)),
                                numeric=(1, 2),
                            ),
                            Figure(
                                chart.svg,
                                "Balkendiagramm: Mobilität 40 %, Bildung 35 %, Umwelt 25 %.",
                                chart.caption,
                                Table(chart.caption, chart.headers, chart.rows),
                            ),
                            Note("Intervalle: 95 %."),
                        ],
                    )
                ],
            ),
            Section("glossar", "Glossar", [Definitions((("SDG", "Nachhaltigkeitsziel"),))]),
        ],
    )


@pytest.fixture(scope="module")
def pdf():
    return pdf_bytes(_document())


def test_the_pdf_is_tagged_pdf_ua_with_language_title_and_bookmarks(pdf):
    found = structure(pdf.data)
    assert found.lang == "de"
    assert found.marked and found.display_doc_title
    assert found.title == "Smart-City-Strategie Musterstadt"
    assert found.tags["/Document"] == 1
    assert found.tags["/H2"] >= 2 and found.tags["/H3"] >= 1
    assert {"Vorwort", "Handlungsfelder", "Mobilität <b>fett</b>", "Glossar"} <= set(
        found.bookmarks
    )
    assert found.untagged_text_pages == []
    assert found.pages == pdf.pages


def test_pdf_figures_have_alt_text_and_tables_header_cells_on_every_page(pdf):
    found = structure(pdf.data)
    assert found.tags["/Figure"] == 1 and found.figures_without_alt == 0
    # 80 rows run over several pages; the header row repeats as TH cells on each.
    assert found.tags["/Table"] >= 3
    assert found.tags["/TH"] >= 3 * found.tags["/Table"] - 3


def test_every_page_of_a_draft_says_entwurf_and_has_its_page_number(pdf):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.data))
    for number, page in enumerate(reader.pages[1:], start=2):
        text = page.extract_text()
        assert "ENTWURF" in text, number
        assert f"Seite {number} von {len(reader.pages)}" in text


def test_a_final_version_has_no_draft_mark():
    from pypdf import PdfReader

    data = pdf_bytes(_document(draft=False, rows=3)).data
    assert "ENTWURF" not in "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_markup_from_any_source_is_text_in_pdf_docx_and_web(pdf):
    assert "<script>alert(1)</script>" in structure(pdf.data).text
    word = docx.Document(io.BytesIO(docx_bytes(_document()).data))
    assert any("<script>alert(1)</script>" in p.text for p in word.paragraphs)
    from django.template.loader import render_to_string

    html = render_to_string("documents/_body.html", web_context(_document()))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "Mobilität &lt;b&gt;fett&lt;/b&gt;" in html


def test_the_docx_has_heading_styles_real_tables_and_lists():
    word = docx.Document(io.BytesIO(docx_bytes(_document()).data))
    styles = [(p.style.name, p.text) for p in word.paragraphs]
    assert ("Title", "Smart-City-Strategie Musterstadt") in styles
    assert ("Heading 1", "Vorwort") in styles
    assert ("Heading 2", "Mobilität <b>fett</b>") in styles
    assert ("List Bullet", "Mobilität") in styles
    indicators = next(t for t in word.tables if t.rows[0].cells[0].text == "Indikator")
    assert len(indicators.rows) == 81
    assert indicators.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    assert word.core_properties.title == "Smart-City-Strategie Musterstadt"
    assert word.core_properties.language == "de"
    assert "ENTWURF" in word.sections[0].header.paragraphs[0].text


def test_plain_text_follows_the_reading_order():
    text = plain_text(_document())
    assert text.index("Vorwort") < text.index("Handlungsfelder") < text.index("Glossar")
