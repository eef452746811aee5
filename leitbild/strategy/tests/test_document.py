"""The strategy document of a version: generated in the background, stored with its checksum,
reproducible, downloadable where the version is public, arranged by the Redaktion."""

import hashlib
import io

import docx
import pytest
from pypdf import PdfReader

from leitbild.core.models import TaskProgress
from leitbild.documents import services as document_services
from leitbild.documents.models import DocumentText, GeneratedDocument
from leitbild.documents.selectors import file_path
from leitbild.documents.tests.pdfua import structure
from leitbild.strategy import services
from leitbild.strategy.document import strategy_document
from leitbild.strategy.models import Goal, StrategyVersion

from .conftest import adopt


@pytest.fixture(autouse=True)
def _immediate(settings, tmp_path):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    settings.LEITBILD_PRIVATE_DIR = tmp_path


@pytest.fixture
def version(framework, editor):
    goal = Goal.objects.filter(strategy=framework).first()
    goal.title = "Ein Ziel mit <b>Markup</b> und <script>x()</script>"
    goal.save()
    v = services.draft_freeze(actor=editor, strategy=framework, note="Entwurf")
    return StrategyVersion.objects.select_related("strategy").get(pk=v.pk)


def _files(version):
    return {
        row.format: row
        for row in GeneratedDocument.objects.filter(subject=f"strategy-version:{version.pk}")
    }


