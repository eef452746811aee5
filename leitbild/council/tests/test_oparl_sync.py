"""The OParl sync against a local OParl server on loopback: what arrives fills the consultation
sequence of a linked version, incrementally, and no fault of the server damages earlier data."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from leitbild.core.roles import Role
from leitbild.council import services
from leitbild.council.models import ConsultationStep, OParlObject, OParlSource, StepResult
from leitbild.council.oparl import sync
from leitbild.council.oparl.client import OParlClient, OParlError
from leitbild.strategy import services as strategy_services
from leitbild.strategy.models import StrategyVersion
from leitbild.strategy.tests.factories import build_framework

from .oparl_server import Fault, OParlTestServer

PAST = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
EARLIER = (timezone.localdate() - datetime.timedelta(days=60)).isoformat()
FUTURE = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LEITBILD_OPARL_SYNC_MINUTES = 0


def council(server, *, result="Beschlossen", committee_result="Empfohlen", date=PAST):
    """The draft's paper with its way through a committee and the council."""
    committee = server.add_organization(
        name="Ausschuss für Digitalisierung", short_name="ADi", classification="Ausschuss"
    )
    rat = server.add_organization(name="Rat der Stadt Musterstadt", short_name="Rat")
    first = server.add_meeting(
        name="5. Sitzung des Ausschusses für Digitalisierung",
        start=f"{EARLIER}T17:00:00+01:00",
        organization=[committee],
    )
    second = server.add_meeting(
        name="12. Sitzung des Rates", start=f"{date}T16:00:00+01:00", organization=[rat]
    )
    for number in range(12):  # other business, so the lists have several pages
        server.add_paper(reference=f"V 2026/{number:04d}", name=f"Bebauungsplan Nr. {number}")
    paper = server.add_paper(
        reference="V 2026/0815",
        name="Smart-City-Strategie der Stadt Musterstadt",
        date=EARLIER,
        web="https://ris.musterstadt.example/vorlage/0815",
        consultations=[
            dict(
                meeting=first,
                organization=[committee],
                role="Vorberatung",
                authoritative=False,
                agenda_item=dict(number="4", result=committee_result, resolutionText="Empfohlen."),
            ),
            dict(
                meeting=second,
                organization=[rat],
                role="Beschlussfassung",
                authoritative=True,
                agenda_item=dict(
                    number="7.1",
                    result=result,
                    resolutionText="Der Rat beschließt die Strategie <script>x</script>.",
                ),
            ),
        ],
    )
    return paper


@pytest.fixture
def server():
    with OParlTestServer(page_size=5) as running:
        yield running


@pytest.fixture
def version(db):
    v = strategy_services.draft_freeze(actor=None, strategy=build_framework())
    strategy_services.version_set_status(
        actor=None, version=v, status=StrategyVersion.Status.CONSULTATION
    )
    return v


@pytest.fixture
def source(server, db):
    return services.oparl_source_save(actor=None, system_url=server.system_url)


def run(source, **client):
    options = {"timeout": 2.0, "retries": 2, "backoff": 0.0, **client}
    with OParlClient(source.system_url, **options) as oparl:
        return sync.source_sync(source=source, client=oparl)


def fails(source, reason: str, **client) -> OParlError:
    with pytest.raises(OParlError) as caught:
        run(source, **client)
    source.refresh_from_db()
    assert source.status == OParlSource.Status.FAILED
    assert reason in source.error, source.error
    assert source.error_url == caught.value.url
    return caught.value


def test_a_linked_version_gets_its_consultation_sequence_and_is_adopted(server, source, version):
    council(server)
    services.paper_link_save(actor=None, version=version, reference="V 2026/0815")
    run(source)
    steps = list(version.consultation_steps.select_related("body").order_by("meeting_date"))
    assert [(s.body.name, s.result, s.source) for s in steps] == [
        ("Ausschuss für Digitalisierung", StepResult.RECOMMENDED, "oparl"),
        ("Rat der Stadt Musterstadt", StepResult.ADOPTED, "oparl"),
    ]
    assert steps[1].paper_reference == "V 2026/0815"
    assert steps[1].paper_url == "https://ris.musterstadt.example/vorlage/0815"
    version.refresh_from_db()
    assert version.status == StrategyVersion.Status.ADOPTED
    assert version.decided_on.isoformat() == PAST
    assert version.decision_reference == "V 2026/0815"
    source.refresh_from_db()
    assert source.status == OParlSource.Status.OK and source.synced_until is not None
    papers = [p for p, q in server.requests if p.endswith("/papers")]
    assert len(papers) >= 3  # 13 papers in pages of 5: links.next was followed


