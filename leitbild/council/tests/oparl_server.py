"""A local OParl server (1.1, or 1.0) for the tests of the OParl client, on loopback only.

``with OParlTestServer() as server:`` serves a System, one Body and its lists at
``server.system_url``; ``add_organization``/``add_meeting``/``add_paper`` (or ``generate`` for
thousands of papers) fill it, ``modify``/``delete`` change it the way a council information
system does (``modified`` strictly later, soft-deleted stubs that stay in the lists), and
``server.faults[path] = Fault(kind)`` makes one path misbehave. ``server.requests`` records
every request as ``(path, query)``.

Only the standard library: a ThreadingHTTPServer in a daemon thread, answering in parallel.
The socket is bound when the object is made, so ids (absolute URLs) are known before
``start()``; a stopped server cannot be started again.

For a benchmark: ``python -m leitbild.council.tests.oparl_server --papers 10000 --port 8765``.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import socket
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

Json = dict[str, Any]

EXAMPLES_DIR = Path("/work/shared/oparl/examples")
EXAMPLE_ORIGIN = "https://oparl.example.org"
FOREIGN_NEXT = "http://oparl.fremd.example/oparl/v1/body/1/papers?page=2"
HUGE_BYTES = 30 * 1024 * 1024
FAULT_KINDS = (
    "slow",
    "500",
    "invalid_json",
    "html",
    "wrong_types",
    "foreign_next",
    "endless_next",
    "huge",
    "not_oparl",
)
# The list filters of OParl 1.1 (modified_since and created_since also in 1.0).
FILTERS = {
    "created_since": ("created", True),
    "created_until": ("created", False),
    "modified_since": ("modified", True),
    "modified_until": ("modified", False),
}

# kind (the Body's list property) -> (OParl type, id path segment, list path segment)
KINDS = {
    "organization": ("Organization", "organization", "organizations"),
    "person": ("Person", "person", "persons"),
    "meeting": ("Meeting", "meeting", "meetings"),
    "paper": ("Paper", "paper", "papers"),
    "consultation": ("Consultation", "consultation", "consultations"),
    "agendaItem": ("AgendaItem", "agendaitem", "agendaitems"),
}
ONLY_1_1 = ("consultation", "agendaItem")
# Fields whose values are references: stored dicts passed for them become their ids.
REFERENCE_FIELDS = {
    "body",
    "organization",
    "meeting",
    "paper",
    "agendaItem",
    "participant",
    "relatedPaper",
    "superordinatedPaper",
    "subordinatedPaper",
    "originatorPerson",
    "originatorOrganization",
    "underDirectionOf",
    "subOrganizationOf",
}


@dataclass
class Fault:
    """How one path misbehaves: ``times=None`` always, ``times=n`` for its first n requests.

    ``served`` counts the requests to the path that got the fault.
    """

    kind: str
    times: int | None = None
    seconds: float = 0
    served: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; one of {', '.join(FAULT_KINDS)}")


class _NotFound(Exception):
    pass


class _BadRequest(Exception):
    pass


def _camel(name: str) -> str:
    """short_name -> shortName; names already in OParl's camelCase stay as they are."""
    return re.sub(r"_([a-z])", lambda match: match.group(1).upper(), name)


def _ref(value: Any) -> Any:
    """A stored object (or a list of them) as its id (ids); anything else unchanged."""
    if isinstance(value, dict):
        return value["id"]
    if isinstance(value, list | tuple):
        return [_ref(item) for item in value]
    return value


