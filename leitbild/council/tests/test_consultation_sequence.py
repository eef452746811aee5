"""The consultation sequence (Beratungsfolge) of a strategy version, recorded by the Ratsbüro:
a decision of the deciding body adopts the version through the strategy's own mechanism."""

import datetime

import pytest

from leitbild.core.models import AuditEntry
from leitbild.core.roles import Role
from leitbild.council import services
from leitbild.council.models import Body, ConsultationStep, StepResult, StepRole
from leitbild.strategy import services as strategy_services
from leitbild.strategy.models import StrategyVersion
from leitbild.strategy.tests.factories import build_framework


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def office(make_user):
    return make_user("ratsbuero@stadt.example", roles=[Role.COUNCIL_OFFICE])


@pytest.fixture
def version(db):
    v = strategy_services.draft_freeze(actor=None, strategy=build_framework())
    strategy_services.version_set_status(
        actor=None, version=v, status=StrategyVersion.Status.CONSULTATION
    )
    return v


@pytest.fixture
def bodies(office):
    return (
        services.body_save(
            actor=office, name="Ausschuss Digitales", kind="ausschuss", decides=False
        ),
        services.body_save(actor=office, name="Rat", kind="rat", decides=True),
    )


def _url(version):
    return f"/rat/verwaltung/{version.strategy.slug}/versionen/{version.number}/beratung/"


def _post(client, version, body, **fields):
    data = {
        "body": body.pk,
        "meeting_date": "2025-03-20",
        "role": StepRole.DECISION,
        "result": "",
        "resolution": "",
        "paper_reference": "V 2025/0815",
        "paper_url": "",
        **fields,
    }
    return client.post(_url(version), data)


