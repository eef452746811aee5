"""A local server for the tests of the measurement sources, on loopback only.

``with FeedTestServer() as server:`` serves ``server.answers`` (path → :class:`Answer`) at
``server.url(path)``; a path without an answer is 404. An answer can be slow (``delay``
seconds before the headers), trickle its body (``trickle``: one chunk every that many
seconds), redirect (``status=302`` and a ``Location`` header), be HTML, or be bigger than any
bound (``huge``: that many bytes, chunked without a Content-Length). ``server.requests``
records every path asked for.

Only the standard library: a ThreadingHTTPServer in a daemon thread; every answer closes its
connection.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Answer:
    body: bytes = b""
    content_type: str = "text/csv; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0
    trickle: float = 0
    huge: int = 0


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    feeds: FeedTestServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Quiet about a client that hangs up (after its timeout, or on a huge answer).
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        feeds = self.server.feeds
        path = self.path.split("?", 1)[0]
        with feeds.lock:
            feeds.requests.append(path)
            answer = feeds.answers.get(path)
        if answer is None:
            answer = Answer(b"Nicht gefunden\n", "text/plain; charset=utf-8", 404)
        if answer.delay:
            time.sleep(answer.delay)
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Connection", "close")
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if answer.huge or answer.trickle:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self._send_chunked(answer)
            return
        if "Content-Length" not in answer.headers:  # a test may declare a false one
            self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    def _send_chunked(self, answer: Answer) -> None:
        if answer.huge:
            line = b"1;2026-01-01;1;" + b"x" * 200 + b";;nein\n"
            chunks = [b"indikator_id;datum;wert;quelle;kommentar;vorlaeufig\n"]
            chunks += [line * 100] * (answer.huge // (len(line) * 100) + 1)
        else:
            chunks = [answer.body[i : i + 1] for i in range(len(answer.body))]
        for chunk in chunks:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.flush()
            if answer.trickle:
                time.sleep(answer.trickle)
        self.wfile.write(b"0\r\n\r\n")


class FeedTestServer:
    def __init__(self) -> None:
        self.answers: dict[str, Answer] = {}
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.feeds = self
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> FeedTestServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="feed-test-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self) -> FeedTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def free_port() -> int:
    """A port on loopback that nothing listens on (for "no connection")."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
