"""The local OParl server the client's tests run against: it must itself speak OParl
correctly (the schemas of the specification, its list rules) and misbehave exactly as told."""

import itertools
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jsonschema_rs
import pytest

from leitbild.council.tests.oparl_server import (
    EXAMPLES_DIR,
    FOREIGN_NEXT,
    Fault,
    OParlTestServer,
)

SCHEMA_DIR = Path("/work/shared/oparl/schema")


@pytest.fixture
def server() -> Iterator[OParlTestServer]:
    with OParlTestServer(page_size=20, examples_dir=False) as running:
        yield running


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def council(server: OParlTestServer) -> tuple[dict, dict, dict]:
    """The example from the client's brief: the council, its meeting and one paper."""
    org = server.add_organization(
        name="Rat der Stadt Musterstadt", short_name="Rat", classification="Rat"
    )
    meeting = server.add_meeting(
        name="12. Sitzung des Rates", start="2026-11-24T17:00:00+01:00", organization=[org]
    )
    paper = server.add_paper(
        reference="V 2026/0815",
        name="Smart-City-Strategie",
        date="2026-10-01",
        web="https://ris.example/vorlage/0815",
        consultations=[
            dict(
                meeting=meeting,
                organization=[org],
                role="Beschlussfassung",
                authoritative=True,
                agenda_item=dict(
                    number="7.1", result="Beschlossen", resolutionText="Der Rat beschließt ..."
                ),
            )
        ],
    )
    return org, meeting, paper


def crawl(http: httpx.Client, url: str, limit: int = 100) -> tuple[list[dict], list[dict]]:
    """All objects of a list by its next links, and the pages."""
    objects: list[dict] = []
    pages: list[dict] = []
    next_url: str | None = url
    while next_url and len(pages) < limit:
        page = http.get(next_url).raise_for_status().json()
        pages.append(page)
        objects.extend(page["data"])
        next_url = page["links"].get("next")
    return objects, pages


def _is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@cache
def validator(type_name: str) -> Any:
    schema = json.loads((SCHEMA_DIR / f"{type_name}.json").read_text(encoding="utf-8"))
    return jsonschema_rs.Draft4Validator(
        schema, validate_formats=True, formats={"url": _is_url}, offline=True
    )


def assert_valid(obj: dict) -> None:
    """Valid by its type's schema of OParl 1.1, embedded objects by theirs (the schemas name
    embedded types with a non-standard "schema" keyword that validators ignore)."""
    type_name = obj["type"].rsplit("/", 1)[1]
    errors = [error.message for error in validator(type_name).iter_errors(obj)]
    assert errors == [], (obj["id"], errors)
    for key in ("consultation", "agendaItem"):
        for embedded in obj.get(key) or []:
            if isinstance(embedded, dict):
                assert_valid(embedded)


def test_the_system_leads_to_the_one_body_and_its_lists(server, http):
    system = http.get(server.system_url).json()
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    bodies = http.get(system["body"]).json()
    assert [body["id"] for body in bodies["data"]] == [server.body_url]
    assert bodies["pagination"]["totalElements"] == 1 and "next" not in bodies["links"]
    body = http.get(server.body_url).json()
    assert body == bodies["data"][0]
    for key in ("organization", "meeting", "paper", "person", "consultation", "agendaItem"):
        assert body[key].startswith(server.base_url + "/")
        assert http.get(body[key]).json()["data"] == []


def test_lists_are_paged_by_next_links_until_the_last_page(server, http):
    server.generate(papers=45, consultations_per_paper=1, meetings=3, organizations=2)
    papers, pages = crawl(http, server.papers_url)

    assert [len(page["data"]) for page in pages] == [20, 20, 5]
    assert len({paper["id"] for paper in papers}) == 45
    assert [page["pagination"]["currentPage"] for page in pages] == [1, 2, 3]
    assert {page["pagination"]["totalPages"] for page in pages} == {3}
    assert {page["pagination"]["totalElements"] for page in pages} == {45}
    assert {page["pagination"]["elementsPerPage"] for page in pages} == {20}
    assert "prev" not in pages[0]["links"] and "next" not in pages[2]["links"]
    assert pages[1]["links"]["prev"] == pages[0]["links"]["self"]
    assert pages[1]["links"]["last"] == pages[2]["links"]["self"]
    # Stable order: the same pages again give the same objects.
    assert crawl(http, server.papers_url)[0] == papers
    assert http.get(server.papers_url, params={"page": 4}).status_code == 404