def test_the_public_sees_the_steps_from_the_council_system_as_text(client, server, source, version):
    council(server)
    services.paper_link_save(actor=None, version=version, reference="V 2026/0815")
    run(source)
    api = client.get("/api/v1/strategy/versions").json()
    listed = next(v for v in api if v["number"] == version.number)
    assert {s["source"] for s in listed["consultation"]} == {"oparl"}
    page = client.get(f"/strategie/{version.strategy.slug}/versionen/{version.number}/")
    page = page.content.decode()
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert "https://ris.musterstadt.example/vorlage/0815" in page


def test_steps_entered_by_hand_are_never_overwritten(server, source, version):
    council(server)
    office_body = services.body_save(
        actor=None, name="Ausschuss für Digitalisierung", kind="ausschuss", decides=False
    )
    manual = services.step_record(
        actor=None,
        version=version,
        body=office_body,
        meeting_date=datetime.date.fromisoformat(EARLIER),
        role="vorberatung",
        result=StepResult.RECOMMENDED_AMENDED,
        resolution="Vom Ratsbüro eingetragen.",
    )
    services.paper_link_save(actor=None, version=version, reference="V 2026/0815")
    run(source)
    manual.refresh_from_db()
    assert manual.resolution == "Vom Ratsbüro eingetragen." and manual.source == "manual"
    assert version.consultation_steps.count() == 2  # the manual one and the council's


def test_the_next_sync_asks_only_for_changes_and_follows_them(server, source, version):
    paper = council(server, result="", date=FUTURE)
    services.paper_link_save(actor=None, version=version, reference="V 2026/0815")
    run(source)
    assert version.consultation_steps.count() == 2
    first_until = OParlSource.objects.get().synced_until
    server.requests.clear()
    committee_item = paper["consultation"][0]["agendaItem"]
    server.modify(server.get(committee_item), result="Vertagt")
    server.delete(server.get(paper["consultation"][1]["id"]))
    run(source)
    since = {q.get("modified_since") for p, q in server.requests if p.endswith("/papers")}
    assert since == {first_until.isoformat()}
    results = list(version.consultation_steps.values_list("result", flat=True))
    assert results == [StepResult.POSTPONED]  # the deleted consultation's step is gone


def test_an_oparl_1_0_server_with_referenced_objects_is_read_too(db, version):
    with OParlTestServer(page_size=5, version="1.0", embed=False) as server:
        council(server)
        source = services.oparl_source_save(actor=None, system_url=server.system_url)
        services.paper_link_save(actor=None, version=version, reference="V 2026/0815")
        run(source)
        assert OParlObject.objects.get(reference="V 2026/0815").date.isoformat() == EARLIER
    assert version.consultation_steps.count() == 2
    version.refresh_from_db()
    assert version.status == StrategyVersion.Status.ADOPTED


def test_referenced_consultations_are_read_from_the_body_lists(db, version):
    with OParlTestServer(page_size=5, embed=False) as server:
        council(server)
        source = services.oparl_source_save(actor=None, system_url=server.system_url)
        services.paper_link_save(actor=None, version=version, reference="V 2026/0815")
        run(source)
        assert any(p.endswith("/consultations") for p, q in server.requests)
    assert version.consultation_steps.count() == 2


# --- faults: a clear message naming the URL, nothing written from the bad page ----------------


@pytest.fixture
def synced(server, source, version):
    """A first good sync; the faults come on the next one."""
    council(server, result="", date=FUTURE)
    services.paper_link_save(actor=None, version=version, reference="V 2026/0815")
    run(source)
    return {
        "objects": OParlObject.objects.count(),
        "steps": list(version.consultation_steps.values_list("pk", "result")),
        "until": OParlSource.objects.get().synced_until,
    }