def test_the_redaktion_generates_pdf_and_docx_in_the_background_and_watches_progress(
    client, editor, version, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    url = f"/strategie/verwaltung/{version.strategy.slug}/versionen/{version.number}/dokumente/"
    assert "noch keine Dokumente" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    progress = TaskProgress.objects.get()
    assert response.url == f"/verwaltung/aufgaben/{progress.pk}/"
    assert progress.status == TaskProgress.Status.DONE and progress.done == progress.total == 3
    files = _files(version)
    assert set(files) == {"pdf", "docx"}
    for row in files.values():
        data = file_path(row).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row.sha256 and row.size == len(data)
    page = client.get(url).content.decode()
    assert files["pdf"].sha256 in page and files["docx"].sha256 in page
    assert not list(file_path(files["pdf"]).parent.glob("*.tmp"))


def test_the_pdf_is_pdf_ua_with_an_entwurf_mark_and_markup_as_text(version, editor):
    services.document_generate(actor=editor, version=version)
    data = file_path(_files(version)["pdf"]).read_bytes()
    found = structure(data)
    assert found.lang == "de" and found.marked and found.display_doc_title
    assert found.untagged_text_pages == [] and found.figures_without_alt == 0
    assert found.tags["/TH"] >= 5
    assert "Handlungsfelder und Ziele" in found.bookmarks
    assert "Ein Ziel mit <b>Markup</b> und <script>x()</script>" in found.text.replace("\n", " ")
    reader = PdfReader(io.BytesIO(data))
    assert all("ENTWURF" in page.extract_text() for page in reader.pages)


def test_the_docx_has_heading_styles_and_tables(version, editor):
    services.document_generate(actor=editor, version=version)
    word = docx.Document(str(file_path(_files(version)["docx"])))
    headings = {p.text for p in word.paragraphs if p.style.name.startswith("Heading")}
    assert {"Leitlinien", "Handlungsfelder und Ziele", "Glossar"} <= headings
    assert any(t.rows[0].cells[0].text == "Indikator" for t in word.tables)
    assert any("<b>Markup</b>" in p.text for p in word.paragraphs)


def test_regenerating_a_frozen_version_gives_the_same_text_and_structure(version, editor):
    services.document_generate(actor=editor, version=version)
    first = {f: file_path(r).read_bytes() for f, r in _files(version).items()}
    services.document_generate(actor=editor, version=version)
    second = {f: file_path(r).read_bytes() for f, r in _files(version).items()}
    a, b = structure(first["pdf"]), structure(second["pdf"])
    assert (a.text, a.tags, a.bookmarks, a.pages) == (b.text, b.tags, b.bookmarks, b.pages)
    words = [
        [(p.style.name, p.text) for p in docx.Document(io.BytesIO(d)).paragraphs]
        for d in (first["docx"], second["docx"])
    ]
    assert words[0] == words[1]


def test_a_failed_generation_keeps_the_previous_files_and_says_why(
    client, editor, version, monkeypatch, django_capture_on_commit_callbacks
):
    services.document_generate(actor=editor, version=version)
    before = {f: (r.sha256, file_path(r).read_bytes()) for f, r in _files(version).items()}

    def no_font(document):
        raise OSError("Schriftart „DejaVu Sans“ nicht gefunden")

    monkeypatch.setitem(document_services.RENDERERS, "docx", no_font)
    client.force_login(editor)
    url = f"/strategie/verwaltung/{version.strategy.slug}/versionen/{version.number}/dokumente/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    progress = TaskProgress.objects.get()
    assert progress.status == TaskProgress.Status.FAILED
    assert "DejaVu Sans" in progress.message
    page = client.get(f"/verwaltung/aufgaben/{progress.pk}/").content.decode()
    assert "DejaVu Sans" in page
    after = {f: (r.sha256, file_path(r).read_bytes()) for f, r in _files(version).items()}
    assert after == before
    assert not list(file_path(_files(version)["pdf"]).parent.glob("*.tmp"))


def test_the_public_downloads_published_versions_only(client, editor, version):
    services.document_generate(actor=editor, version=version)
    slug, number = version.strategy.slug, version.number
    pdf_url = f"/strategie/{slug}/versionen/{number}/dokumente/strategie.pdf"
    assert client.get(pdf_url).status_code == 404  # a draft not yet in consultation
    client.force_login(editor)
    assert client.get(pdf_url).status_code == 200
    client.logout()
    services.version_set_status(
        actor=editor, version=version, status=StrategyVersion.Status.CONSULTATION
    )
    response = client.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    docx_response = client.get(f"/strategie/{slug}/versionen/{number}/dokumente/strategie.docx")
    assert docx_response.status_code == 200
    detail = client.get(f"/strategie/{slug}/versionen/{number}/").content.decode()
    assert pdf_url in detail and _files(version)["pdf"].sha256 in detail
    web = client.get(f"/strategie/{slug}/versionen/{number}/dokument/").content.decode()
    assert "Handlungsfelder und Ziele" in web
    assert "Ein Ziel mit &lt;b&gt;Markup&lt;/b&gt;" in web and "<script>x()" not in web


def test_the_api_gives_each_versions_documents_with_checksums(client, editor, version):
    services.version_set_status(
        actor=editor, version=version, status=StrategyVersion.Status.CONSULTATION
    )
    assert client.get("/api/v1/strategy/versions").json()[0]["documents"] == []
    services.document_generate(actor=editor, version=version)
    listed = client.get("/api/v1/strategy/versions").json()[0]["documents"]
    files = _files(version)
    assert {(d["format"], d["sha256"]) for d in listed} == {(f, r.sha256) for f, r in files.items()}
    pdf = next(d for d in listed if d["format"] == "pdf")
    assert pdf["url"].endswith(
        f"/strategie/{version.strategy.slug}/versionen/{version.number}/dokumente/strategie.pdf"
    )
    assert pdf["pages"] >= 3


def test_the_redaktion_orders_drops_and_introduces_chapters(client, editor, version):
    client.force_login(editor)
    url = f"/strategie/verwaltung/{version.strategy.slug}/dokument/"
    form = client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data = {k: v for k, v in data.items() if v not in (None, False, "")}
    data = {k: (v + 1 if k.startswith("position_") else v) for k, v in data.items()}
    data["position_glossar"] = 1
    data["text_vorwort"] = "Liebe Bürgerinnen und Bürger,\n\ndiese Strategie ist Ihre."
    data.pop("included_impressum")
    response = client.post(url, data)
    assert response.status_code == 302
    assert DocumentText.objects.get(key="vorwort").text.startswith("Liebe")
    titles = [s.title for s in strategy_document(version).sections]
    assert titles[0] == "Glossar" and "Vorwort" in titles and "Impressum" not in titles
    assert "Liebe Bürgerinnen" in strategy_document(version).sections[1].blocks[0].text


def test_a_bad_position_is_refused_next_to_the_field_and_the_input_kept(client, editor, version):
    client.force_login(editor)
    url = f"/strategie/verwaltung/{version.strategy.slug}/dokument/"
    form = client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial}
    data["position_glossar"] = "abc"
    data["text_vorwort"] = "Mein Vorwort"
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["position_glossar"]
    assert "Mein Vorwort" in response.content.decode()
    assert not DocumentText.objects.exists()


def test_an_adopted_version_has_no_draft_mark(framework, editor):
    version = adopt(services.draft_freeze(actor=editor, strategy=framework), editor)
    document = strategy_document(version)
    assert not document.draft
    assert any("beschlossen" in value for _term, value in document.facts)


def test_the_web_version_runs_the_same_queries_whatever_the_size(client, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import build_framework

    counts = []
    for size, slug in ((2, "klein"), (8, "gross")):
        strategy = build_framework(fields=size, goals_per_field=size)
        strategy.slug = slug
        strategy.save()
        v = services.draft_freeze(actor=editor, strategy=strategy)
        services.version_set_status(
            actor=editor, version=v, status=StrategyVersion.Status.CONSULTATION
        )
        url = f"/strategie/{slug}/versionen/1/dokument/"
        client.get(url)  # the first request of a process reads and caches the site settings
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