def test_modified_since_lists_only_later_changes_and_keeps_the_filter_in_the_links(server, http):
    server.page_size = 2
    made = server.generate(papers=10, consultations_per_paper=0, meetings=0, organizations=0)
    since = server.modify(made["paper"][3], name="Geänderte Vorlage")["modified"]
    server.modify(made["paper"][7], name="Noch eine Änderung")
    server.delete(made["paper"][5])

    changed, pages = crawl(http, f"{server.papers_url}?{urlencode({'modified_since': since})}")

    assert [paper["id"] for paper in changed] == [made["paper"][i]["id"] for i in (3, 5, 7)]
    assert changed[1] == {
        "id": made["paper"][5]["id"],
        "type": "https://schema.oparl.org/1.1/Paper",
        "deleted": True,
        "created": made["paper"][5]["created"],
        "modified": changed[1]["modified"],
    }
    assert len(pages) == 2
    for link in ("first", "self", "next", "last"):
        assert parse_qs(urlsplit(pages[0]["links"][link]).query)["modified_since"] == [since]
    # A "+" the client forgot to encode arrives as a space and still means the offset.
    assert "+00:00" in since
    later = http.get(f"{server.papers_url}?modified_since={since}")
    assert later.json()["pagination"]["totalElements"] == 3
    assert http.get(server.papers_url, params={"modified_since": "gestern"}).status_code == 400


def test_deleted_objects_stay_in_the_lists_and_at_their_url(server, http):
    org, meeting, paper = council(server)
    server.delete(paper)

    papers, _ = crawl(http, server.papers_url)
    assert papers == [http.get(paper["id"]).json()]
    assert papers[0]["deleted"] is True
    assert set(papers[0]) == {"id", "type", "deleted", "created", "modified"}
    assert_valid(papers[0])


def test_created_since_lists_only_new_objects(server, http):
    server.add_organization(name="Alter Ausschuss")
    new = server.add_organization(name="Neuer Ausschuss")
    listed = http.get(server.organizations_url, params={"created_since": new["created"]}).json()
    assert [org["name"] for org in listed["data"]] == ["Neuer Ausschuss"]


def test_every_modification_is_strictly_later_than_the_one_before(server):
    org = server.add_organization(name="Bauausschuss")
    stamps = [org["modified"]] + [
        server.modify(org, name=f"Bauausschuss {i}")["modified"] for i in range(50)
    ]
    parsed = [datetime.fromisoformat(stamp) for stamp in stamps]
    assert all(stamp.utcoffset() == timedelta(0) for stamp in parsed)
    assert all(earlier < later for earlier, later in itertools.pairwise(parsed))


def test_papers_embed_consultations_and_meetings_embed_agenda_items(server, http):
    org, meeting, paper = council(server)

    served = http.get(paper["id"]).json()
    (consultation,) = served["consultation"]
    assert consultation["paper"] == paper["id"] and consultation["meeting"] == meeting["id"]
    assert consultation["organization"] == [org["id"]]
    assert consultation["role"] == "Beschlussfassung" and consultation["authoritative"] is True
    (item,) = http.get(meeting["id"]).json()["agendaItem"]
    assert item["id"] == consultation["agendaItem"] and item["consultation"] == consultation["id"]
    assert (item["number"], item["result"]) == ("7.1", "Beschlossen")
    assert item["resolutionText"] == "Der Rat beschließt ..." and item["public"] is True
    assert http.get(consultation["id"]).json() == consultation
    assert http.get(item["id"]).json() == item