def _intact(synced, version):
    assert OParlObject.objects.count() == synced["objects"]
    assert list(version.consultation_steps.values_list("pk", "result")) == synced["steps"]
    assert OParlSource.objects.get().synced_until == synced["until"]


PAPERS = "/oparl/v1/body/1/papers"


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("500", "Fehler 500"),
        ("invalid_json", "kein gültiges JSON"),
        ("html", "HTML-Seite"),
        ("wrong_types", "OParl-Schema"),
        ("not_oparl", "keine OParl-Liste"),
        ("foreign_next", "anderen Server"),
    ],
)
def test_a_bad_answer_leaves_earlier_data_intact(server, source, version, synced, kind, reason):
    server.modify(server.objects("paper")[-1], name="Neu")
    server.faults[PAPERS] = Fault(kind)
    error = fails(source, reason)
    assert PAPERS in error.url or "fremd" in error.url
    _intact(synced, version)
    assert not any("fremd" in p for p, q in server.requests)


def test_retries_with_back_off_then_succeeds(server, source, version, synced):
    server.faults[PAPERS] = Fault("500", times=2)
    run(source, retries=2)
    assert OParlSource.objects.get().status == OParlSource.Status.OK
    assert sum(p == PAPERS for p, q in server.requests) >= 3


def test_a_slow_server_times_out(server, source, version, synced):
    server.faults[PAPERS] = Fault("slow", seconds=1.5)
    fails(source, "nicht rechtzeitig", timeout=0.3, retries=1)
    _intact(synced, version)


def test_an_endless_chain_of_pages_is_cut_off(server, source, version, synced):
    server.faults[PAPERS] = Fault("endless_next")
    fails(source, "mehr als 30 Seiten", max_pages=30)


def test_a_huge_answer_is_not_read(server, source, version, synced):
    server.faults[PAPERS] = Fault("huge")
    fails(source, "größer als 1 MB", max_bytes=1_000_000)
    _intact(synced, version)


def test_an_interrupted_sync_resumes_where_it_stopped(server, source, version):
    council(server)
    server.faults[PAPERS] = Fault(
        "invalid_json", times=1
    )  # not retried: a broken page stays broken
    fails(source, "kein gültiges JSON")
    assert OParlObject.objects.filter(kind="Meeting").exists()  # read before the fault
    assert OParlSource.objects.get().synced_until is None
    server.requests.clear()
    run(source)
    lists = {p.rsplit("/", 1)[-1] for p, q in server.requests if "/body/1/" in p}
    assert "organizations" not in lists and "papers" in lists
    assert OParlSource.objects.get().synced_until is not None


def test_unreachable_or_non_oparl_endpoints_are_refused_when_saving(server, db):
    with pytest.raises(Exception) as caught:
        services.oparl_source_save(actor=None, system_url=server.base_url + "/gibt-es-nicht")
    assert "/gibt-es-nicht" in str(caught.value)
    with pytest.raises(Exception) as caught:
        services.oparl_source_save(actor=None, system_url="http://127.0.0.1:9/oparl")
    assert "Keine Verbindung" in str(caught.value)
    assert not OParlSource.objects.exists()


def test_validation_uses_the_schemas_shipped_in_the_package():
    from leitbild.council.oparl import client

    assert (client.SCHEMA_DIR / "Paper.json").is_file()
    assert "site-packages" in str(client.SCHEMA_DIR) or "leitbild" in str(client.SCHEMA_DIR)
    with pytest.raises(OParlError) as caught:
        client.validate({"id": "x", "type": "https://schema.oparl.org/1.1/Paper", "date": 3}, "u")
    assert "date" in caught.value.reason


# --- the Ratsbüro's page and the command ---------------------------------------------------------


@pytest.fixture
def office(make_user):
    return make_user("ratsbuero@stadt.example", roles=[Role.COUNCIL_OFFICE])


