"""The council paper of a strategy version: generated texts, edited by the Ratsbüro, rendered
as PDF and DOCX in the usual structure of a German Beschlussvorlage."""

import io

import docx
import pytest

from leitbild.core.models import TaskProgress
from leitbild.core.roles import Role
from leitbild.documents.models import GeneratedDocument
from leitbild.documents.selectors import file_path
from leitbild.documents.tests.pdfua import structure
from leitbild.strategy import services as strategy_services
from leitbild.strategy.tests.factories import build_framework


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    settings.LEITBILD_PRIVATE_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def council_office(make_user):
    return make_user("ratsbuero@stadt.example", roles=[Role.COUNCIL_OFFICE])


@pytest.fixture
def version(db):
    strategy = build_framework()
    return strategy_services.draft_freeze(actor=None, strategy=strategy)


def _url(version):
    return f"/rat/verwaltung/{version.strategy.slug}/versionen/{version.number}/beschlussvorlage/"


def test_the_ratsbuero_edits_the_texts_and_generates_the_paper(
    client, council_office, version, django_capture_on_commit_callbacks
):
    client.force_login(council_office)
    page = client.get(_url(version))
    assert page.status_code == 200
    form = page.context["form"]
    assert "beschließt" in form.initial["beschlussvorschlag"]
    data = {
        "betreff": form.initial["betreff"],
        "beschlussvorschlag": form.initial["beschlussvorschlag"],
        "sachverhalt": "Die Verwaltung empfiehlt <b>den Beschluss</b>.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(version), data)
    progress = TaskProgress.objects.get()
    assert response.url == f"/verwaltung/aufgaben/{progress.pk}/"
    assert progress.status == TaskProgress.Status.DONE
    rows = {r.format: r for r in GeneratedDocument.objects.filter(kind="council_paper")}
    assert set(rows) == {"pdf", "docx"}
    pdf = structure(file_path(rows["pdf"]).read_bytes())
    assert pdf.lang == "de" and pdf.marked and pdf.untagged_text_pages == []
    for heading in (
        "Betreff",
        "Beschlussvorschlag",
        "Sachverhalt und Begründung",
        "Finanzielle Auswirkungen",
        "Anlagen",
    ):
        assert heading in pdf.bookmarks
    assert "Die Verwaltung empfiehlt <b>den Beschluss</b>." in pdf.text
    word = docx.Document(io.BytesIO(file_path(rows["docx"]).read_bytes()))
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Betreff",
        "Beschlussvorschlag",
        "Sachverhalt und Begründung",
        "Finanzielle Auswirkungen",
        "Anlagen",
    ]
    assert rows["pdf"].sha256 in client.get(_url(version)).content.decode()


def test_an_empty_required_text_is_refused_next_to_its_field(client, council_office, version):
    client.force_login(council_office)
    response = client.post(
        _url(version), {"betreff": "", "beschlussvorschlag": "X", "sachverhalt": "Mein Text"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["betreff"]
    assert "Mein Text" in response.content.decode()
    assert not TaskProgress.objects.exists()


def test_without_public_costs_the_paper_says_the_decision_has_no_direct_cost(version):
    from leitbild.council.paper import financial_text

    assert "keine unmittelbaren finanziellen" in financial_text(version)


def test_residents_and_assessors_cannot_open_the_council_paper(client, make_user, version):
    assert client.get(_url(version)).status_code == 302
    client.force_login(make_user("bewertung@stadt.example", roles=[Role.ASSESSOR]))
    assert client.get(_url(version)).status_code == 403
