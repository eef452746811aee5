"""The participation chapter of the strategy document and the Redaktion's choice of ideas."""

import pytest

from leitbild.core.roles import Role
from leitbild.participation import demo
from leitbild.participation.document import chosen_ideas, participation_section
from leitbild.participation.models import Idea, IdeaStatus, Process
from leitbild.strategy.document import DocumentContext
from leitbild.strategy.models import StrategyVersion


@pytest.fixture
def loaded(db):
    from leitbild.core.demo import demo_load

    demo_load()
    return Process.objects.get(slug=demo.PROCESS_SLUG)


def _chapter(process):
    version = StrategyVersion.objects.filter(strategy=process.strategy).first()
    ctx = DocumentContext(strategy=process.strategy, version=version, snapshot=version.snapshot)
    return participation_section(ctx)


def _texts(section):
    return [(s.title, b) for _level, s in section.walk() for b in s.blocks]


def test_the_chapter_has_phases_workshops_numbers_and_the_most_supported_ideas(loaded):
    section = _chapter(loaded)
    titles = [s.title for _level, s in section.walk()]
    assert loaded.title in titles and "Die Ideen in Zahlen" in titles
    tables = {b.caption: b for _t, b in _texts(section) if b.kind == "table"}
    assert {"Phasen", "Workshops", "Ideen nach Weg der Einreichung"} <= set(tables)
    assert any(row[3] != "0" for row in tables["Workshops"].rows)  # participants counted
    selection = next(
        b for t, b in _texts(section) if t == "Ausgewählte Ideen" and b.kind == "bullets"
    )
    assert len(selection.items) == 10


def test_the_redaktion_chooses_the_ideas_the_document_shows(loaded, client, make_user):
    editor = make_user("redaktion@stadt.example", roles=[Role.EDITOR])
    client.force_login(editor)
    url = f"/beteiligung/verwaltung/verfahren/{loaded.slug}/dokument/"
    page = client.get(url)
    assert page.status_code == 200
    two = list(Idea.objects.filter(process=loaded, status=IdeaStatus.ACCEPTED).order_by("pk")[:2])
    response = client.post(url, {"ideas": [str(i.pk) for i in two]})
    assert response.status_code == 302
    assert sorted(chosen_ideas(loaded.strategy, [loaded])[loaded.pk]) == sorted(i.pk for i in two)
    selection = next(
        b for t, b in _texts(_chapter(loaded)) if t == "Ausgewählte Ideen" and b.kind == "bullets"
    )
    assert len(selection.items) == 2
    assert all(any(i.title in item for item in selection.items) for i in two)


def test_a_rejected_idea_cannot_be_chosen(loaded, client, make_user):
    client.force_login(make_user("redaktion@stadt.example", roles=[Role.EDITOR]))
    rejected = Idea.objects.filter(process=loaded, status=IdeaStatus.REJECTED).first()
    url = f"/beteiligung/verwaltung/verfahren/{loaded.slug}/dokument/"
    response = client.post(url, {"ideas": [str(rejected.pk)]})
    assert response.status_code == 200
    assert response.context["form"].errors["ideas"]
    assert chosen_ideas(loaded.strategy, [loaded]) == {}
