"""A weighting or survey phase is linked publicly only once its ballot or questionnaire is
set up: before, "Jetzt gewichten" led to a 404."""

import re

import pytest

from leitbild.consultation import services

from .conftest import close


def _links(client, process) -> list[str]:
    html = client.get(f"/beteiligung/{process.slug}/").content.decode()
    return re.findall(r'href="(/mitmachen/[^"]+)"', html)


@pytest.mark.parametrize("kind", ["weighting", "survey"])
def test_a_phase_not_set_up_has_no_public_link(client, make_phase, kind):
    phase = make_phase(kind)
    html = client.get(f"/beteiligung/{phase.process.slug}/").content.decode()
    assert _links(client, phase.process) == []
    assert "wird vorbereitet" in html and "Jetzt gewichten" not in html
    path = "gewichtung" if kind == "weighting" else "umfrage"
    assert client.get(f"/mitmachen/{path}/{phase.pk}/").status_code == 404  # what it led to


def test_a_closed_phase_not_set_up_links_no_results(client, make_phase):
    phase = make_phase("weighting", open_now=False)
    assert _links(client, phase.process) == []


def test_once_set_up_the_phase_is_linked_and_the_link_works(client, make_phase, fields):
    weighting_phase = make_phase("weighting")
    survey_phase = make_phase("survey", process=weighting_phase.process)
    services.weighting_configure(
        actor=None, phase=weighting_phase, fields=fields, mode="open", method="pick"
    )
    services.survey_configure(actor=None, phase=survey_phase, mode="open")
    html = client.get(f"/beteiligung/{weighting_phase.process.slug}/").content.decode()
    assert "Jetzt gewichten" in html and "An der Umfrage teilnehmen" in html
    links = _links(client, weighting_phase.process)
    assert links == [
        f"/mitmachen/gewichtung/{weighting_phase.pk}/",
        f"/mitmachen/umfrage/{survey_phase.pk}/",
    ]
    assert [client.get(link).status_code for link in links] == [200, 200]
    close(weighting_phase)
    links = _links(client, weighting_phase.process)
    assert links[0] == f"/mitmachen/gewichtung/{weighting_phase.pk}/ergebnisse/"
    assert client.get(links[0]).status_code == 200


def test_the_editors_inbox_names_the_phase_still_to_set_up(editor_client, make_phase):
    phase = make_phase("weighting")
    html = editor_client.get("/verwaltung/").content.decode()
    assert f'href="/mitmachen/verwaltung/phasen/{phase.pk}/"' in html
    assert f"noch nicht eingerichtet: {phase.title} (Schwerpunkte)" in html