def _parse_time(value: str) -> datetime:
    """An ISO date-time from a query or an object; a "+" the client did not encode arrives
    as a space, and a time without offset is taken as UTC."""
    parsed = datetime.fromisoformat(value.strip().replace(" ", "+"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    oparl: OParlTestServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Quiet about a client that hangs up mid-answer (as it should on a huge one); a bug
        # of the server still prints its traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm and the
        # client's delayed ACK hold the body back 40 ms on every keep-alive request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.oparl._track(self.connection, open_=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.oparl._track(self.connection, open_=False)

    def do_GET(self) -> None:
        try:
            self.server.oparl._handle(self)
        except ConnectionError:
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


class OParlTestServer:
    """One System with one Body on 127.0.0.1 (``port=0``: a free port).

    ``page_size``: objects per list page (may be changed later); ``version``: "1.1" or "1.0";
    ``embed``: papers embed their consultations and meetings their agenda items (else URLs,
    which OParl 1.1's schema does not allow but some servers do); ``examples_dir``: the
    specification's example Organization, Meeting and Paper (None: the shared folder if there,
    False: none).
    """

    def __init__(
        self,
        page_size: int = 20,
        version: str = "1.1",
        embed: bool = True,
        examples_dir: str | Path | bool | None = None,
        port: int = 0,
    ) -> None:
        if version not in ("1.0", "1.1"):
            raise ValueError("version is '1.0' or '1.1'")
        if page_size < 1:
            raise ValueError("page_size is at least 1")
        if examples_dir is None:
            examples_dir = EXAMPLES_DIR if EXAMPLES_DIR.is_dir() else False
        examples = None
        if examples_dir is not False:
            examples = EXAMPLES_DIR if examples_dir is True else Path(examples_dir)
            if not examples.is_dir():
                raise FileNotFoundError(f"no OParl examples in {examples}")
        self.page_size = page_size
        self.version = version
        self.embed = embed
        self.faults: dict[str, Fault] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.RLock()
        self._last_tick = datetime.fromtimestamp(0, UTC)
        self._times: dict[str, float] = {}
        self._by_id: dict[str, Json] = {}
        self._lists: dict[str, list[Json]] = {kind: [] for kind in KINDS}
        # Consultation -> its paper, agenda item -> its meeting: the parent that embeds it.
        self._parent: dict[str, str] = {}
        self._counters: dict[str, int] = {kind: 0 for kind in KINDS}
        self._connections: set[socket.socket] = set()
        self._thread: threading.Thread | None = None
        self._stopped = False

        self._httpd = _HTTPServer(("127.0.0.1", port), _Handler, bind_and_activate=True)
        self._httpd.oparl = self
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self.system_url = f"{self.base_url}/oparl/v1/system"
        self.bodies_url = f"{self.base_url}/oparl/v1/bodies"
        self.body_url = f"{self.base_url}/oparl/v1/body/1"
        self._list_urls = {kind: f"{self.body_url}/{KINDS[kind][2]}" for kind in self._kinds()}
        self._list_by_path = {urlsplit(url).path: kind for kind, url in self._list_urls.items()}

        created = self._tick()
        self._system: Json = {
            "id": self.system_url,
            "type": self._type("System"),
            "oparlVersion": f"https://schema.oparl.org/{version}/",
            "body": self.bodies_url,
            "name": "Leitbild OParl-Testserver",
            "contactEmail": "ris@musterstadt.example",
            "created": created,
            "modified": created,
        }
        self._body: Json = {
            "id": self.body_url,
            "type": self._type("Body"),
            "system": self.system_url,
            "name": "Stadt Musterstadt",
            "shortName": "Musterstadt",
            **self._list_urls,
            "legislativeTerm": [],
            "created": created,
            "modified": created,
        }
        self._by_id[self.system_url] = self._system
        self._by_id[self.body_url] = self._body

        if examples is not None:
            self._load_examples(examples)

    # --- URLs -------------------------------------------------------------------------------

    def list_url(self, kind: str) -> str:
        """The Body's list of a kind: organization, person, meeting, paper (1.1 also
        consultation, agendaItem)."""
        return self._list_urls[kind]

    @property
    def papers_url(self) -> str:
        return self._list_urls["paper"]

    @property
    def meetings_url(self) -> str:
        return self._list_urls["meeting"]

    @property
    def organizations_url(self) -> str:
        return self._list_urls["organization"]

    @property
    def papers_path(self) -> str:
        """The path of the paper list, as ``faults`` is keyed."""
        return urlsplit(self.papers_url).path

    # --- Life cycle -------------------------------------------------------------------------

    def start(self) -> OParlTestServer:
        if self._stopped:
            raise RuntimeError("a stopped OParlTestServer cannot start again; make a new one")
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.02},  # stop() waits for one poll
                name="oparl-test-server",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        # Keep-alive connections would keep their handler threads waiting for a next request.
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._httpd.server_close()

    def __enter__(self) -> OParlTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _track(self, connection: socket.socket, *, open_: bool) -> None:
        with self._lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    # --- Data -------------------------------------------------------------------------------

    def add_organization(
        self,
        *,
        name: str,
        short_name: str | None = None,
        classification: str | None = None,
        organization_type: str | None = "Gremium",
        **fields: Any,
    ) -> Json:
        with self._lock:
            return self._make_organization(
                self._tick(), name, short_name, classification, organization_type, fields
            )

    def add_meeting(
        self,
        *,
        name: str,
        start: str | None = None,
        end: str | None = None,
        organization: Sequence[Json | str] = (),
        **fields: Any,
    ) -> Json:
        with self._lock:
            return self._make_meeting(self._tick(), name, start, end, organization, fields)

    def add_agenda_item(
        self,
        meeting: Json | str,
        *,
        number: str | None = None,
        name: str | None = None,
        public: bool = True,
        result: str | None = None,
        resolutionText: str | None = None,
        consultation: Json | str | None = None,
        **fields: Any,
    ) -> Json:
        """An agenda item without a paper (or for a consultation made elsewhere); the meeting
        counts as modified."""
        with self._lock:
            item = self._make_agenda_item(
                self._tick(),
                self._resolve(meeting),
                number,
                name,
                public,
                result,
                resolutionText,
                _ref(consultation),
                fields,
            )
            return item

    def add_paper(
        self,
        *,
        reference: str,
        name: str,
        date: str | None = None,
        paper_type: str | None = "Beschlussvorlage",
        web: str | None = None,
        consultations: Iterable[dict[str, Any]] = (),
        **fields: Any,
    ) -> Json:
        """A paper and its consultations, each ``dict(meeting=, organization=[...], role=,
        authoritative=, agenda_item=dict(number=, name=, public=, result=, resolutionText=))``;
        an agenda item is added to the consultation's meeting (which counts as modified)."""
        with self._lock:
            ts = self._tick()
            paper = self._make_paper(ts, reference, name, date, paper_type, web, fields)
            for consultation in consultations:
                self._make_consultation(ts, paper, **consultation)
            return paper

    def add_consultation(self, paper: Json | str, **consultation: Any) -> Json:
        """One more consultation of a paper (the paper counts as modified); keywords as in
        ``add_paper``'s consultations."""
        with self._lock:
            ts = self._tick()
            stored = self._resolve(paper)
            made = self._make_consultation(ts, stored, **consultation)
            stored["modified"] = ts
            return made

    def modify(self, obj: Json | str, **fields: Any) -> Json:
        """Change fields of a stored object (snake_case or OParl names; None removes a field);
        ``modified`` becomes now, strictly later than any time given before, unless given.
        An embedded object (embed=True) modifies its paper or meeting too."""
        with self._lock:
            stored = self._resolve(obj)
            ts = self._tick()
            for name, value in fields.items():
                key = _camel(name)
                if key == "date" and self.version == "1.0" and stored["type"].endswith("/Paper"):
                    key = "publishedDate"
                if value is None:
                    stored.pop(key, None)
                else:
                    stored[key] = _ref(value) if key in REFERENCE_FIELDS else value
            if "modified" not in fields:
                stored["modified"] = ts
            self._touch_parent(stored["id"], ts)
            return stored

    def delete(self, obj: Json | str) -> Json:
        """Soft delete: the object becomes ``{id, type, deleted: true, created, modified}``, in
        its lists and wherever it is embedded."""
        with self._lock:
            stored = self._resolve(obj)
            ts = self._tick()
            stub = {
                "id": stored["id"],
                "type": stored["type"],
                "deleted": True,
                "created": stored.get("created", ts),
                "modified": ts,
            }
            stored.clear()
            stored.update(stub)
            self._touch_parent(stub["id"], ts)
            return stored

    def get(self, obj_id: str) -> Json:
        """The stored object of an id (the live dict; change it only through modify)."""
        with self._lock:
            return self._resolve(obj_id)

    def objects(self, kind: str) -> list[Json]:
        """The stored objects of a list, in list order (a copy of the list, live objects)."""
        with self._lock:
            return list(self._lists[kind])

    def generate(
        self,
        papers: int = 10000,
        consultations_per_paper: int = 2,
        meetings: int = 200,
        organizations: int = 10,
    ) -> dict[str, list[Json]]:
        """Bulk data: organizations, meetings spread over them and a year, papers each
        consulted in ``consultations_per_paper`` meetings (the last one decides), each
        consultation with its agenda item. Returns the new objects by kind."""
        if (papers and consultations_per_paper) and not (meetings and organizations):
            raise ValueError("consultations need meetings and organizations")
        with self._lock:
            ts = self._tick()
            orgs = [
                self._make_organization(
                    ts,
                    "Rat der Stadt Musterstadt" if i == 0 else f"Ausschuss {i}",
                    "Rat" if i == 0 else f"A{i}",
                    "Rat" if i == 0 else "Ausschuss",
                    "Gremium",
                    {},
                )
                for i in range(organizations)
            ]
            day0 = datetime(2026, 1, 5, 17, 0, tzinfo=UTC)
            meets = []
            for i in range(meetings):
                start = day0 + timedelta(days=(i * 365) // max(meetings, 1))
                org = orgs[i % organizations]
                meets.append(
                    self._make_meeting(
                        ts,
                        f"{i // organizations + 1}. Sitzung: {org['name']}",
                        start.isoformat(),
                        (start + timedelta(hours=3)).isoformat(),
                        [org],
                        {},
                    )
                )
            paper_types = ("Beschlussvorlage", "Mitteilungsvorlage", "Antrag", "Anfrage")
            made = []
            start_number = self._counters["paper"] + 1
            for i in range(papers):
                number = start_number + i
                paper = self._make_paper(
                    ts,
                    f"V 2026/{number:05d}",
                    f"Vorlage {number}: Maßnahme {number % 97} der Smart-City-Strategie",
                    (day0 + timedelta(days=i % 365)).date().isoformat(),
                    paper_types[i % len(paper_types)],
                    None,
                    {},
                )
                for j in range(consultations_per_paper):
                    last = j == consultations_per_paper - 1
                    meeting = meets[(i + j * 7) % meetings]
                    self._make_consultation(
                        ts,
                        paper,
                        meeting=meeting,
                        organization=meeting["organization"],
                        role="Beschlussfassung" if last else "Vorberatung",
                        authoritative=last,
                        agenda_item={
                            "result": "Beschlossen" if last else "Zur Kenntnis genommen",
                            "resolutionText": "Der Rat beschließt die Vorlage." if last else None,
                        },
                    )
                made.append(paper)
            return {"organization": orgs, "meeting": meets, "paper": made}

    # --- Building objects (callers hold the lock) -------------------------------------------

    def _kinds(self) -> list[str]:
        return [kind for kind in KINDS if self.version == "1.1" or kind not in ONLY_1_1]

    def _type(self, name: str) -> str:
        return f"https://schema.oparl.org/{self.version}/{name}"

    def _tick(self) -> str:
        """Now in UTC to the millisecond, strictly later than the time given before."""
        now = datetime.now(UTC)
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)
        if now <= self._last_tick:
            now = self._last_tick + timedelta(milliseconds=1)
        self._last_tick = now
        return now.isoformat(timespec="milliseconds")

    def _new(self, kind: str, ts: str) -> Json:
        self._counters[kind] += 1
        type_name, segment, _ = KINDS[kind]
        return {
            "id": f"{self.base_url}/oparl/v1/{segment}/{self._counters[kind]}",
            "type": self._type(type_name),
        }

    def _store(self, kind: str, obj: Json, parent: str | None = None) -> Json:
        if obj["id"] in self._by_id:
            raise ValueError(f"two objects with the id {obj['id']}")
        self._by_id[obj["id"]] = obj
        self._lists[kind].append(obj)
        if parent is not None:
            self._parent[obj["id"]] = parent
        return obj

    def _extra(self, obj: Json, fields: dict[str, Any]) -> Json:
        for name, value in fields.items():
            if value is not None:
                key = _camel(name)
                obj[key] = _ref(value) if key in REFERENCE_FIELDS else value
        return obj

    def _make_organization(
        self,
        ts: str,
        name: str,
        short_name: str | None,
        classification: str | None,
        organization_type: str | None,
        fields: dict[str, Any],
    ) -> Json:
        org = self._new("organization", ts)
        org["body"] = self.body_url
        org["name"] = name
        if short_name is not None:
            org["shortName"] = short_name
        if organization_type is not None:
            org["organizationType"] = organization_type
        if classification is not None:
            org["classification"] = classification
        org["created"] = org["modified"] = ts
        return self._store("organization", self._extra(org, fields))

    def _make_meeting(
        self,
        ts: str,
        name: str,
        start: str | None,
        end: str | None,
        organization: Sequence[Json | str],
        fields: dict[str, Any],
    ) -> Json:
        meeting = self._new("meeting", ts)
        meeting["name"] = name
        if start is not None:
            meeting["start"] = start
        if end is not None:
            meeting["end"] = end
        meeting["organization"] = _ref(list(organization))
        meeting["agendaItem"] = []
        meeting["created"] = meeting["modified"] = ts
        return self._store("meeting", self._extra(meeting, fields))

    def _make_agenda_item(
        self,
        ts: str,
        meeting: Json,
        number: str | None,
        name: str | None,
        public: bool,
        result: str | None,
        resolution_text: str | None,
        consultation: str | None,
        fields: dict[str, Any],
    ) -> Json:
        item = self._new("agendaItem", ts)
        order = len(meeting["agendaItem"]) + 1
        item["meeting"] = meeting["id"]
        item["number"] = number if number is not None else str(order)
        if self.version == "1.1":
            item["order"] = order
        if name is not None:
            item["name"] = name
        item["public"] = public
        if consultation is not None:
            item["consultation"] = consultation
        if result is not None:
            item["result"] = result
        if resolution_text is not None:
            item["resolutionText"] = resolution_text
        item["created"] = item["modified"] = ts
        self._store("agendaItem", self._extra(item, fields), parent=meeting["id"])
        meeting["agendaItem"].append(item if self.embed else item["id"])
        meeting["modified"] = ts
        return item

    def _make_paper(
        self,
        ts: str,
        reference: str,
        name: str,
        date: str | None,
        paper_type: str | None,
        web: str | None,
        fields: dict[str, Any],
    ) -> Json:
        paper = self._new("paper", ts)
        paper["body"] = self.body_url
        paper["name"] = name
        paper["reference"] = reference
        if date is not None:
            paper["date" if self.version == "1.1" else "publishedDate"] = date
        if paper_type is not None:
            paper["paperType"] = paper_type
        if web is not None:
            paper["web"] = web
        paper["consultation"] = []
        paper["created"] = paper["modified"] = ts
        return self._store("paper", self._extra(paper, fields))

    def _make_consultation(
        self,
        ts: str,
        paper: Json,
        meeting: Json | str | None = None,
        organization: Sequence[Json | str] | None = None,
        role: str | None = None,
        authoritative: bool = False,
        agenda_item: dict[str, Any] | None = None,
        **fields: Any,
    ) -> Json:
        consultation = self._new("consultation", ts)
        consultation["paper"] = paper["id"]
        meeting_obj = self._resolve(meeting) if meeting is not None else None
        if meeting_obj is not None:
            consultation["meeting"] = meeting_obj["id"]
        if organization is None:  # by default the organizations of the meeting
            organization = meeting_obj["organization"] if meeting_obj is not None else []
        consultation["organization"] = _ref(list(organization))
        consultation["authoritative"] = authoritative
        if role is not None:
            consultation["role"] = role
        consultation["created"] = consultation["modified"] = ts
        self._store("consultation", self._extra(consultation, fields), parent=paper["id"])
        paper["consultation"].append(consultation if self.embed else consultation["id"])
        if agenda_item is not None:
            if meeting_obj is None:
                raise ValueError("an agenda item needs the consultation's meeting")
            item_fields = {_camel(key): value for key, value in agenda_item.items()}
            item = self._make_agenda_item(
                ts,
                meeting_obj,
                item_fields.pop("number", None),
                item_fields.pop("name", paper.get("name")),
                item_fields.pop("public", True),
                item_fields.pop("result", None),
                item_fields.pop("resolutionText", None),
                consultation["id"],
                item_fields,
            )
            consultation["agendaItem"] = item["id"]
        return consultation

    def _touch_parent(self, obj_id: str, ts: str) -> None:
        parent = self._parent.get(obj_id)
        if self.embed and parent is not None and parent in self._by_id:
            self._by_id[parent]["modified"] = ts

    def _resolve(self, obj: Json | str) -> Json:
        obj_id = obj["id"] if isinstance(obj, dict) else obj
        try:
            return self._by_id[obj_id]
        except KeyError:
            raise KeyError(f"no object with the id {obj_id}") from None

    def _load_examples(self, directory: Path) -> None:
        """The specification's example Organizations, Meetings and Papers, at this server's
        origin (their references to objects not here stay dangling)."""
        for pattern, kind in (
            ("Organization-*.json", "organization"),
            ("Meeting-*.json", "meeting"),
            ("Paper-*.json", "paper"),
        ):
            for path in sorted(directory.glob(pattern)):
                text = path.read_text(encoding="utf-8").replace(EXAMPLE_ORIGIN, self.base_url)
                if self.version == "1.0":
                    text = text.replace("schema.oparl.org/1.1/", "schema.oparl.org/1.0/")
                obj = json.loads(text)
                if kind == "paper" and self.version == "1.0" and "date" in obj:
                    obj["publishedDate"] = obj.pop("date")
                self._store(kind, obj)
                child_kind = {"meeting": "agendaItem", "paper": "consultation"}.get(kind)
                if child_kind is not None:
                    embedded = obj.get(child_kind, [])
                    for child in embedded:
                        if isinstance(child, dict) and child.get("id") not in self._by_id:
                            self._store(child_kind, child, parent=obj["id"])
                    if not self.embed:
                        obj[child_kind] = _ref(embedded)

    # --- HTTP -------------------------------------------------------------------------------

    def _handle(self, handler: _Handler) -> None:
        split = urlsplit(handler.path)
        path = split.path
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        with self._lock:
            self.requests.append((path, query))
            fault = self.faults.get(path)
            if fault is not None:
                if fault.times is not None and fault.served >= fault.times:
                    fault = None
                else:
                    fault.served += 1
        kind = fault.kind if fault is not None else None
        if kind == "slow":
            assert fault is not None
            time.sleep(fault.seconds)
            kind = None
        if kind == "500":
            return self._send(handler, 500, "text/plain; charset=utf-8", b"Interner Fehler\n")
        if kind == "html":
            page = (
                "<!DOCTYPE html><html lang='de'><head><title>Wartungsarbeiten</title></head>"
                "<body><h1>Das Ratsinformationssystem wird gewartet.</h1></body></html>"
            )
            return self._send(handler, 200, "text/html; charset=utf-8", page.encode())
        if kind == "not_oparl":
            return self._send_json(handler, 200, {"hello": "world"})
        if kind == "huge":
            return self._send_huge(handler)
        # Under the lock: the objects are live dicts, and modify() may run meanwhile.
        with self._lock:
            try:
                status, doc = 200, self._route(path, query, kind)
            except _NotFound as error:
                status, doc = 404, {"error": "Not Found", "message": str(error)}
            except _BadRequest as error:
                status, doc = 400, {"error": "Bad Request", "message": str(error)}
            body = json.dumps(doc, ensure_ascii=False).encode("utf-8")
        if kind == "invalid_json":
            return self._send(handler, 200, "application/json", body[: len(body) // 2])
        return self._send(handler, status, "application/json; charset=utf-8", body)

    def _route(self, path: str, query: dict[str, str], fault: str | None) -> Json:
        """The document at a path (the caller holds the lock)."""
        if path == urlsplit(self.bodies_url).path:
            doc = self._page(self.bodies_url, [self._body], query, fault)
        elif path in self._list_by_path:
            kind = self._list_by_path[path]
            doc = self._page(self._list_urls[kind], self._lists[kind], query, fault)
        else:
            found = self._by_id.get(self.base_url + path)
            if found is None:
                raise _NotFound(f"no OParl object at {path}")
            doc = found
        if fault == "wrong_types":
            doc = self._wrong_types(doc)
        return doc

    def _page(self, url: str, items: list[Json], query: dict[str, str], fault: str | None) -> Json:
        items = self._filtered(items, query)
        size = self.page_size
        pages = max(1, math.ceil(len(items) / size))
        try:
            page = int(query.get("page", "1"))
        except ValueError:
            raise _BadRequest("page is a number") from None
        if page < 1 or (page > pages and fault != "endless_next"):
            raise _NotFound(f"page {page} of {pages}")
        shown = (page - 1) % pages + 1  # endless_next repeats the pages after the last
        kept = [(key, value) for key, value in query.items() if key != "page"]

        def link(number: int) -> str:
            return f"{url}?{urlencode([*kept, ('page', number)])}"

        links = {"first": link(1)}
        if page > 1:
            links["prev"] = link(page - 1)
        links["self"] = link(page)
        if page < pages or fault == "endless_next":
            links["next"] = link(page + 1)
        links["last"] = link(pages)
        if fault == "foreign_next":
            links["next"] = FOREIGN_NEXT
        return {
            "data": items[(shown - 1) * size : shown * size],
            "pagination": {
                "totalElements": len(items),
                "elementsPerPage": size,
                "currentPage": page,
                "totalPages": pages,
            },
            "links": links,
        }

    def _filtered(self, items: list[Json], query: dict[str, str]) -> list[Json]:
        for name, (key, since) in FILTERS.items():
            if name not in query:
                continue
            try:
                bound = _parse_time(query[name]).timestamp()
            except ValueError:
                raise _BadRequest(f"{name} is an ISO 8601 date-time") from None
            stamps = [self._timestamp(item.get(key)) for item in items]
            if since:
                items = [item for item, at in zip(items, stamps, strict=True) if at >= bound]
            else:
                items = [item for item, at in zip(items, stamps, strict=True) if at <= bound]
        return items

    def _timestamp(self, value: Any) -> float:
        """Seconds since the epoch of a stored date-time (memoised: many objects share one);
        NaN for none or an invalid one, so that such an object matches no filter."""
        if not isinstance(value, str):
            return math.nan
        stamp = self._times.get(value)
        if stamp is None:
            try:
                stamp = _parse_time(value).timestamp()
            except ValueError:
                stamp = math.nan
            self._times[value] = stamp
        return stamp

    def _wrong_types(self, doc: Json) -> Json:
        bad_fields = {"name": 4711, "modified": ["2026-01-01T00:00:00+00:00"]}
        if "data" not in doc:
            return {**doc, **bad_fields}
        data = list(doc["data"])
        if data:
            data[0] = {**data[0], **bad_fields}
        else:
            data.append({"id": f"{self.base_url}/oparl/v1/paper/0", "type": self._type("Paper")})
            data[0].update(bad_fields)
        return {**doc, "data": data}

    def _send(self, handler: _Handler, status: int, content_type: str, body: bytes) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _send_json(self, handler: _Handler, status: int, doc: Json) -> None:
        self._send(handler, status, "application/json; charset=utf-8", json.dumps(doc).encode())

    def _send_huge(self, handler: _Handler) -> None:
        """About HUGE_BYTES of a valid list page, chunked (no Content-Length to refuse by)."""
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for chunk in self._huge_chunks():
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        handler.wfile.write(b"0\r\n\r\n")

    def _huge_chunks(self) -> Iterator[bytes]:
        padding = "Lorem ipsum dolor sit amet. " * 36
        paper_type = self._type("Paper")
        prefix = f"{self.base_url}/oparl/v1/paper/huge-"
        per_chunk = 1000
        sent, number = 0, 0
        yield b'{"data": ['
        while sent < HUGE_BYTES:
            items = [
                json.dumps({"id": f"{prefix}{n}", "type": paper_type, "name": padding})
                for n in range(number, number + per_chunk)
            ]
            chunk = ("," if number else "") + ",".join(items)
            number += per_chunk
            data = chunk.encode()
            sent += len(data)
            yield data
        pagination = {"totalElements": number, "elementsPerPage": number, "currentPage": 1}
        yield f'], "pagination": {json.dumps(pagination)}, "links": {{}}}}'.encode()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A local OParl server with generated data.")
    parser.add_argument("--papers", type=int, default=10000)
    parser.add_argument("--consultations-per-paper", type=int, default=2)
    parser.add_argument("--meetings", type=int, default=200)
    parser.add_argument("--organizations", type=int, default=10)
    parser.add_argument("--page-size", type=int, default=20)
    parser.add_argument("--version", choices=("1.0", "1.1"), default="1.1")
    parser.add_argument("--no-embed", action="store_true", help="references instead of objects")
    parser.add_argument("--examples", action="store_true", help="add the spec's examples")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    server = OParlTestServer(
        page_size=args.page_size,
        version=args.version,
        embed=not args.no_embed,
        examples_dir=None if args.examples else False,
        port=args.port,
    )
    began = time.perf_counter()
    server.generate(
        papers=args.papers,
        consultations_per_paper=args.consultations_per_paper,
        meetings=args.meetings,
        organizations=args.organizations,
    )
    took = time.perf_counter() - began
    print(f"{args.papers} papers generated in {took:.2f} s; OParl system: {server.system_url}")
    print("Ctrl-C stops the server.", flush=True)
    with server:
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