def test_a_change_to_an_embedded_object_modifies_its_parent(server, http):
    org, meeting, paper = council(server)
    item_id = paper["consultation"][0]["agendaItem"]
    since = server.modify(item_id, result="Vertagt")["modified"]

    changed = http.get(server.meetings_url, params={"modified_since": since}).json()["data"]
    assert [m["agendaItem"][0]["result"] for m in changed] == ["Vertagt"]
    server.delete(paper["consultation"][0])
    assert http.get(paper["id"]).json()["consultation"][0]["deleted"] is True
    assert http.get(paper["id"]).json()["modified"] > since


def test_without_embedding_references_are_urls_and_the_objects_are_in_their_lists(http):
    with OParlTestServer(embed=False, examples_dir=False) as server:
        org, meeting, paper = council(server)
        body = http.get(server.body_url).json()
        (consultation_url,) = http.get(paper["id"]).json()["consultation"]
        (item_url,) = http.get(meeting["id"]).json()["agendaItem"]

        consultations, _ = crawl(http, body["consultation"])
        items, _ = crawl(http, body["agendaItem"])
        assert [c["id"] for c in consultations] == [consultation_url]
        assert [i["id"] for i in items] == [item_url]
        assert http.get(consultation_url).json() == consultations[0]
        assert consultations[0]["agendaItem"] == item_url and items[0]["meeting"] == meeting["id"]
        for obj in (*consultations, *items):
            assert_valid(obj)
        # OParl 1.1's schema wants these two embedded; some servers give URLs, as here.
        for obj, key in ((paper, "consultation"), (meeting, "agendaItem")):
            served = http.get(obj["id"]).json()
            with pytest.raises(AssertionError, match='is not of type "object"'):
                assert_valid(served)
            assert_valid({name: value for name, value in served.items() if name != key})
        # The paper itself did not change when its consultation did.
        before = http.get(paper["id"]).json()["modified"]
        server.modify(consultation_url, role="Vorberatung")
        assert http.get(paper["id"]).json()["modified"] == before
        assert http.get(consultation_url).json()["role"] == "Vorberatung"


def test_version_1_0_has_its_types_published_date_and_no_consultation_list(http):
    with OParlTestServer(version="1.0") as server:
        org, meeting, paper = council(server)
        system = http.get(server.system_url).json()
        body = http.get(server.body_url).json()
        papers, _ = crawl(http, body["paper"])

        assert system["oparlVersion"] == "https://schema.oparl.org/1.0/"
        assert body["type"] == "https://schema.oparl.org/1.0/Body"
        assert "consultation" not in body and "agendaItem" not in body
        assert http.get(f"{server.body_url}/consultations").status_code == 404
        served = next(p for p in papers if p["id"] == paper["id"])
        assert served["publishedDate"] == "2026-10-01" and "date" not in served
        assert served["consultation"][0]["type"] == "https://schema.oparl.org/1.0/Consultation"
        assert all(p["type"] == "https://schema.oparl.org/1.0/Paper" for p in papers)
        assert "schema.oparl.org/1.1" not in json.dumps(papers)
        item = http.get(meeting["id"]).json()["agendaItem"][0]
        assert item["type"] == "https://schema.oparl.org/1.0/AgendaItem"
        server.modify(paper, date="2026-10-02")
        assert http.get(paper["id"]).json()["publishedDate"] == "2026-10-02"


def test_the_specifications_examples_are_served_at_this_servers_origin(http):
    with OParlTestServer() as server:
        pages = [crawl(http, server.list_url(kind))[0] for kind in ("organization", "meeting")]
        papers, _ = crawl(http, server.papers_url)
        text = json.dumps([pages, papers])

        assert "oparl.example.org" not in text
        example_ids = {
            f"{server.base_url}/organization/34",
            f"{server.base_url}/meeting/281",
            f"{server.base_url}/paper/749",
        }
        assert example_ids <= {obj["id"] for obj in [*pages[0], *pages[1], *papers]}
        paper = http.get(f"{server.base_url}/paper/749").json()
        assert paper["name"] == "Antwort auf Anfrage 1200/2014"
        assert paper["consultation"][0]["id"] == f"{server.base_url}/consultation/47594"
        assert_valid(paper)
        item = http.get(f"{server.base_url}/agendaitem/3271").json()
        assert item["meeting"] == f"{server.base_url}/meeting/281"
        assert http.get(f"{server.base_url}/consultation/47594").status_code == 200
        # The examples are old: a sync since yesterday does not see them.
        recent = http.get(server.papers_url, params={"modified_since": "2026-01-01T00:00:00Z"})
        assert recent.json()["data"] == []


