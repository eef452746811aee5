"""A real SMTP server on loopback (aiosmtpd) and the real task worker, for e-mail tests.

Tests that use them send through Django's SMTP backend, configured from an EMAIL_URL by
``core.mailurl``, exactly as an installation does: no locmem outbox in between.
"""

import email
import email.policy
import signal
import socket
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from django.core.management import call_command

from leitbild.core import mailurl


def free_port() -> int:
    """A port nobody listens on (for a server, or for a refused connection)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


class _Collector:
    def __init__(self):
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=email.policy.default
        )
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class LocalSmtpServer:
    """``with LocalSmtpServer() as server:`` — ``server.messages`` holds (recipients, message)."""

    def __init__(self):
        self.port = free_port()
        self._collector = _Collector()
        self._controller = Controller(self._collector, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[tuple[list[str], EmailMessage]]:
        return self._collector.messages

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?timeout=5"

    def __enter__(self) -> "LocalSmtpServer":
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()


def use_email_url(settings, url: str) -> None:
    """Configure e-mail as settings.py does from EMAIL_URL, and the database task queue."""
    for name, value in mailurl.parse(url).items():
        setattr(settings, name, value)
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def run_worker() -> None:
    """``leitbild worker --batch``: run every task that is due, then return."""
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    handlers = {sig: signal.getsignal(sig) for sig in signals}
    try:
        call_command("worker", "--batch", verbosity=0)
    finally:  # the worker installs its own shutdown handlers; give pytest its own back
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