def test_the_ratsbuero_configures_links_and_syncs_in_the_staff_area(
    client, office, server, version, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    council(server)
    client.force_login(office)
    bad = client.post("/rat/verwaltung/oparl/", {"system_url": server.base_url + "/nichts"})
    assert bad.status_code == 200 and "/nichts" in bad.content.decode()
    assert server.base_url + "/nichts" in bad.content.decode()  # the input is kept
    saved = client.post("/rat/verwaltung/oparl/", {"system_url": server.system_url})
    assert saved.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/rat/verwaltung/oparl/abgleich/")
    assert started.status_code == 302
    found = client.get("/rat/verwaltung/oparl/", {"suche": "0815"}).content.decode()
    assert "Smart-City-Strategie der Stadt Musterstadt" in found
    paper = OParlObject.objects.get(reference="V 2026/0815")
    linked = client.post(
        "/rat/verwaltung/oparl/verknuepfen/", {"version": version.pk, "paper": paper.pk}
    )
    assert linked.status_code == 302
    assert version.consultation_steps.filter(source="oparl").count() == 2
    page = client.get("/rat/verwaltung/oparl/").content.decode()
    assert "V 2026/0815" in page and "abgeglichen" in page
    link = version.council_paper_link
    for _twice in range(2):
        unlinked = client.post(f"/rat/verwaltung/oparl/verknuepfung/{link.pk}/aufheben/")
        assert unlinked.status_code == 302
    assert version.consultation_steps.filter(source="oparl").count() == 2  # the steps stay


def test_linking_without_a_reference_says_what_is_missing(client, office, version):
    client.force_login(office)
    page = client.post("/rat/verwaltung/oparl/verknuepfen/", {"version": version.pk})
    assert page.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich" in page.content.decode()


def test_a_failed_sync_waits_in_the_ratsbueros_inbox(client, office, server, source, version):
    server.faults["/oparl/v1/bodies"] = Fault("500")
    fails(source, "Fehler 500", retries=0)
    client.force_login(office)
    home = client.get("/verwaltung/").content.decode()
    assert "Abgleich mit dem Ratsinformationssystem fehlgeschlagen" in home
    page = client.get("/rat/verwaltung/oparl/").content.decode()
    assert "/oparl/v1/bodies" in page and "Fehler 500" in page


def test_other_staff_may_not_configure_the_council_system(client, make_user, db):
    client.force_login(make_user("redaktion@stadt.example", roles=[Role.EDITOR]))
    assert client.get("/rat/verwaltung/oparl/").status_code == 403


def test_the_command_syncs_and_links(server, version, capsys):
    council(server)
    call_command("oparl", "sync", server.system_url)
    assert "Objekte geschrieben" in capsys.readouterr().out
    slug = version.strategy.slug
    call_command("oparl", "link", slug, str(version.number), "V 2026/0815")
    assert "Vorlage gefunden" in capsys.readouterr().out
    assert version.consultation_steps.count() == 2
    server.faults[PAPERS] = Fault("html")
    with pytest.raises(CommandError) as caught:
        call_command("oparl", "sync")
    assert PAPERS in str(caught.value) and "HTML" in str(caught.value)


def test_the_schedule_runs_one_chain_of_syncs(server, source, settings):
    from leitbild.council.tasks import oparl_scheduled_sync

    settings.LEITBILD_OPARL_SYNC_MINUTES = 30
    council(server)
    assert oparl_scheduled_sync.call(source.pk, "2000-01-01T00:00:00+00:00") == "superseded"
    services.oparl_schedule(source)
    source.refresh_from_db()
    token = source.next_run_at.isoformat()
    assert oparl_scheduled_sync.call(source.pk, token) == "ok"
    source.refresh_from_db()
    assert source.next_run_at.isoformat() != token and source.status == OParlSource.Status.OK


def test_sync_is_refused_while_one_runs(source):
    OParlSource.objects.filter(pk=source.pk).update(
        status=OParlSource.Status.RUNNING, started_at=timezone.now()
    )
    with pytest.raises(sync.SyncRunning):
        run(source)
    assert ConsultationStep.objects.count() == 0