def test_a_decision_of_the_council_adopts_the_version(client, office, version, bodies):
    committee, council = bodies
    client.force_login(office)
    assert (
        _post(client, version, committee, role=StepRole.PRELIMINARY, result="empfohlen").status_code
        == 302
    )
    version.refresh_from_db()
    assert version.status == StrategyVersion.Status.CONSULTATION
    response = _post(
        client, version, council, result=StepResult.ADOPTED, resolution="Der Rat beschließt."
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == StrategyVersion.Status.ADOPTED
    assert version.decided_on == datetime.date(2025, 3, 20)
    assert version.decision_reference == "V 2025/0815"
    assert AuditEntry.objects.filter(action="strategy.version.status", actor=office).exists()
    assert AuditEntry.objects.filter(action="council.step.record").count() == 2


def test_beschlossen_by_a_committee_that_does_not_decide_adopts_nothing(
    client, office, version, bodies
):
    client.force_login(office)
    _post(client, version, bodies[0], result=StepResult.ADOPTED)
    version.refresh_from_db()
    assert version.status == StrategyVersion.Status.CONSULTATION


def test_a_result_before_the_meeting_is_refused_and_the_input_kept(client, office, version, bodies):
    client.force_login(office)
    future = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    response = _post(
        client,
        version,
        bodies[1],
        meeting_date=future,
        result="beschlossen",
        resolution="Mein Text",
    )
    assert response.status_code == 200
    assert "erst nach der Sitzung" in str(response.context["form"].errors["result"])
    assert "Mein Text" in response.content.decode()
    assert not ConsultationStep.objects.exists()
    version.refresh_from_db()
    assert version.status == StrategyVersion.Status.CONSULTATION


def test_a_planned_step_without_result_may_lie_in_the_future(client, office, version, bodies):
    client.force_login(office)
    future = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    assert _post(client, version, bodies[1], meeting_date=future).status_code == 302
    assert ConsultationStep.objects.get().result == ""


def test_a_council_decision_needs_the_paper_reference(client, office, version, bodies):
    client.force_login(office)
    response = _post(client, version, bodies[1], result="beschlossen", paper_reference="")
    assert response.status_code == 200
    assert response.context["form"].errors["paper_reference"]
    assert not ConsultationStep.objects.exists()


def test_the_public_version_page_shows_the_steps_as_text(client, office, version, bodies):
    services.step_record(
        actor=office,
        version=version,
        body=bodies[0],
        meeting_date=datetime.date(2025, 2, 1),
        role=StepRole.PRELIMINARY,
        result=StepResult.RECOMMENDED,
        resolution="Empfohlen <script>alert(1)</script>",
    )
    page = client.get(f"/strategie/{version.strategy.slug}/versionen/{version.number}/")
    html = page.content.decode()
    assert "Der Weg durch die Gremien" in html and "Ausschuss Digitales" in html
    assert "Empfohlen &lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html


def test_the_ratsbuero_corrects_and_deletes_a_step(client, office, version, bodies):
    step = services.step_record(
        actor=office,
        version=version,
        body=bodies[0],
        meeting_date=datetime.date(2025, 2, 1),
        role=StepRole.PRELIMINARY,
    )
    client.force_login(office)
    url = f"/rat/verwaltung/beratung/{step.pk}/"
    data = {
        "body": bodies[0].pk,
        "meeting_date": "2025-02-01",
        "role": StepRole.PRELIMINARY,
        "result": StepResult.POSTPONED,
        "resolution": "",
        "paper_reference": "",
        "paper_url": "",
    }
    assert client.post(url, data).status_code == 302
    step.refresh_from_db()
    assert step.result == StepResult.POSTPONED
    assert client.post(url, {"loeschen": "1"}).status_code == 302
    assert not ConsultationStep.objects.exists()
    assert AuditEntry.objects.filter(action="council.step.delete").exists()


def test_the_demo_shows_both_versions_way_through_the_council(db, client):
    from leitbild.core.demo import demo_load

    demo_load()
    v1, v2 = (StrategyVersion.objects.get(number=n) for n in (1, 2))
    steps1 = list(ConsultationStep.objects.filter(version=v1).select_related("body"))
    assert [s.result for s in steps1] == ["empfohlen", "empfohlen", "beschlossen"]
    assert steps1[-1].body.decides and steps1[-1].meeting_date == v1.decided_on
    steps2 = list(ConsultationStep.objects.filter(version=v2))
    assert [s.result for s in steps2] == ["empfohlen", "", ""]
    assert v2.status == StrategyVersion.Status.CONSULTATION
    assert Body.objects.filter(decides=True).count() == 1
    assert (
        "Verwaltungsausschuss" in client.get("/strategie/musterstadt/versionen/2/").content.decode()
    )


def test_the_api_gives_each_versions_consultation_sequence(client, office, version, bodies):
    services.step_record(
        actor=office,
        version=version,
        body=bodies[1],
        meeting_date=datetime.date(2025, 3, 20),
        role=StepRole.DECISION,
        result=StepResult.ADOPTED,
        paper_reference="V 2025/0815",
    )
    listed = client.get("/api/v1/strategy/versions").json()
    assert listed[0]["consultation"] == [
        {
            "body": "Rat",
            "meeting_date": "2025-03-20",
            "role": "entscheidung",
            "role_label": "Entscheidung",
            "result": "beschlossen",
            "result_label": "beschlossen",
            "resolution": "",
            "paper_reference": "V 2025/0815",
            "paper_url": "",
            "source": "manual",
        }
    ]
    detail = client.get(f"/api/v1/strategy/versions/{version.number}").json()
    assert detail["status"] == "adopted" and len(detail["consultation"]) == 1


def test_the_strategy_page_shows_the_whole_way_from_idea_call_to_adoption(db, client):
    from leitbild.core.demo import demo_load

    demo_load()
    html = client.get("/strategie/").content.decode()
    assert "Der Weg der Strategie" in html
    way = html[html.index("Der Weg der Strategie") :]
    order = [
        way.index("Ideenaufruf"),
        way.index("Entwurf Version 1"),
        way.index("Ausschuss für Digitalisierung und Smart City"),
        way.index("Beschluss der Version 1"),
        way.index("Entwurf Version 2"),
    ]
    assert order == sorted(order)
    assert "https://ratsinfo.musterstadt.example/vorlage/2024-0412" in way
    assert "geplant" in way  # the next steps of version 2


def test_amendments_become_the_redaktions_checklist_and_show_in_the_comparison(
    client, office, make_user, version, bodies
):
    client.force_login(office)
    field = version.snapshot["fields"][0]
    subject = f"feld:{field['code']} {field['name']}"
    url = f"/rat/verwaltung/{version.strategy.slug}/versionen/{version.number}/aenderungsantraege/"
    response = client.post(
        url,
        {
            "subject": subject,
            "text": "Ein Ziel zur Barrierefreiheit ergänzen.",
            "reference": "ÄA 3",
        },
    )
    assert response.status_code == 302
    bad = client.post(url, {"subject": "feld:erfunden", "text": "", "reference": ""})
    assert bad.status_code == 200 and bad.context["amendment_form"].errors["text"]
    _post(client, version, bodies[1], result=StepResult.ADOPTED_AMENDED)
    version.refresh_from_db()
    assert version.status == StrategyVersion.Status.ADOPTED

    editor = make_user("redaktion@stadt.example", roles=[Role.EDITOR])
    client.force_login(editor)
    staff_page = client.get(f"/strategie/verwaltung/{version.strategy.slug}/").content.decode()
    assert "Beschlossene Änderungen einarbeiten" in staff_page
    assert "Ein Ziel zur Barrierefreiheit ergänzen." in staff_page

    v2 = strategy_services.draft_freeze(actor=editor, strategy=_changed(version.strategy))
    strategy_services.version_set_status(
        actor=editor, version=v2, status=StrategyVersion.Status.CONSULTATION
    )
    compare = client.get(
        f"/strategie/{version.strategy.slug}/vergleich/", {"von": 1, "mit": 2}
    ).content.decode()
    assert "Angenommene Änderungsanträge zu Version 1" in compare
    assert "Ein Ziel zur Barrierefreiheit ergänzen." in compare

    from leitbild.council.models import Amendment

    amendment = Amendment.objects.get()
    assert (
        client.post(f"/rat/verwaltung/aenderungsantraege/{amendment.pk}/erledigt/").status_code
        == 302
    )
    amendment.refresh_from_db()
    assert amendment.done_at is not None
    staff_page = client.get(f"/strategie/verwaltung/{version.strategy.slug}/").content.decode()
    assert "Beschlossene Änderungen einarbeiten" not in staff_page


def _changed(strategy):
    from leitbild.strategy.models import Leitlinie

    leitlinie = Leitlinie.objects.filter(strategy=strategy).first()
    strategy_services.leitlinie_update(
        actor=None, leitlinie=leitlinie, title=leitlinie.title, text="Neu gefasst."
    )
    return strategy