def test_the_examples_can_be_left_out(http):
    assert EXAMPLES_DIR.is_dir()
    with OParlTestServer(examples_dir=False) as server:
        assert http.get(server.papers_url).json()["data"] == []


def test_served_objects_are_valid_oparl_1_1(server, http):
    council(server)
    server.generate(papers=3, consultations_per_paper=2, meetings=2, organizations=2)
    body = http.get(server.body_url).json()
    assert_valid(http.get(server.system_url).json())
    assert_valid(body)
    for kind in ("organization", "meeting", "paper", "consultation", "agendaItem"):
        objects, _ = crawl(http, body[kind])
        assert objects
        for obj in objects:
            assert_valid(obj)


def test_an_unknown_url_is_a_json_404(server, http):
    answer = http.get(f"{server.base_url}/oparl/v1/paper/999")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/json")
    assert "error" in answer.json()


def test_generate_builds_ten_thousand_papers(http):
    with OParlTestServer(examples_dir=False) as server:
        made = server.generate(
            papers=10000, consultations_per_paper=2, meetings=200, organizations=10
        )
        body = http.get(server.body_url).json()

        def total(kind: str) -> int:
            return http.get(body[kind]).json()["pagination"]["totalElements"]

        assert len(made["paper"]) == total("paper") == 10000
        assert total("consultation") == total("agendaItem") == 20000
        assert (total("meeting"), total("organization")) == (200, 10)
        last = http.get(server.papers_url, params={"page": 500}).json()
        assert len(last["data"]) == 20 and "next" not in last["links"]
        assert [c["authoritative"] for c in last["data"][-1]["consultation"]] == [False, True]


def test_requests_are_recorded_in_order_with_their_query(server, http):
    http.get(server.system_url)
    http.get(server.papers_url, params={"page": 1, "modified_since": "2026-01-01T00:00:00Z"})
    http.get(f"{server.base_url}/nirgends")
    assert server.requests == [
        ("/oparl/v1/system", {}),
        ("/oparl/v1/body/1/papers", {"page": "1", "modified_since": "2026-01-01T00:00:00Z"}),
        ("/nirgends", {}),
    ]


def test_parallel_clients_while_the_data_changes(server):
    made = server.generate(papers=200, consultations_per_paper=2, meetings=10, organizations=2)

    def fetch(page: int) -> int:
        with httpx.Client(timeout=10) as client:
            answer = client.get(server.papers_url, params={"page": page % 10 + 1})
            return len(answer.json()["data"])

    with ThreadPoolExecutor(8) as pool:
        results = pool.map(fetch, range(40))
        for paper in made["paper"][:100]:
            server.modify(paper, name="Parallel geändert")
        assert list(results) == [20] * 40
    assert len(server.requests) == 40


def test_the_server_is_quiet(server, http, capfd):
    server.faults[server.papers_path] = Fault("500")
    http.get(server.system_url)
    http.get(server.papers_url)
    http.get(f"{server.base_url}/nirgends")
    captured = capfd.readouterr()
    assert (captured.out, captured.err) == ("", "")


# --- Faults --------------------------------------------------------------------------------


def test_a_slow_fault_answers_normally_after_the_delay(server, http):
    server.faults[server.papers_path] = Fault("slow", seconds=0.3)
    began = time.perf_counter()
    answer = http.get(server.papers_url)
    assert time.perf_counter() - began >= 0.3
    assert answer.status_code == 200 and answer.json()["data"] == []


