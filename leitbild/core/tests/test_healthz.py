"""/healthz and what a visitor sees when the database goes away and comes back."""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[3]
PG_ADMIN_URL = os.environ.get(
    "LEITBILD_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def test_healthz_reports_database_and_task_queue(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert set(body["tasks"]) >= {"waiting", "running", "failed", "oldest_waiting_seconds"}
    assert body["email"] == {"failed": 0}


class Switch:
    """A TCP forwarder on loopback in front of PostgreSQL that can be cut and restored."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.conns: list[socket.socket] = []
        self.listener: socket.socket | None = None

    def start(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(16)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self) -> None:
        if self.listener:
            # shutdown() wakes the thread blocked in accept(); close() alone does not.
            try:
                self.listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.listener.close()
            self.listener = None
        for conn in self.conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()
        self.conns.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def server_behind_switch(tmp_path):
    dbname = f"leitbild_health_{os.getpid()}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {dbname}")
        conn.execute(f"CREATE DATABASE {dbname}")
    direct = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{dbname}"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(LEITBILD_DATA_DIR=str(tmp_path), DEBUG="false", LEITBILD_ENV="test")
    subprocess.run(
        [sys.executable, "-m", "leitbild", "migrate", "-v", "0"],
        cwd=ROOT,
        env={**env, "DATABASE_URL": direct},
        check=True,
        timeout=300,
    )
    switch = Switch(int(direct.split("@")[1].split("/")[0].split(":")[1]))
    switch.start()
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    via_switch = direct.replace(f":{switch.target_port}/", f":{switch.port}/")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "leitbild.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "2",
            "--worker-class",
            "gthread",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env={**env, "DATABASE_URL": via_switch},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except (urllib.error.URLError, OSError):  # also a first answer slower than 2 s
            time.sleep(0.2)
    yield base, switch
    server.terminate()
    server.wait(timeout=20)
    switch.stop()
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")


def test_a_lost_database_gives_503_pages_and_the_service_recovers(server_behind_switch):
    base, switch = server_behind_switch
    assert _get(base + "/healthz")[0] == 200
    # A page that must read the database (no such page exists yet: 404).
    page = base + "/seiten/impressum/"
    assert _get(page)[0] == 404

    switch.stop()
    status, body = _get(base + "/healthz")
    assert status == 503
    assert '"database": "unavailable"' in body
    status, body = _get(page)
    assert status == 503
    assert "Vorübergehend nicht erreichbar" in body
    assert "Traceback" not in body and "psycopg" not in body

    switch.start()
    deadline = time.time() + 20
    while time.time() < deadline and _get(base + "/healthz")[0] != 200:
        time.sleep(0.5)
    assert _get(base + "/healthz")[0] == 200
    assert _get(page)[0] == 404