def test_a_500_fault_only_for_the_first_requests_when_counted(server, http):
    server.faults[server.papers_path] = Fault("500", times=2)
    statuses = [http.get(server.papers_url).status_code for _ in range(4)]
    assert statuses == [500, 500, 200, 200]
    assert server.faults[server.papers_path].served == 2
    # Other paths are not affected.
    assert http.get(server.system_url).status_code == 200


def test_an_invalid_json_fault_truncates_the_answer(server, http):
    server.generate(papers=5, consultations_per_paper=1, meetings=1, organizations=1)
    server.faults[server.papers_path] = Fault("invalid_json")
    answer = http.get(server.papers_url)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.text.startswith('{"data": [')
    with pytest.raises(json.JSONDecodeError):
        answer.json()


def test_an_html_fault_answers_with_a_web_page(server, http):
    server.faults[server.system_url.removeprefix(server.base_url)] = Fault("html")
    answer = http.get(server.system_url)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.text.startswith("<!DOCTYPE html>")


def test_a_wrong_types_fault_spoils_one_object_of_a_page(server, http):
    made = server.generate(papers=3, consultations_per_paper=0, meetings=0, organizations=0)
    server.faults[server.papers_path] = Fault("wrong_types", times=1)
    data = http.get(server.papers_url).json()["data"]
    assert isinstance(data[0]["name"], int) and isinstance(data[0]["modified"], list)
    assert data[1:] == http.get(server.papers_url).json()["data"][1:]
    # The stored object is not spoilt.
    assert http.get(server.papers_url).json()["data"][0]["name"] == made["paper"][0]["name"]


def test_a_foreign_next_fault_links_to_another_host(server, http):
    server.faults[server.papers_path] = Fault("foreign_next")
    page = http.get(server.papers_url).json()
    assert page["links"]["next"] == FOREIGN_NEXT
    assert page["pagination"]["totalPages"] == 1


def test_an_endless_next_fault_never_ends_the_list(server, http):
    server.generate(papers=30, consultations_per_paper=0, meetings=0, organizations=0)
    server.faults[server.papers_path] = Fault("endless_next")
    objects, pages = crawl(http, server.papers_url, limit=10)
    assert len(pages) == 10 and all("next" in page["links"] for page in pages)
    assert pages[-1]["links"]["next"].endswith("page=11")
    assert pages[2]["data"] == pages[0]["data"] and pages[3]["data"] == pages[1]["data"]
    assert len({obj["id"] for obj in objects}) == 30


def test_a_huge_fault_streams_about_30_megabytes_of_valid_json(server):
    server.faults[server.papers_path] = Fault("huge", times=2)
    with httpx.Client(timeout=10) as client:
        with client.stream("GET", server.papers_url) as answer:
            assert answer.status_code == 200 and "content-length" not in answer.headers
            chunks = list(answer.iter_bytes())
        assert 29_000_000 < sum(len(chunk) for chunk in chunks) < 34_000_000
        page = json.loads(b"".join(chunks))
        assert len(page["data"]) == page["pagination"]["totalElements"] > 10000
        # A client that gives up early leaves the server working.
        with client.stream("GET", server.papers_url) as answer:
            assert next(answer.iter_bytes()).startswith(b'{"data": [')
        assert client.get(server.papers_url).json()["data"] == []


def test_a_not_oparl_fault_answers_other_json(server, http):
    server.faults[server.papers_path] = Fault("not_oparl")
    assert http.get(server.papers_url).json() == {"hello": "world"}


def test_an_unknown_fault_kind_is_refused():
    with pytest.raises(ValueError, match="unknown fault"):
        Fault("teapot")


def test_a_consultation_is_by_default_of_its_meetings_organizations(server, http):
    org, meeting, _ = council(server)
    paper = server.add_paper(reference="V 2026/0816", name="Anfrage", consultations=[{}])
    server.add_consultation(paper, meeting=meeting, role="Kenntnisnahme")
    served = http.get(paper["id"]).json()["consultation"]
    assert [c.get("organization") for c in served] == [[], [org["id"]]]
    assert "agendaItem" not in served[1] and served[1]["meeting"] == meeting["id"]


def test_a_missing_examples_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        OParlTestServer(examples_dir=tmp_path / "fehlt")
